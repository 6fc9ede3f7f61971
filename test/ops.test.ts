import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/dialects.ts';

describe.each(dialects)('operations on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('answers /healthz and /readyz', async () => {
    expect((await t.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('publishes OpenAPI 3.1 with a response schema on every route', async () => {
    const r = await t.inject({ method: 'GET', url: '/openapi.json' });
    const doc = r.json();
    expect(doc.openapi).toBe('3.1.0');
    const paths = Object.entries(doc.paths as Record<string, Record<string, { responses?: Record<string, unknown> }>>);
    expect(paths.length).toBeGreaterThanOrEqual(3);
    for (const [path, ops] of paths) {
      for (const [method, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses ?? {}), `${method} ${path}`).not.toHaveLength(0);
      }
    }
    expect((await t.inject({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('sends a request id and security headers, and no X-Powered-By', async () => {
    const r = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers['x-request-id']).toBe('abc-123');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-powered-by']).toBeUndefined();
    const generated = await t.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
