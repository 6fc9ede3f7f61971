import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { expectZenmlUser, form, json, newOrganization, STRONG_PASSWORD, USER_KEYS } from './helpers.ts';

describe.each(dialects)('ZenML /users/me on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const me = (key: string) => t.inject({ method: 'GET', url: '/users/me', headers: bearer(key) });
  const patch = (key: string, payload: unknown) =>
    t.inject({ method: 'PATCH', url: '/users/me', headers: bearer(key), payload: payload as object });

  describe('GET', () => {
    it('answers the seventeen documented keys in order, password null, name the display name, id the uuid', async () => {
      const { user, key } = await t.newUser({ firstName: 'Ada', lastName: 'Lovelace', company: 'Analytical', jobTitle: 'Engineer' });
      const r = await me(key);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('application/json');
      const body = json(r);
      expectZenmlUser(body);
      expect(body).toEqual({
        password: null,
        password_expired: false,
        name: 'Ada Lovelace',
        avatar_url: null,
        company: 'Analytical',
        job_title: 'Engineer',
        metadata: {},
        id: user.uuid,
        username: user.username,
        email: user.email,
        oauth_provider: null,
        oauth_id: null,
        is_active: true,
        is_superuser: false,
        is_service_account: false,
        organization_id: null,
        is_onboarded: false,
      });
      // the raw text has the same order (the serializer, not just the parsed object)
      expect(r.body.startsWith('{"password":null,"password_expired":false,"name":"Ada Lovelace"')).toBe(true);
      expect(r.body).not.toMatch(/argon2|password_hash|secret/);
    });

    it('shows a service account with is_service_account, its organization uuid and email = username', async () => {
      const org = await newOrganization(t);
      const { user, key } = await t.newUser(
        { username: 'autobot', displayName: 'Automation Bot' },
        { isServiceAccount: true, serviceOrgId: org.id },
      );
      const body = json(await me(key));
      expectZenmlUser(body);
      expect(body).toMatchObject({
        name: 'Automation Bot',
        id: user.uuid,
        username: 'autobot',
        email: 'autobot',
        is_service_account: true,
        organization_id: org.uuid,
        is_superuser: false,
      });
    });

    it('shows OAuth-linked accounts with their provider and id', async () => {
      const { key } = await t.newUser({}, { oauthProvider: 'google', oauthId: 'g-123' });
      expect(json(await me(key))).toMatchObject({ oauth_provider: 'google', oauth_id: 'g-123' });
    });

    it('refuses no, malformed, unknown and deactivated credentials with FastAPI 401 and WWW-Authenticate: Bearer', async () => {
      const { user, key } = await t.newUser();
      await t.core.users.updateTrusted(user, { isActive: false });
      const cases = [
        {},
        { authorization: 'Bearer' },
        { authorization: 'Bearer two words' },
        { authorization: 'Basic YWRtaW46YWRtaW4=' },
        { 'x-api-key': t.adminKey },
        bearer('rst_nope0000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'),
        bearer(key),
      ];
      for (const headers of cases) {
        const r = await t.inject({ method: 'GET', url: '/users/me', headers });
        expect(r.statusCode, JSON.stringify(headers)).toBe(401);
        expect(r.json()).toEqual({ detail: 'Not authenticated' });
        expect(r.headers['www-authenticate']).toBe('Bearer');
      }
    });
  });

  describe('PATCH: validation (422, pydantic v2 format)', () => {
    let key: string;
    beforeAll(async () => {
      ({ key } = await t.newUser());
    });

    it.each(['name', 'company', 'job_title'])('%s: 0 → string_too_short, 51 → string_too_long; 1 and 50 are stored', async (field) => {
      const short = await patch(key, { [field]: '' });
      expect(short.statusCode).toBe(422);
      expect(short.json()).toEqual({
        detail: [
          {
            type: 'string_too_short',
            loc: ['body', field],
            msg: 'String should have at least 1 character',
            input: '',
            ctx: { min_length: 1 },
          },
        ],
      });
      const long = await patch(key, { [field]: 'y'.repeat(51) });
      expect(long.statusCode).toBe(422);
      expect(long.json()).toEqual({
        detail: [
          {
            type: 'string_too_long',
            loc: ['body', field],
            msg: 'String should have at most 50 characters',
            input: 'y'.repeat(51),
            ctx: { max_length: 50 },
          },
        ],
      });
      for (const value of ['y', 'y'.repeat(50)]) {
        const r = await patch(key, { [field]: value });
        expect(r.statusCode).toBe(200);
        expect(json(r)[field]).toBe(value);
      }
    });

    it('username: 0, 51 characters and the pattern are refused once per union branch; 1 and 50 are stored', async () => {
      for (const bad of ['', 'u'.repeat(51), 'no spaces', 'semi;colon']) {
        const r = await patch(key, { username: bad });
        expect(r.statusCode, bad).toBe(422);
        const detail = r.json().detail as { type: string; loc: string[] }[];
        expect(detail.map((d) => d.loc)).toEqual([
          ['body', 'username', 'constrained-str'],
          ['body', 'username', 'function-after[_validate(), str]'],
        ]);
        expect(detail[1]?.type).toBe('value_error');
      }
      expect((await patch(key, { username: 'semi;colon' })).json().detail[0]).toEqual({
        type: 'string_pattern_mismatch',
        loc: ['body', 'username', 'constrained-str'],
        msg: "String should match pattern '^[a-zA-Z0-9_\\-@.]+$'",
        input: 'semi;colon',
        ctx: { pattern: '^[a-zA-Z0-9_\\-@.]+$' },
      });
      for (const good of ['k', 'w'.repeat(50)]) {
        const r = await patch(key, { username: good });
        expect(r.statusCode, good).toBe(200);
        expect(json(r).username).toBe(good);
      }
    });

    it('username may be an email address, even one the pattern does not allow', async () => {
      const address = `ada+zen${Date.now()}@example.com`;
      const r = await patch(key, { username: address });
      expect(r.statusCode).toBe(200);
      expect(json(r).username).toBe(address);
    });

    it('email: invalid addresses are value_error with the validator reason; a valid one is stored lower-case', async () => {
      for (const [bad, reason] of [
        ['nope', 'An email address must have an @-sign.'],
        ['ada@localhost', 'The part after the @-sign is not valid. It should have a period.'],
        ['ada@@example.com', "The part after the @-sign contains invalid characters: '@'."],
      ]) {
        const r = await patch(key, { email: bad });
        expect(r.statusCode, bad).toBe(422);
        expect(r.json()).toEqual({
          detail: [
            {
              type: 'value_error',
              loc: ['body', 'email'],
              msg: `value is not a valid email address: ${reason}`,
              input: bad,
              ctx: { reason },
            },
          ],
        });
      }
      const address = `Ada.${Date.now()}@Example.com`;
      const ok = await patch(key, { email: address });
      expect(ok.statusCode).toBe(200);
      expect(json(ok).email).toBe(address.toLowerCase());
    });

    it('wrong types, unknown fields, several violations at once: one entry each, nothing written', async () => {
      const before = json(await me(key));
      const r = await patch(key, { name: 7, is_onboarded: 'perhaps', metadata: 'x', is_staff: true, organization_id: 'x' });
      expect(r.statusCode).toBe(422);
      expect(r.json().detail.map((d: { type: string; loc: string[] }) => [d.type, d.loc.join('.')])).toEqual([
        ['string_type', 'body.name'],
        ['dict_type', 'body.metadata'],
        ['bool_parsing', 'body.is_onboarded'],
        ['extra_forbidden', 'body.is_staff'],
        ['extra_forbidden', 'body.organization_id'],
      ]);
      expect(json(await me(key))).toEqual(before);
    });

    it('bodies FastAPI cannot read: missing, malformed JSON, not an object, not JSON', async () => {
      const send = (payload: string, type?: string) =>
        t.inject({ method: 'PATCH', url: '/users/me', headers: { ...bearer(key), ...(type ? { 'content-type': type } : {}) }, payload });
      expect((await send('', 'application/json')).json()).toEqual({
        detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }],
      });
      expect((await send('')).json()).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
      const broken = await send('{"name": ', 'application/json');
      expect(broken.statusCode).toBe(422);
      expect(broken.json().detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', expect.any(Number)], msg: 'JSON decode error' });
      const poisoned = await send('{"__proto__": {"is_superuser": true}}', 'application/json');
      expect(poisoned.statusCode).toBe(422);
      expect(poisoned.json().detail[0].type).toBe('json_invalid');
      const list = await send('[1,2]', 'application/json');
      expect(list.json()).toEqual({
        detail: [
          {
            type: 'model_attributes_type',
            loc: ['body'],
            msg: 'Input should be a valid dictionary or object to extract fields from',
            input: [1, 2],
          },
        ],
      });
      const formBody = await send('name=Ada', 'application/x-www-form-urlencoded');
      expect(formBody.statusCode).toBe(422);
      expect(formBody.json().detail[0]).toMatchObject({ type: 'model_attributes_type', input: 'name=Ada' });
      const text = await send('hello', 'text/plain');
      expect(text.statusCode).toBe(422);
      expect(text.json().detail[0]).toMatchObject({ type: 'model_attributes_type', input: 'hello' });
    });
  });

  describe('PATCH: semantics', () => {
    it('changes only the fields sent; null clears optional text and returns the documented shape', async () => {
      const { key } = await t.newUser({ firstName: 'Grace', lastName: 'Hopper', company: 'Navy', jobTitle: 'Admiral' });
      const a = await patch(key, {
        job_title: 'Rear Admiral',
        metadata: { team: 'cobol' },
        is_onboarded: true,
        avatar_url: 'https://x.test/a.png',
      });
      expect(a.statusCode).toBe(200);
      expectZenmlUser(json(a));
      expect(json(a)).toMatchObject({
        name: 'Grace Hopper',
        company: 'Navy',
        job_title: 'Rear Admiral',
        metadata: { team: 'cobol' },
        is_onboarded: true,
        avatar_url: 'https://x.test/a.png',
      });
      const b = await patch(key, {
        company: null,
        avatar_url: null,
        metadata: null,
        name: null,
        username: null,
        email: null,
        is_onboarded: null,
      });
      expect(b.statusCode).toBe(200);
      // name null falls back to the derived display name ("First Last"); metadata to {}
      expect(json(b)).toMatchObject({
        name: 'Grace Hopper',
        company: null,
        avatar_url: null,
        metadata: {},
        job_title: 'Rear Admiral',
        is_onboarded: true,
      });
      const empty = await patch(key, {});
      expect(json(empty)).toEqual(json(b));
      expect(json(await me(key))).toEqual(json(b));
    });

    it('a new password needs old_password (403 without it or with a wrong one); with it the password changes and password_expired clears', async () => {
      const { user, key } = await t.newUser({ password: STRONG_PASSWORD, passwordExpired: true });
      const without = await patch(key, { password: 'A-brand-new-passw0rd' });
      expect(without.statusCode).toBe(403);
      expect(without.json()).toEqual({ detail: expect.any(String) });
      const wrong = await patch(key, { password: 'A-brand-new-passw0rd', old_password: 'not-the-password' });
      expect(wrong.statusCode).toBe(403);
      const weak = await patch(key, { password: 'short', old_password: STRONG_PASSWORD });
      expect(weak.statusCode).toBe(422);
      expect(weak.json().detail[0]).toMatchObject({ type: 'value_error', loc: ['body', 'password'], input: '**********' });
      expect(weak.body).not.toContain('short"');
      const typed = await patch(key, { password: 12345678, old_password: ['secret-value'] });
      expect(typed.json().detail.map((d: { type: string; input: unknown }) => [d.type, d.input])).toEqual([
        ['string_type', '**********'],
        ['string_type', '**********'],
      ]);
      expect(typed.body).not.toContain('secret-value');
      const ok = await patch(key, { password: 'A-brand-new-passw0rd', old_password: STRONG_PASSWORD, name: 'Renamed' });
      expect(ok.statusCode).toBe(200);
      expect(json(ok)).toMatchObject({ password: null, password_expired: false, name: 'Renamed' });
      const login = await t.inject({
        method: 'POST',
        url: '/auth/login',
        ...form({ username: user.username, password: 'A-brand-new-passw0rd' }),
      });
      expect(login.statusCode).toBe(200);
    });

    it('taken usernames and emails are 409, the reserved admin username included', async () => {
      const other = await t.newUser();
      const { key } = await t.newUser();
      for (const payload of [
        { username: other.user.username },
        { username: other.user.username.toUpperCase() },
        { username: 'admin' },
        { username: 'ADMIN' },
      ]) {
        const r = await patch(key, payload);
        expect(r.statusCode, JSON.stringify(payload)).toBe(409);
        expect(r.json()).toEqual({ detail: expect.any(String) });
      }
      const email = await patch(key, { email: other.user.email });
      expect(email.statusCode).toBe(409);
      expect(email.json()).toEqual({ detail: 'A user with this email address already exists.' });
    });
  });

  describe('PATCH: refusals (403)', () => {
    const refused = async (key: string, payload: unknown) => {
      const before = json(await me(key));
      const r = await patch(key, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(403);
      expect(Object.keys(r.json())).toEqual(['detail']);
      expect(typeof r.json().detail).toBe('string');
      expect(json(await me(key))).toEqual(before);
      return r.json().detail as string;
    };

    it('service accounts and internal users cannot update themselves', async () => {
      const org = await newOrganization(t);
      const bot = await t.newUser({}, { isServiceAccount: true, serviceOrgId: org.id });
      expect(await refused(bot.key, { name: 'Bot' })).toMatch(/Service accounts/);
      const internal = await t.newUser({}, { isServiceAccount: true, serviceOrgId: null });
      expect(await refused(internal.key, { name: 'Internal' })).toMatch(/Internal users/);
    });

    it('a non-superuser cannot set is_superuser or is_active, whatever the value', async () => {
      const { key } = await t.newUser();
      for (const payload of [
        { is_superuser: true },
        { is_superuser: false },
        { is_active: false },
        { is_active: true },
        { name: 'ok', is_superuser: true },
      ]) {
        expect(await refused(key, payload)).toBe('Only superusers can change is_active or is_superuser.');
      }
    });

    it('nobody sets password_expired on themselves, superusers included', async () => {
      const { key } = await t.newUser();
      await refused(key, { password_expired: false });
      await refused(t.adminKey, { password_expired: true });
    });

    it('OAuth-linked accounts cannot change username, email or set a password', async () => {
      const { user, key } = await t.newUser({}, { oauthProvider: 'github', oauthId: 'gh-1' });
      await refused(key, { username: 'renamed-oauth' });
      await refused(key, { email: 'other-oauth@example.com' });
      await refused(key, { password: 'A-brand-new-passw0rd', old_password: 'x' });
      // sending the current values is not a change
      const same = await patch(key, { username: user.username, email: user.email, name: 'Still Me' });
      expect(same.statusCode).toBe(200);
    });

    it('the admin account cannot rename itself, nor drop its own superuser or active flags', async () => {
      await refused(t.adminKey, { username: 'root' });
      await refused(t.adminKey, { is_superuser: false });
      await refused(t.adminKey, { is_active: false });
    });

    it('a read-only credential cannot write', async () => {
      const { user } = await t.newUser();
      const { secret } = await t.core.apiKeys.mintTrusted(user, { scopes: ['read'] });
      expect((await me(secret)).statusCode).toBe(200);
      await refused(secret, { name: 'Nope' });
    });
  });

  it('every response of the surface keeps password null (GET, PATCH, list, create)', async () => {
    const { key } = await t.newUser({ password: STRONG_PASSWORD });
    const bodies = [json(await me(key)), json(await patch(key, { name: 'P' }))];
    const list = await t.inject({ method: 'GET', url: '/users', headers: bearer(t.adminKey) });
    for (const u of list.json() as Record<string, unknown>[]) bodies.push(u);
    for (const b of bodies) {
      expect(Object.keys(b)).toEqual(USER_KEYS);
      expect(b.password).toBeNull();
    }
  });
});
