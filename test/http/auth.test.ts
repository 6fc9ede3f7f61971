/** The shared auth hook as another surface would use it: HTTP Basic through the password login, cookie opt-in. */
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, allScopes } from '../../src/core/auth/actor.ts';
import { AppError } from '../../src/core/errors.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import { actorOf, passwordBasic, requireActor } from '../../src/http/auth.ts';
import { SESSION_COOKIE } from '../../src/http/session-cookie.ts';
import { buildTestCore, type TestCore } from '../helpers/core.ts';
import { dialects } from '../helpers/dialects.ts';

const PASSWORD = 'basic but long enough';
const basicHeader = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

describe.each(dialects)('shared auth hook on %s', (dialect) => {
  let t: TestCore;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await buildTestCore(dialect, { loginMaxFailures: 2 });
    app = Fastify();
    await app.register(cookie);
    // A surface that takes Token and Basic but not the cookie, with its own refusal body.
    app.setErrorHandler((err, _req, reply) => {
      if (err instanceof AppError && err.retryAfter) reply.header('retry-after', String(err.retryAfter));
      return reply.code(err instanceof AppError ? err.status : 500).send({ detail: (err as Error).message });
    });
    app.addHook(
      'preHandler',
      requireActor(t.core, {
        styles: ['token', 'basic'],
        basic: passwordBasic(t.core),
        refuse: (reply, failure) => reply.code(401).send({ failure }),
      }),
    );
    app.get('/whoami', async (req) => ({ id: actorOf(req).user.id, kind: actorOf(req).credential.kind }));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('accepts HTTP Basic with username or email, without recording a login', async () => {
    const user = await t.core.users.createTrusted({ email: 'basic@example.com', username: 'basic', password: PASSWORD });
    for (const login of ['basic', 'BASIC@example.com']) {
      const r = await app.inject({ method: 'GET', url: '/whoami', headers: basicHeader(login, PASSWORD) });
      expect(r.json()).toEqual({ id: user.id, kind: 'password' });
    }
    expect((await t.core.users.findById(user.id))?.lastLoginAt).toBeNull();
  });

  it('refuses a wrong password, an expired one, and throttles guesses', async () => {
    await t.core.users.createTrusted({ email: 'expired@example.com', username: 'expired', password: PASSWORD, passwordExpired: true });
    const expired = await app.inject({ method: 'GET', url: '/whoami', headers: basicHeader('expired', PASSWORD) });
    expect(expired.json()).toEqual({ failure: 'password_expired' });
    const guesses: number[] = [];
    for (let i = 0; i < 4; i++)
      guesses.push((await app.inject({ method: 'GET', url: '/whoami', headers: basicHeader('basic', 'a wrong guess') })).statusCode);
    expect(guesses).toEqual([401, 401, 401, 429]);
    const right = await app.inject({ method: 'GET', url: '/whoami', headers: basicHeader('basic', PASSWORD) });
    expect(right.statusCode).toBe(429);
    expect(right.headers['retry-after']).toBe('1');
  });

  it('ignores the session cookie unless the surface opts in', async () => {
    const user = await t.core.users.createTrusted({ email: 'cookie@example.com' });
    const { token } = await t.core.sessions.start(user);
    const r = await app.inject({ method: 'GET', url: '/whoami', cookies: { [SESSION_COOKIE]: token } });
    expect(r.json()).toEqual({ failure: 'missing' });
    const asToken = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Token ${token}` } });
    expect(asToken.json()).toEqual({ id: user.id, kind: 'session' });
    // Where the cookie is accepted, its hash (taken once, for the rate limiter too) is what the lookup uses.
    expect(await t.core.sessions.authenticate(token, sha256Hex(token))).toMatchObject({ ok: true, actor: { user: { id: user.id } } });
    expect(await t.core.sessions.authenticate(token, sha256Hex(`${token}x`))).toBeUndefined();
  });

  it('looks a secret up by the SHA-256 it is handed, and each unknown shape is refused as invalid', async () => {
    const user = await t.core.users.createTrusted({ email: 'keyed@example.com' });
    const self: Actor = { user, credential: { kind: 'password', id: 'test', scopes: allScopes }, groups: [] };
    const { secret } = await t.core.apiKeys.create(self, user, { name: 'hashed once' });
    const viaHook = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Token ${secret}` } });
    expect(viaHook.json()).toEqual({ id: user.id, kind: 'api_key' });
    // The request's hash (taken once, for the rate limiter too) is what the lookup uses.
    expect(await t.core.authenticate(secret, sha256Hex(secret))).toMatchObject({ ok: true, actor: { user: { id: user.id } } });
    expect(await t.core.authenticate(secret, sha256Hex(`${secret}x`))).toEqual({ ok: false, reason: 'invalid' });
    // An API-key-, session- and OAuth-token-shaped secret that matches nothing: every verifier declines.
    for (const unknown of [`${secret.slice(0, -4)}zzzz`, `rss_${'a'.repeat(43)}`, 'A'.repeat(43)]) {
      const r = await app.inject({ method: 'GET', url: '/whoami', headers: { authorization: `Token ${unknown}` } });
      expect(r.statusCode, unknown).toBe(401);
      expect(r.json()).toEqual({ failure: 'invalid' });
    }
  });
});
