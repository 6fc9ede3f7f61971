/** ETag / If-Match / If-None-Match on native users and memberships (RFC 9110 §13). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';

describe.each(dialects)('native conditional requests on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const admin = () => bearer(t.adminKey);

  it('users: ETag on GET/PATCH/POST, 304 for If-None-Match, 412 for a stale If-Match, nothing written', async () => {
    const created = await t.inject({ method: 'POST', url: '/v1/users', headers: admin(), payload: { email: 'etag@example.com' } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const etag0 = created.headers.etag as string;
    expect(etag0).toMatch(/^"u\d+-1"$/);

    const got = await t.inject({ method: 'GET', url: `/v1/users/${id}`, headers: admin() });
    expect(got.headers.etag).toBe(etag0);
    const cached = await t.inject({ method: 'GET', url: `/v1/users/${id}`, headers: { ...admin(), 'if-none-match': etag0 } });
    expect(cached.statusCode).toBe(304);
    expect(cached.body).toBe('');
    expect(cached.headers.etag).toBe(etag0);

    const ok = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${id}`,
      headers: { ...admin(), 'if-match': etag0 },
      payload: { company: 'One' },
    });
    expect(ok.statusCode).toBe(200);
    const etag1 = ok.headers.etag as string;
    expect(etag1).not.toBe(etag0);
    expect((await t.inject({ method: 'GET', url: `/v1/users/${id}`, headers: admin() })).headers.etag).toBe(etag1);
    expect((await t.inject({ method: 'GET', url: `/v1/users/${id}`, headers: { ...admin(), 'if-none-match': etag0 } })).statusCode).toBe(
      200,
    );

    const stale = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${id}`,
      headers: { ...admin(), 'if-match': etag0 },
      payload: { company: 'Two' },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect(stale.json()).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED', title: 'Precondition Failed' });
    expect((await t.core.users.findById(id))?.company).toBe('One');

    // Weak tags never match If-Match (strong comparison); `*` and lists do.
    const weak = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${id}`,
      headers: { ...admin(), 'if-match': `W/${etag1}` },
      payload: {},
    });
    expect(weak.statusCode).toBe(412);
    const list = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${id}`,
      headers: { ...admin(), 'if-match': `"nope", ${etag1}` },
      payload: { company: 'Three' },
    });
    expect(list.statusCode).toBe(200);
    const star = await t.inject({
      method: 'PATCH',
      url: `/v1/users/${id}`,
      headers: { ...admin(), 'if-match': '*' },
      payload: { company: 'Four' },
    });
    expect(star.statusCode).toBe(200);
    // Without If-Match the write is unconditional, as before.
    expect((await t.inject({ method: 'PATCH', url: `/v1/users/${id}`, headers: admin(), payload: { company: 'Five' } })).statusCode).toBe(
      200,
    );

    const staleDelete = await t.inject({ method: 'DELETE', url: `/v1/users/${id}`, headers: { ...admin(), 'if-match': etag1 } });
    expect(staleDelete.statusCode).toBe(412);
    const current = (await t.inject({ method: 'GET', url: `/v1/users/${id}`, headers: admin() })).headers.etag as string;
    expect((await t.inject({ method: 'DELETE', url: `/v1/users/${id}`, headers: { ...admin(), 'if-match': current } })).statusCode).toBe(
      204,
    );
  });

  it('users/me carries the ETag too', async () => {
    const me = await t.inject({ method: 'GET', url: '/v1/users/me', headers: admin() });
    expect(me.headers.etag).toMatch(/^"u\d+-\d+"$/);
    const again = await t.inject({ method: 'GET', url: '/v1/users/me', headers: { ...admin(), 'if-none-match': `W/${me.headers.etag}` } });
    expect(again.statusCode).toBe(304);
  });

  it('memberships: ETag on GET/PATCH, one version step per PATCH, 412 when stale', async () => {
    const org = await t.inject({ method: 'POST', url: '/v1/orgs', headers: admin(), payload: { slug: `etag-${dialect}`, name: 'E' } });
    expect(org.statusCode).toBe(201);
    const { user } = await t.newUser();
    const added = await t.inject({
      method: 'POST',
      url: `/v1/orgs/etag-${dialect}/members`,
      headers: admin(),
      payload: { user_id: user.id, role: 'worker' },
    });
    expect(added.statusCode).toBe(201);
    const url = `/v1/orgs/etag-${dialect}/members/${user.id}`;
    const etag0 = added.headers.etag as string;
    expect(etag0).toMatch(/^"m\d+-1"$/);
    expect((await t.inject({ method: 'GET', url, headers: admin() })).headers.etag).toBe(etag0);
    expect((await t.inject({ method: 'GET', url, headers: { ...admin(), 'if-none-match': etag0 } })).statusCode).toBe(304);

    const both = await t.inject({
      method: 'PATCH',
      url,
      headers: { ...admin(), 'if-match': etag0 },
      payload: { role: 'supervisor', is_active: false },
    });
    expect(both.statusCode).toBe(200);
    expect(both.json()).toMatchObject({ role: 'supervisor', is_active: false });
    expect(both.headers.etag).toBe(etag0.replace(/-1"$/, '-2"'));

    const stale = await t.inject({ method: 'PATCH', url, headers: { ...admin(), 'if-match': etag0 }, payload: { role: 'worker' } });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await t.inject({ method: 'GET', url, headers: admin() })).json()).toMatchObject({ role: 'supervisor' });

    expect((await t.inject({ method: 'DELETE', url, headers: { ...admin(), 'if-match': etag0 } })).statusCode).toBe(412);
    expect((await t.inject({ method: 'DELETE', url, headers: { ...admin(), 'if-match': both.headers.etag as string } })).statusCode).toBe(
      204,
    );
  });

  it('the OpenAPI document names If-Match and the 412 answer', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
    const patch = doc.paths['/v1/users/{id}'].patch;
    expect(patch.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'if-match')).toBe(true);
    expect(patch.responses['412']).toBeDefined();
    expect(doc.paths['/v1/orgs/{org}/members/{userId}'].patch.responses['412']).toBeDefined();
    expect(doc.paths['/v1/users/{id}'].get.responses['304']).toBeDefined();
  });
});
