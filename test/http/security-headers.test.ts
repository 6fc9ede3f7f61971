/**
 * Security headers come in two sets, each set by one synchronous hook instead of @fastify/helmet's
 * per-request work: API answers carry the OWASP REST set (nothing may load, run or be framed, no
 * caching), documents carry exactly what @fastify/helmet sets, plus no-store.
 */
import helmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiHeadersFrom, helmetHeaders, registerSecurityHeaders, useDocumentHeaders } from '../../src/http/security-headers.ts';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';

const options = { contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], scriptSrc: ["'self'"] } } };

/** Helmet headers a rendered page needs and a JSON answer does not. */
const pageOnly = [
  'cross-origin-opener-policy',
  'origin-agent-cluster',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
];

async function headersAdded(app: FastifyInstance, url = '/'): Promise<Record<string, unknown>> {
  const plain = Fastify();
  plain.get(url, async () => 'x');
  const [base, r] = await Promise.all([plain.inject({ method: 'GET', url }), app.inject({ method: 'GET', url })]);
  return Object.fromEntries(Object.entries(r.headers).filter(([k]) => !(k in base.headers)));
}

describe('security headers', () => {
  it("API answers: helmet's values where they protect JSON too, a CSP that allows nothing, DENY framing, no-store", async () => {
    const helmeted = await helmetHeaders(options);
    const app = Fastify();
    await registerSecurityHeaders(app, options);
    app.get('/', async () => 'x');
    const added = await headersAdded(app);
    expect(added).toEqual(apiHeadersFrom(helmeted));
    expect(added).toMatchObject({
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': helmeted['referrer-policy'],
      'strict-transport-security': helmeted['strict-transport-security'],
      'cross-origin-resource-policy': helmeted['cross-origin-resource-policy'],
    });
    for (const name of pageOnly) {
      expect(helmeted[name], name).toBeDefined();
      expect(added[name], name).toBeUndefined();
    }
  });

  it('documents: exactly the headers @fastify/helmet itself sets, plus no-store, in the scope that asks', async () => {
    const withPlugin = Fastify();
    await withPlugin.register(helmet, { ...options, global: true });
    withPlugin.get('/', async () => 'x');
    const ours = Fastify();
    const headers = await registerSecurityHeaders(ours, options);
    await ours.register(async (pages) => {
      useDocumentHeaders(pages, headers);
      pages.get('/page', async () => 'x');
    });
    ours.get('/', async () => 'x');
    const helmets = await headersAdded(withPlugin);
    expect(await helmetHeaders(options)).toEqual(helmets);
    const page = await headersAdded(ours, '/page');
    expect(page).toEqual({ ...helmets, 'cache-control': 'no-store' });
    expect(page['content-security-policy']).toMatch(/^default-src 'self';.*script-src 'self'/);
    expect(page['x-frame-options']).toBe('SAMEORIGIN');
    // the scope's set stays in the scope
    expect((await headersAdded(ours))['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('come from one hook: no @fastify/helmet hooks or decorators on the app', async () => {
    const app = Fastify();
    await registerSecurityHeaders(app, options);
    app.get('/', async () => 'x');
    await app.ready();
    expect(app.hasReplyDecorator('helmet')).toBe(false);
    expect(app.hasReplyDecorator('cspNonce')).toBe(false);
  });

  describe('on the real app', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await buildTestApp('sqlite');
    });
    afterAll(async () => t?.close());

    it('API answers, 401s and 404s on every surface carry the API set, and none may be cached', async () => {
      for (const [url, headers, status] of [
        ['/v1/users/me', bearer(t.adminKey), 200],
        ['/v1/users?limit=1', bearer(t.adminKey), 200],
        ['/api/v1/users/me/', { 'x-api-key': t.adminKey }, 200],
        ['/api/users/self', { authorization: `Token ${t.adminKey}` }, 200],
        ['/v1/users/me', {}, 401],
        ['/nowhere', {}, 404],
      ] as const) {
        const r = await t.inject({ method: 'GET', url, headers });
        expect(r.statusCode, url).toBe(status);
        expect(r.headers['content-security-policy'], url).toBe("default-src 'none'; frame-ancestors 'none'");
        expect(r.headers['x-frame-options'], url).toBe('DENY');
        expect(r.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
        expect(r.headers['x-content-type-options'], url).toBe('nosniff');
        expect(r.headers['cache-control'], url).toBe('no-store');
        expect(r.headers['x-dns-prefetch-control'], url).toBeUndefined();
      }
    });

    it("the API docs and the login pages carry helmet's page set", async () => {
      const docs = await t.inject({ method: 'GET', url: '/docs/' });
      expect(docs.statusCode).toBe(200);
      expect(docs.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(docs.headers['x-dns-prefetch-control']).toBe('off');
      const page = await t.inject({ method: 'GET', url: '/oidc/interaction/unknown' });
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toMatch(/^default-src 'self';/);
      expect(page.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(page.headers['cache-control']).toBe('no-store');
    });

    it("the OpenID provider's own answers, written past Fastify's reply, still carry the headers and the request id", async () => {
      for (const url of ['/.well-known/openid-configuration', '/oidc/.well-known/openid-configuration', '/oidc/jwks']) {
        const r = await t.inject({ method: 'GET', url });
        expect(r.statusCode, url).toBe(200);
        expect(r.headers['x-content-type-options'], url).toBe('nosniff');
        expect(r.headers['strict-transport-security'], url).toMatch(/max-age=\d+/);
        expect(r.headers['content-security-policy'], url).toMatch(/^default-src 'self';/);
        expect(r.headers['x-request-id'], url).toBeTruthy();
      }
    });
  });
});
