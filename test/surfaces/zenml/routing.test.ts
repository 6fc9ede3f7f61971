import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';

describe.each(dialects)('ZenML routing on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it.each([
    ['PUT', '/users/me', 'GET, PATCH, DELETE, HEAD'],
    ['POST', '/users/me', 'GET, PATCH, DELETE, HEAD'],
    ['DELETE', '/users', 'GET, POST, HEAD'],
    ['PUT', '/users/00000000-0000-4000-8000-000000000000', 'PATCH, DELETE'],
    ['GET', '/users/00000000-0000-4000-8000-000000000000', 'PATCH, DELETE'],
  ])('%s %s → 405 before authentication, with Allow', async (method, url, allow) => {
    const r = await t.inject({ method: method as 'GET', url });
    expect(r.statusCode).toBe(405);
    expect(r.json()).toEqual({ detail: 'Method Not Allowed' });
    expect(r.headers.allow).toBe(allow);
  });

  it.each(['/users/', '/users/me/', '/users/me/keys', '/users/a/b', '/auth', '/auth/'])(
    'GET %s → FastAPI 404 {"detail":"Not Found"}',
    async (url) => {
      const r = await t.inject({ method: 'GET', url, headers: bearer(t.adminKey) });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ detail: 'Not Found' });
    },
  );

  it.each(['PATCH', 'DELETE', 'PUT'])('%s /users/ (empty id) → 404 before authentication', async (method) => {
    const r = await t.inject({ method: method as 'GET', url: '/users/', payload: {} });
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ detail: 'Not Found' });
  });

  it('leaves other paths to their surfaces', async () => {
    const native = await t.inject({ method: 'GET', url: '/v1/nothing', headers: bearer(t.adminKey) });
    expect(native.statusCode).toBe(404);
    expect(native.headers['content-type']).toContain('application/problem+json');
    const nativeMe = await t.inject({ method: 'GET', url: '/v1/users/me', headers: bearer(t.adminKey) });
    expect(nativeMe.json()).toMatchObject({ username: 'admin', uuid: t.admin.uuid });
    expect((await t.inject({ method: 'GET', url: '/usersx' })).json()).not.toHaveProperty('detail');
  });

  it('HEAD /users/me answers like GET without a body', async () => {
    const r = await t.inject({ method: 'HEAD', url: '/users/me', headers: bearer(t.adminKey) });
    expect(r.statusCode).toBe(200);
    expect(r.body).toBe('');
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/users/me', '/users', '/users/{user_id}', '/auth/login']));
    expect(doc.paths['/users/me'].patch.requestBody.content['application/json'].schema.properties).toHaveProperty('job_title');
  });
});
