/** The SCIM filter front-end (RFC 7644 §3.4.2.2): grammar, semantics and every refusal. */
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors.ts';
import type { FilterNode } from '../../src/core/query/model.ts';
import { parseScimFilter } from '../../src/core/query/scim-filter.ts';

const attributes = {
  id: 'id',
  userName: 'username',
  'name.givenName': 'firstName',
  'name.familyName': 'lastName',
  displayName: 'displayName',
  'emails.value': 'email',
  active: 'isActive',
  'meta.created': 'createdAt',
  'meta.lastModified': 'updatedAt',
  externalId: { field: 'ref', caseExact: true },
};
const parse = (text: string) => parseScimFilter(text, { attributes });

function refusal(text: string): string {
  try {
    parse(text);
  } catch (err) {
    const e = err as AppError;
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues[0]?.field).toBe('filter');
    return e.message;
  }
  throw new Error(`accepted: ${text}`);
}

const eqi = (field: string, value: string): FilterNode => ({ kind: 'cmp', field, op: '==', value, caseInsensitive: true });

describe('SCIM filter → filter tree', () => {
  it('compiles every operator', () => {
    const cases: [string, FilterNode][] = [
      ['userName eq "bjensen"', eqi('username', 'bjensen')],
      ['userName ne "bjensen"', { kind: 'not', child: eqi('username', 'bjensen') }],
      ['name.familyName co "O\'Malley"', { kind: 'contains', field: 'lastName', value: "O'Malley", caseInsensitive: true }],
      ['userName sw "J"', { kind: 'startsWith', field: 'username', value: 'J', caseInsensitive: true }],
      ['emails.value ew "@example.com"', { kind: 'endsWith', field: 'email', value: '@example.com', caseInsensitive: true }],
      ['meta.created gt "2011-05-13T04:42:34Z"', { kind: 'cmp', field: 'createdAt', op: '>', value: '2011-05-13T04:42:34Z' }],
      ['meta.created ge "2011"', { kind: 'cmp', field: 'createdAt', op: '>=', value: '2011' }],
      ['id lt 10', { kind: 'cmp', field: 'id', op: '<', value: 10 }],
      ['id le 10', { kind: 'cmp', field: 'id', op: '<=', value: 10 }],
      ['active eq true', { kind: 'cmp', field: 'isActive', op: '==', value: true }],
      ['externalId eq "AbC"', { kind: 'cmp', field: 'ref', op: '==', value: 'AbC' }],
      [
        'displayName pr',
        {
          kind: 'and',
          children: [
            { kind: 'not', child: { kind: 'isNull', field: 'displayName' } },
            { kind: 'cmp', field: 'displayName', op: '!=', value: '' },
          ],
        },
      ],
      ['meta.lastModified pr', { kind: 'not', child: { kind: 'isNull', field: 'updatedAt' } }],
      ['meta.lastModified eq null', { kind: 'isNull', field: 'updatedAt' }],
      ['meta.lastModified ne null', { kind: 'not', child: { kind: 'isNull', field: 'updatedAt' } }],
    ];
    for (const [text, tree] of cases) expect(parse(text), text).toEqual(tree);
  });

  it('gives not > and > or precedence, groups with parentheses, and reads value paths', () => {
    expect(parse('userName eq "a" or userName eq "b" and active eq true')).toEqual({
      kind: 'or',
      children: [
        eqi('username', 'a'),
        { kind: 'and', children: [eqi('username', 'b'), { kind: 'cmp', field: 'isActive', op: '==', value: true }] },
      ],
    });
    expect(parse('(userName eq "a" or userName eq "b") and not (active eq false)')).toEqual({
      kind: 'and',
      children: [
        { kind: 'or', children: [eqi('username', 'a'), eqi('username', 'b')] },
        { kind: 'not', child: { kind: 'cmp', field: 'isActive', op: '==', value: false } },
      ],
    });
    expect(parse('emails[value co "@example.com"]')).toEqual({
      kind: 'contains',
      field: 'email',
      value: '@example.com',
      caseInsensitive: true,
    });
  });

  it('is case-insensitive in operators and attribute names, and accepts schema URNs', () => {
    expect(parse('USERNAME EQ "x" AND Active Eq TRUE')).toEqual({
      kind: 'and',
      children: [eqi('username', 'x'), { kind: 'cmp', field: 'isActive', op: '==', value: true }],
    });
    expect(parse('urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"')).toEqual(eqi('username', 'x'));
    expect(parse('urn:ietf:params:scim:schemas:core:2.0:User:name.familyName eq "x"')).toEqual(eqi('lastName', 'x'));
  });

  it('reads JSON string escapes and keeps metacharacters as data', () => {
    expect(parse('userName eq "a\\"b\\\\c%_\'"')).toEqual(eqi('username', 'a"b\\c%_\''));
    expect(parse('userName eq "\\u00e9"')).toEqual(eqi('username', 'é'));
  });

  it('refuses what it cannot compile, saying where', () => {
    const cases: [string, RegExp][] = [
      ['', /filter is empty/],
      ['   ', /filter is empty/],
      ['password eq "x"', /attribute 'password' at position 0 is not supported/],
      ['constructor eq "x"', /attribute 'constructor' at position 0 is not supported/],
      ['userName xx "x"', /expected an operator .* at position 9, found 'xx'/],
      ['userName eq', /expected a value .* at position 11, found the end of the filter/],
      ['userName eq "x" and', /expected an attribute name at position 19, found the end of the filter/],
      ['userName eq "x" userName eq "y"', /unexpected 'userName' at position 16/],
      ['(userName eq "x"', /expected '\)' at position 16/],
      ['userName eq "x")', /unexpected '\)' at position 15/],
      ['userName eq "abc', /unterminated string starting at position 12/],
      ['userName eq "a\\qb"', /invalid string literal at position 12/],
      ['userName eq bjensen', /expected a value .* found 'bjensen'/],
      ['userName eq #', /unexpected character '#' at position 12/],
      ['userName gt 5', /attribute 'userName' cannot be compared with 5/],
      ['id eq "5"', /attribute 'id' cannot be compared with "5"/],
      ['id eq 1.5', /attribute 'id' cannot be compared with 1.5/],
      ['id eq 99999999999', /cannot be compared/],
      ['id co 5', /cannot be compared/],
      ['active gt true', /attribute 'active' cannot be compared with true/],
      ['userName lt null', /cannot be compared with null/],
      ['emails[type eq "work"]', /attribute 'emails.type' at position 7 is not supported/],
      ['emails[value eq "a"', /expected '\]'/],
      ['not userName eq "x"', /expected '\(' after 'not' at position 4, found 'userName'/],
    ];
    for (const [text, message] of cases) expect(refusal(text), text).toMatch(message);
  });

  it('refuses hostile sizes quickly', () => {
    const started = performance.now();
    expect(refusal(`${'('.repeat(2000)}userName eq "x"${')'.repeat(2000)}`)).toMatch(/nested too deeply/);
    expect(refusal(`userName eq "${'x'.repeat(600)}"`)).toMatch(/value is too long/);
    expect(refusal(Array(300).fill('id eq 1').join(' or '))).toMatch(/too many terms/);
    expect(refusal(`userName eq "${'x'.repeat(9000)}"`)).toMatch(/filter is too long/);
    expect(refusal('userName eq "a\\u0000b"')).toMatch(/cannot be stored/);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
