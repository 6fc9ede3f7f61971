/**
 * Every error of the Overplane surface in Stripe's envelope: 400 (missing, unknown, invalid,
 * malformed), 401, 403, 404, 405, 409, 413, 429 and 5xx. None is a 500, none writes anything.
 */
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.ts';
import { stripeErrorOf } from '../../../src/surfaces/overplane/errors.ts';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { caller, stripeError, uniqueEmail } from './helpers.ts';

describe.each(dialects)('overplane errors on %s', (dialect) => {
  let t: TestApp;
  let plain: { key: string; ref: string };
  let target: string;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const u = await t.newUser({ email: uniqueEmail('plain') });
    plain = { key: u.key, ref: u.user.ref };
    target = (await t.newUser({ email: uniqueEmail('target'), firstName: 'Target' })).user.ref;
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    call({ method: 'POST', url: '/api/core/user', payload: payload as string, headers });

  describe('401 authentication_error', () => {
    const cases: [string, Record<string, string>][] = [
      ['no credentials', {}],
      ['X-Api-Key (not this surface)', { 'x-api-key': 'KEY' }],
      ['Token scheme', { authorization: 'Token KEY' }],
      ['Basic auth', { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` }],
      ['unknown bearer key', { authorization: 'Bearer rst_nope0000_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }],
      ['two words after Bearer', { authorization: 'Bearer KEY extra' }],
      ['empty bearer', { authorization: 'Bearer ' }],
    ];
    for (const [name, headers] of cases) {
      it(name, async () => {
        const real = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('KEY', t.adminKey)]));
        for (const [method, url] of [
          ['GET', '/api/core/user'],
          ['POST', '/api/core/user'],
          ['GET', `/api/core/user/${target}`],
        ] as const) {
          const r = await t.inject({
            method,
            url,
            headers: real,
            ...(method === 'POST' ? { payload: { email: 'x@y.z', first_name: 'x' } } : {}),
          });
          const e = stripeError(r, 401);
          expect(e.type).toBe('authentication_error');
          expect(r.headers['www-authenticate']).toContain('Bearer');
          expect(r.body).not.toContain(t.adminKey);
        }
      });
    }

    it('a deactivated user key', async () => {
      const u = await t.newUser({ email: uniqueEmail('off'), isSuperuser: true });
      await t.core.store.users.update(u.user.id, { isActive: false });
      const e = stripeError(await t.inject({ method: 'GET', url: '/api/core/user', headers: bearer(u.key) }), 401);
      expect(e).toMatchObject({ type: 'authentication_error', message: expect.stringContaining('disabled') });
    });
  });

  describe('403 insufficient_permissions for keys that may not manage users', () => {
    it('a non-admin key on every route, writing nothing', async () => {
      const before = await t.core.users.count();
      const routes = [
        { method: 'GET', url: '/api/core/user' },
        { method: 'POST', url: '/api/core/user', payload: { email: uniqueEmail('no'), first_name: 'No' } },
        { method: 'GET', url: `/api/core/user/${target}` },
        { method: 'GET', url: `/api/core/user/${plain.ref}` },
        { method: 'PATCH', url: `/api/core/user/${target}`, payload: { first_name: 'Hacked' } },
        { method: 'PATCH', url: `/api/core/user/${plain.ref}`, payload: { enabled: true } },
        { method: 'DELETE', url: `/api/core/user/${target}` },
        { method: 'GET', url: '/api/core/user/user_doesnotexist' },
      ] as const;
      for (const route of routes) {
        const e = stripeError(await call({ ...route, key: plain.key }), 403);
        expect(e).toEqual({ type: 'invalid_request_error', code: 'insufficient_permissions', message: expect.any(String) });
      }
      expect(await t.core.users.count()).toBe(before);
      expect((await t.core.users.findByRef(target))?.firstName).toBe('Target');
    });

    it("a site admin's key without the admin scope", async () => {
      const admin = (await t.core.users.findByRef(t.admin.ref))!;
      const { secret } = await t.core.apiKeys.mintTrusted(admin, { scopes: ['read', 'write'] });
      const e = stripeError(await call({ method: 'GET', url: '/api/core/user', key: secret }), 403);
      expect(e.code).toBe('insufficient_permissions');
    });

    it('is decided before the body is read: a non-admin with a broken body still gets 403', async () => {
      const r = await call({
        method: 'POST',
        url: '/api/core/user',
        key: plain.key,
        headers: { 'content-type': 'application/json' },
        payload: '{',
      });
      expect(stripeError(r, 403).code).toBe('insufficient_permissions');
    });
  });

  describe('400 invalid_request_error', () => {
    it('parameter_missing for email and first_name', async () => {
      expect(stripeError(await post({ first_name: 'A' }), 400)).toEqual({
        type: 'invalid_request_error',
        code: 'parameter_missing',
        param: 'email',
        message: 'Missing required param: email.',
      });
      expect(stripeError(await post({ email: uniqueEmail() }), 400)).toMatchObject({ code: 'parameter_missing', param: 'first_name' });
      const noBody = await call({ method: 'POST', url: '/api/core/user' });
      expect(stripeError(noBody, 400)).toMatchObject({ code: 'parameter_missing', param: 'email' });
    });

    it('parameter_unknown for parameters the seed does not list, and for id, created_at, updated_at', async () => {
      for (const param of ['id', 'created_at', 'updated_at', 'password', 'is_superuser', 'display_name', 'metadata', 'object']) {
        const e = stripeError(await post({ email: uniqueEmail(), first_name: 'A', [param]: 'x' }), 400);
        expect(e, param).toEqual({
          type: 'invalid_request_error',
          code: 'parameter_unknown',
          param,
          message: `Received unknown parameter: ${param}`,
        });
        const p = stripeError(await call({ method: 'PATCH', url: `/api/core/user/${target}`, payload: { [param]: 'x' } }), 400);
        expect(p).toMatchObject({ code: 'parameter_unknown', param });
      }
    });

    it('parameter_invalid for wrong types and values, naming the param', async () => {
      const base = () => ({ email: uniqueEmail('inv'), first_name: 'Val' });
      const cases: [Record<string, unknown>, string][] = [
        [{ email: 5 }, 'email'],
        [{ email: 'not-an-email' }, 'email'],
        [{ first_name: 7 }, 'first_name'],
        [{ first_name: '   ' }, 'first_name'],
        [{ first_name: null }, 'first_name'],
        [{ middle_name: 5 }, 'middle_name'],
        [{ last_name: ['x'] }, 'last_name'],
        [{ username: 'has spaces!' }, 'username'],
        [{ username: null }, 'username'],
        [{ enabled: 'yes' }, 'enabled'],
        [{ enabled: 1 }, 'enabled'],
        [{ user_type: 'Bot User' }, 'user_type'],
        [{ user_type: 3 }, 'user_type'],
        [{ birth_date: '1990-02-30' }, 'birth_date'],
        [{ birth_date: '10/12/1815' }, 'birth_date'],
        [{ mobile_no: 123 }, 'mobile_no'],
        [{ time_zone: { tz: 'x' } }, 'time_zone'],
        [{ language: 'x'.repeat(200) }, 'language'],
        [{ full_name: 5 }, 'full_name'],
      ];
      const before = await t.core.users.count();
      for (const [patch, param] of cases) {
        const e = stripeError(await post({ ...base(), ...patch }), 400);
        expect(e, JSON.stringify(patch)).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param });
      }
      expect(await t.core.users.count()).toBe(before);
      const p = stripeError(await call({ method: 'PATCH', url: `/api/core/user/${target}`, payload: { email: null } }), 400);
      expect(p).toMatchObject({ code: 'parameter_invalid', param: 'email' });
    });

    it('malformed JSON, a non-object body, an empty JSON body', async () => {
      const json = { 'content-type': 'application/json' };
      for (const payload of ['{"email":', '[]', '"text"', '42', 'null', '{"email": "a@b.c",}']) {
        const e = stripeError(await post(payload, json), 400);
        expect(e.type, payload).toBe('invalid_request_error');
      }
      expect(stripeError(await post('', json), 400).type).toBe('invalid_request_error');
    });
  });

  it('404 for unknown paths under /api/core, in the envelope', async () => {
    for (const url of [
      '/api/core',
      '/api/core/',
      '/api/core/users',
      '/api/core/user/',
      `/api/core/user/${target}/extra`,
      '/api/core/x?y=1',
    ]) {
      const e = stripeError(await call({ method: 'GET', url }), 404);
      expect(e, url).toMatchObject({ type: 'invalid_request_error', message: expect.stringContaining('Unrecognized request URL') });
    }
  });

  it('405 for wrong methods, with Allow', async () => {
    for (const [method, url, allow] of [
      ['PUT', '/api/core/user', 'POST'],
      ['DELETE', '/api/core/user', 'GET'],
      ['PATCH', '/api/core/user', 'GET'],
      ['PUT', `/api/core/user/${target}`, 'PATCH'],
      ['POST', `/api/core/user/${target}`, 'DELETE'],
    ] as const) {
      const r = await call({ method, url, payload: {} });
      expect(stripeError(r, 405).type).toBe('invalid_request_error');
      expect(r.headers.allow).toContain(allow);
    }
  });

  it('409 resource_already_exists for a taken email, username or mobile_no, with param', async () => {
    const tag = Math.floor(Math.random() * 1e9);
    const first = await post({ email: uniqueEmail('dup'), first_name: 'Dup', username: `dup${tag}`, mobile_no: `+1${tag}` });
    expect(first.statusCode, first.body).toBe(200);
    const u = first.json();
    const cases: [Record<string, unknown>, string][] = [
      [{ email: u.email.toUpperCase() }, 'email'],
      [{ username: `DUP${tag}` }, 'username'],
      [{ mobile_no: `+1${tag}` }, 'mobile_no'],
    ];
    const before = await t.core.users.count();
    for (const [clash, param] of cases) {
      const e = stripeError(await post({ email: uniqueEmail('dup2'), first_name: 'Other', ...clash }), 409);
      expect(e, param).toEqual({
        type: 'invalid_request_error',
        code: 'resource_already_exists',
        param,
        message: `A user with this ${param} already exists.`,
      });
      const p = stripeError(await call({ method: 'PATCH', url: `/api/core/user/${target}`, payload: clash }), 409);
      expect(p).toMatchObject({ code: 'resource_already_exists', param });
    }
    expect(await t.core.users.count()).toBe(before);
  });

  it('413 for a body over the limit', async () => {
    const big = JSON.stringify({ email: 'a@b.co', first_name: 'x'.repeat(t.config.BODY_LIMIT_BYTES + 10) });
    const e = stripeError(await post(big, { 'content-type': 'application/json' }), 413);
    expect(e.type).toBe('invalid_request_error');
  });
});

describe('overplane error formatter', () => {
  const req = { params: {}, headers: {}, method: 'GET', url: '/api/core/user', body: undefined } as unknown as FastifyRequest;

  it('maps RATE_LIMITED (core) and a 429 from the rate-limit plugin to 429 rate_limit_error with Retry-After', () => {
    expect(stripeErrorOf(new AppError('RATE_LIMITED', undefined, { retryAfter: 30 }), req)).toEqual({
      status: 429,
      retryAfter: 30,
      error: { type: 'rate_limit_error', code: 'rate_limit', message: expect.any(String) },
    });
    const pluginError = Object.assign(new Error('Rate limit exceeded, retry in 1 minute'), { statusCode: 429 });
    expect(stripeErrorOf(pluginError, req)).toMatchObject({ status: 429, error: { type: 'rate_limit_error', code: 'rate_limit' } });
  });

  it('hides unexpected failures behind 500 api_error and database outages behind 503', () => {
    const boom = stripeErrorOf(new Error('secret internal detail'), req);
    expect(boom).toEqual({ status: 500, error: { type: 'api_error', message: expect.any(String) } });
    expect(JSON.stringify(boom)).not.toContain('secret internal detail');
    const down = stripeErrorOf(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), req);
    expect(down).toMatchObject({ status: 503, error: { type: 'api_error' } });
  });

  it('maps idempotency refusals to idempotency_error (400 other parameters, 409 in progress)', () => {
    expect(stripeErrorOf(new AppError('IDEMPOTENCY_KEY_REUSED'), req)).toMatchObject({ status: 400, error: { type: 'idempotency_error' } });
    expect(stripeErrorOf(new AppError('IDEMPOTENCY_IN_PROGRESS'), req)).toMatchObject({
      status: 409,
      error: { type: 'idempotency_error', code: 'idempotency_key_in_use' },
    });
  });
});
