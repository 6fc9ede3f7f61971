/**
 * Plane's throttle: per key, PLANE_RATE_LIMIT_PER_MINUTE (60 by default), 429 with Plane's body,
 * X-RateLimit-Remaining and X-RateLimit-Reset (unix seconds) on every answer of the API routes.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { principal, uniqueSlug } from '../../tenancy/helpers.ts';

const ME = '/api/v1/users/me/';
const rateLimited = { error_code: 5900, error_message: 'RATE_LIMIT_EXCEEDED' };
const unknownKey = () => `plane_api_${randomBytes(16).toString('hex')}`;

describe.each(dialects)('Plane rate limit on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect, { PLANE_RATE_LIMIT_PER_MINUTE: '3' });
  });
  afterAll(async () => t?.close());

  const me = (headers: Record<string, string>) => t.inject({ method: 'GET', url: ME, headers });

  it("answers the request over the limit with 429 and Plane's body", async () => {
    const { key } = await t.newUser();
    for (let i = 0; i < 3; i++) expect((await me({ 'x-api-key': key })).statusCode).toBe(200);
    const over = await me({ 'x-api-key': key });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toEqual(rateLimited);
    expect(over.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('shows X-RateLimit-Remaining counting down and X-RateLimit-Reset as unix seconds', async () => {
    const { key } = await t.newUser();
    const before = Math.floor(Date.now() / 1000);
    const first = await me({ 'x-api-key': key });
    const second = await me({ 'x-api-key': key });
    expect(first.headers['x-ratelimit-remaining']).toBe('2');
    expect(second.headers['x-ratelimit-remaining']).toBe('1');
    const reset = Number(first.headers['x-ratelimit-reset']);
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset).toBeGreaterThanOrEqual(before + 59);
    expect(reset).toBeLessThanOrEqual(before + 61);
  });

  it('counts each key apart', async () => {
    const a = await t.newUser();
    const b = await t.newUser();
    for (let i = 0; i < 4; i++) await me({ 'x-api-key': a.key });
    expect((await me({ 'x-api-key': a.key })).statusCode).toBe(429);
    const other = await me({ 'x-api-key': b.key });
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-ratelimit-remaining']).toBe('2');
  });

  it('counts one key once, whichever header carries it', async () => {
    const { key } = await t.newUser();
    await me({ 'x-api-key': key });
    await me(bearer(key));
    await me({ 'x-api-key': key });
    expect((await me(bearer(key))).statusCode).toBe(429);
  });

  it('cannot be dodged with a fresh Bearer value next to the X-Api-Key that authenticates', async () => {
    const { key } = await t.newUser();
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await me({ 'x-api-key': key, ...bearer(unknownKey()) })).statusCode);
    expect(answers).toEqual([200, 200, 200, 429, 429]);
  });

  it('puts the headers on 401, 403, 404 and 405 answers of the API routes too', async () => {
    const owner = await principal(t);
    const outsider = await principal(t);
    const org = await t.core.orgs.create(owner.actor, { slug: uniqueSlug('rl'), name: 'RL' });
    await t.core.projects.create(owner.actor, org.id, { name: 'P' });
    const answers = [
      await me({ 'x-api-key': unknownKey() }),
      await t.inject({ method: 'GET', url: `/api/v1/workspaces/${org.slug}/members/`, headers: { 'x-api-key': outsider.key } }),
      await t.inject({
        method: 'GET',
        url: `/api/v1/workspaces/${org.slug}/projects/00000000-0000-4000-8000-000000000000/members/`,
        headers: { 'x-api-key': owner.key },
      }),
      await t.inject({ method: 'POST', url: ME, headers: { 'x-api-key': owner.key } }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([401, 403, 404, 405]);
    for (const r of answers) {
      expect(r.headers['x-ratelimit-remaining']).toMatch(/^\d+$/);
      expect(r.headers['x-ratelimit-reset']).toMatch(/^\d{10}$/);
    }
  });

  it('also throttles requests without a key, by client address', async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const answers: number[] = [];
    for (let i = 0; i < 4; i++) answers.push((await t.inject({ method: 'GET', url: ME, remoteAddress: address })).statusCode);
    expect(answers).toEqual([401, 401, 401, 429]);
  });

  it('leaves the slash redirect unthrottled, as Django answers it before any view', async () => {
    const { key } = await t.newUser();
    for (let i = 0; i < 5; i++) {
      const r = await t.inject({ method: 'GET', url: '/api/v1/users/me', headers: { 'x-api-key': key } });
      expect(r.statusCode).toBe(301);
      expect(r.headers['x-ratelimit-remaining']).toBeUndefined();
    }
    expect((await me({ 'x-api-key': key })).headers['x-ratelimit-remaining']).toBe('2');
  });
});

describe.each(dialects)('Plane rate limit default on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('allows 60 requests a minute per key by default', async () => {
    expect(t.config.PLANE_RATE_LIMIT_PER_MINUTE).toBe(60);
    const { key } = await t.newUser();
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push((await t.inject({ method: 'GET', url: ME, headers: { 'x-api-key': key } })).statusCode);
    expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
    expect(statuses[60]).toBe(429);
  });
});

const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('Plane rate limit over Redis', () => {
  it("shares one key's counter between two instances", async () => {
    const env = { REDIS_URL: redisUrl as string, PLANE_RATE_LIMIT_PER_MINUTE: '2' };
    const one = await buildTestApp('sqlite', env);
    const two = await buildTestApp('sqlite', env);
    try {
      const key = unknownKey();
      const headers = { 'x-api-key': key };
      expect((await one.inject({ method: 'GET', url: ME, headers })).statusCode).toBe(401);
      expect((await two.inject({ method: 'GET', url: ME, headers })).statusCode).toBe(401);
      const third = await one.inject({ method: 'GET', url: ME, headers });
      expect(third.statusCode).toBe(429);
      expect(third.json()).toEqual(rateLimited);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
