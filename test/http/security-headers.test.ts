/**
 * The precomputed security headers are exactly what @fastify/helmet sets, on every response
 * (errors included), set by one hook instead of the plugin's per-request work.
 */
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHeaders, helmetHeaders, registerSecurityHeaders } from '../../src/http/security-headers.ts';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';

const options = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"] } } };

describe('security headers', () => {
  it("equal the headers @fastify/helmet itself sets globally, plus the API's no-store", async () => {
    const plain = Fastify();
    plain.get('/', async () => 'x');
    const withPlugin = Fastify();
    await withPlugin.register(helmet, { ...options, global: true });
    withPlugin.get('/', async () => 'x');
    const ours = Fastify();
    await registerSecurityHeaders(ours, options);
    ours.get('/', async () => 'x');
    const [a, b, c] = await Promise.all([plain, withPlugin, ours].map((app) => app.inject({ method: 'GET', url: '/' })));
    const added = (h: Record<string, unknown>) => Object.fromEntries(Object.entries(h).filter(([k]) => !(k in (a?.headers ?? {}))));
    expect(added(c?.headers ?? {})).toEqual({ ...added(b?.headers ?? {}), ...apiHeaders });
    expect(c?.headers['cache-control']).toBe('no-store');
    expect(await helmetHeaders(options)).toEqual(added(b?.headers ?? {}));
    expect(c?.headers['content-security-policy']).toMatch(/^default-src 'self';.*script-src 'self'/);
    expect(c?.headers['x-content-type-options']).toBe('nosniff');
  });

  it('come from one hook: no @fastify/helmet hooks on the app', async () => {
    const app = Fastify();
    await registerSecurityHeaders(app, options);
    app.get('/', async () => 'x');
    await app.ready();
    expect(app.hasReplyDecorator('helmet')).toBe(false);
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  describe('on the real app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp('sqlite');
    });
    afterAll(async () => t?.close());

    it('are on API answers, 401s and 404s alike, and no answer about a user may be cached', async () => {
      for (const [url, headers, status] of [
        ['/v1/users/me', bearer(t.adminKey), 200],
        ['/v1/users?limit=1', bearer(t.adminKey), 200],
        ['/api/v1/users/me/', { 'x-api-key': t.adminKey }, 200],
        ['/api/users/self', { authorization: `Token ${t.adminKey}` }, 200],
        ['/v1/users/me', {}, 401],
        ['/nowhere', {}, 404],
      ] as const) {
        const r = await t.inject({ method: 'GET', url, headers });
        expect(r.statusCode).toBe(status);
        expect(r.headers['content-security-policy']).toContain("default-src 'self'");
        expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(r.headers['x-content-type-options']).toBe('nosniff');
        expect(r.headers['cache-control'], url).toBe('no-store');
      }
    });
  });
});
