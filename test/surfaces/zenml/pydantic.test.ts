/** The pydantic-v2 wording of this surface's validation, field type by field type (no database). */
import { describe, expect, it } from 'vitest';
import { emailProblem } from '../../../src/surfaces/zenml/email.ts';
import { validateBody, validateParams } from '../../../src/surfaces/zenml/pydantic.ts';
import { CreateUserQuery, ListUsersQuery, LoginForm, UserIdParams, UserUpdate } from '../../../src/surfaces/zenml/schemas.ts';
import { parseUuid } from '../../../src/surfaces/zenml/uuid.ts';

const PATTERN = '^[a-zA-Z0-9_\\-@.]+$';
const body = (v: unknown) => validateBody(UserUpdate, v, { forbidExtra: true });

describe('ZenML UserUpdate validation', () => {
  it.each(['name', 'company', 'job_title'])('%s: 0 and 51 characters refused, 1 and 50 accepted, null accepted', (field) => {
    expect(body({ [field]: '' }).errors).toEqual([
      { type: 'string_too_short', loc: ['body', field], msg: 'String should have at least 1 character', input: '', ctx: { min_length: 1 } },
    ]);
    expect(body({ [field]: 'x'.repeat(51) }).errors).toEqual([
      {
        type: 'string_too_long',
        loc: ['body', field],
        msg: 'String should have at most 50 characters',
        input: 'x'.repeat(51),
        ctx: { max_length: 50 },
      },
    ]);
    for (const ok of ['x', 'x'.repeat(50), null]) expect(body({ [field]: ok })).toEqual({ value: { [field]: ok }, errors: [] });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(body({ name: '😀'.repeat(50) }).errors).toEqual([]);
    expect(body({ name: '😀'.repeat(51) }).errors[0]?.type).toBe('string_too_long');
  });

  it('username: one error per union branch, each with its pydantic label', () => {
    const email = 'function-after[_validate(), str]';
    expect(body({ username: 'bad name' }).errors).toEqual([
      {
        type: 'string_pattern_mismatch',
        loc: ['body', 'username', 'constrained-str'],
        msg: `String should match pattern '${PATTERN}'`,
        input: 'bad name',
        ctx: { pattern: PATTERN },
      },
      {
        type: 'value_error',
        loc: ['body', 'username', email],
        msg: 'value is not a valid email address: An email address must have an @-sign.',
        input: 'bad name',
        ctx: { reason: 'An email address must have an @-sign.' },
      },
    ]);
    expect(body({ username: '' }).errors.map((e) => [e.type, e.loc[2]])).toEqual([
      ['string_too_short', 'constrained-str'],
      ['value_error', email],
    ]);
    expect(body({ username: 'u'.repeat(51) }).errors.map((e) => [e.type, e.loc[2]])).toEqual([
      ['string_too_long', 'constrained-str'],
      ['value_error', email],
    ]);
    expect(body({ username: 5 }).errors).toEqual([
      { type: 'string_type', loc: ['body', 'username', 'constrained-str'], msg: 'Input should be a valid string', input: 5 },
      { type: 'string_type', loc: ['body', 'username', email], msg: 'Input should be a valid string', input: 5 },
    ]);
  });

  it('username: 1 and 50 pattern characters pass, and so does a longer email address or one with +', () => {
    for (const ok of ['u', 'u'.repeat(50), 'a.b-c_d@e', `${'x'.repeat(60)}@example.com`, 'ada+zen@example.com', null]) {
      expect(body({ username: ok }).errors, String(ok)).toEqual([]);
    }
  });

  it('email: EmailStr with python-email-validator reasons', () => {
    const reason = (v: string) => body({ email: v }).errors[0]?.ctx?.reason;
    expect(body({ email: 'ada@example.com' }).errors).toEqual([]);
    expect(body({ email: null }).errors).toEqual([]);
    expect(reason('nope')).toBe('An email address must have an @-sign.');
    expect(reason('@example.com')).toBe('There must be something before the @-sign.');
    expect(reason('ada@')).toBe('There must be something after the @-sign.');
    expect(reason('ada@localhost')).toBe('The part after the @-sign is not valid. It should have a period.');
    expect(reason('ada@example.test')).toBe('The part after the @-sign is a special-use or reserved name that cannot be used with email.');
    expect(reason('a b@example.com')).toBe('The email address contains invalid characters before the @-sign: SPACE.');
    expect(reason('.ada@example.com')).toBe('An email address cannot start with a period.');
    expect(reason('ada..l@example.com')).toBe('An email address cannot have two periods in a row.');
    expect(reason('ada@exa_mple.com')).toBe("The part after the @-sign contains invalid characters: '_'.");
    expect(body({ email: 'nope' }).errors[0]).toMatchObject({
      type: 'value_error',
      loc: ['body', 'email'],
      msg: 'value is not a valid email address: An email address must have an @-sign.',
    });
    expect(emailProblem(`${'a'.repeat(65)}@example.com`)).toBe('The email address is too long before the @-sign (1 character too many).');
    expect(emailProblem('ada@example.1')).toBe('The part after the @-sign is not valid. It is not within a valid top-level domain.');
  });

  it('booleans are lax as in pydantic; other types are refused in its words', () => {
    expect(body({ is_onboarded: 'yes', is_active: 0, is_superuser: null }).value).toEqual({
      is_onboarded: true,
      is_active: false,
      is_superuser: null,
    });
    expect(body({ is_onboarded: 'maybe' }).errors[0]).toEqual({
      type: 'bool_parsing',
      loc: ['body', 'is_onboarded'],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: 'maybe',
    });
    expect(body({ is_onboarded: [] }).errors[0]).toMatchObject({ type: 'bool_type', msg: 'Input should be a valid boolean' });
    expect(body({ name: 42 }).errors[0]).toEqual({
      type: 'string_type',
      loc: ['body', 'name'],
      msg: 'Input should be a valid string',
      input: 42,
    });
    expect(body({ metadata: [1] }).errors[0]).toEqual({
      type: 'dict_type',
      loc: ['body', 'metadata'],
      msg: 'Input should be a valid dictionary',
      input: [1],
    });
  });

  it('the body itself: missing, not an object, unknown keys after field errors', () => {
    expect(body(undefined).errors).toEqual([{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }]);
    expect(body([1]).errors).toEqual([
      {
        type: 'model_attributes_type',
        loc: ['body'],
        msg: 'Input should be a valid dictionary or object to extract fields from',
        input: [1],
      },
    ]);
    expect(body({ is_staff: true, name: '' }).errors.map((e) => [e.type, e.loc])).toEqual([
      ['string_too_short', ['body', 'name']],
      ['extra_forbidden', ['body', 'is_staff']],
    ]);
  });
});

describe('ZenML parameters', () => {
  it('query: missing ones report input null; defaults apply; the last repeated value counts', () => {
    expect(validateParams(CreateUserQuery, {}, 'query').errors).toEqual([
      { type: 'missing', loc: ['query', 'username'], msg: 'Field required', input: null },
      { type: 'missing', loc: ['query', 'password'], msg: 'Field required', input: null },
    ]);
    expect(validateParams(CreateUserQuery, { username: 'ada', password: 'pw', is_superuser: ['false', 'true'] }, 'query').value).toEqual({
      username: 'ada',
      password: 'pw',
      is_superuser: true,
    });
    expect(validateParams(ListUsersQuery, {}, 'query').value).toEqual({ offset: 0, limit: 1000 });
    expect(validateParams(ListUsersQuery, { limit: 'abc' }, 'query').errors[0]).toEqual({
      type: 'int_parsing',
      loc: ['query', 'limit'],
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input: 'abc',
    });
    expect(validateParams(ListUsersQuery, { limit: '1001' }, 'query').errors[0]).toMatchObject({
      type: 'less_than_equal',
      ctx: { le: 1000 },
    });
    expect(validateParams(LoginForm, {}, 'body').errors).toEqual([
      { type: 'missing', loc: ['body', 'password'], msg: 'Field required', input: null },
    ]);
  });

  it('path uuid: every form the uuid crate reads, and its explanations', () => {
    const id = '123e4567-e89b-12d3-a456-426614174000';
    expect(validateParams(UserIdParams, { user_id: id.toUpperCase() }, 'path').value).toEqual({ user_id: id });
    for (const form of [id.replaceAll('-', ''), `{${id}}`, `urn:uuid:${id}`]) expect(parseUuid(form)).toEqual({ ok: true, uuid: id });
    expect(parseUuid('abc')).toEqual({ ok: false, error: 'invalid length: expected length 32 for simple format, found 3' });
    expect(parseUuid('12-34')).toEqual({ ok: false, error: 'invalid group count: expected 5, found 2' });
    expect(parseUuid('123e4567e-89b-12d3-a456-42661417400')).toEqual({
      ok: false,
      error: 'invalid group length in group 0: expected 8, found 9',
    });
    expect(validateParams(UserIdParams, { user_id: 'zz' }, 'path').errors).toEqual([
      {
        type: 'uuid_parsing',
        loc: ['path', 'user_id'],
        msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `z` at 1',
        input: 'zz',
        ctx: { error: 'invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `z` at 1' },
      },
    ]);
  });
});
