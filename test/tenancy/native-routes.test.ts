import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { orgWith, principal, uniqueSlug } from './helpers.ts';

describe.each(dialects)('native /v1 tenancy routes on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const call = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    t.inject({ method, url: `/v1${url}`, headers: bearer(key), ...(payload !== undefined ? { payload: payload as object } : {}) });

  it('creates an organization, lists, reads, renames and deletes it', async () => {
    const p = await principal(t);
    const slug = uniqueSlug('Team');
    const created = await call(p.key, 'POST', '/orgs', { slug, name: 'Team' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ slug, name: 'Team', created_by: p.user.id });
    expect((await call(p.key, 'GET', '/orgs')).json().data.map((o: { slug: string }) => o.slug)).toEqual([slug]);
    expect((await call(p.key, 'GET', `/orgs/${slug.toLowerCase()}`)).json().id).toBe(created.json().id);
    const renamed = await call(p.key, 'PATCH', `/orgs/${slug}`, { name: 'Renamed' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().name).toBe('Renamed');
    const members = await call(p.key, 'GET', `/orgs/${slug}/members`);
    expect(members.json()).toMatchObject({ data: [{ user: { id: p.user.id }, role: 'owner', is_active: true }], has_more: false });
    expect((await call(p.key, 'DELETE', `/orgs/${slug}`)).statusCode).toBe(204);
    expect((await call(p.key, 'GET', `/orgs/${slug}`)).statusCode).toBe(404);
  });

  it('answers bad input with problem+json 400s and writes nothing', async () => {
    const p = await principal(t);
    for (const body of [
      { slug: 'a b', name: 'x' },
      { slug: uniqueSlug(), name: '' },
      { slug: uniqueSlug(), name: 'x', extra: 1 },
      { name: 'x' },
      { slug: 5, name: 'x' },
    ]) {
      const r = await call(p.key, 'POST', '/orgs', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.body).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await call(p.key, 'GET', '/orgs')).json().data).toEqual([]);
    const { org, owner } = await orgWith(t);
    const bad = await call(owner.key, 'PATCH', `/orgs/${org.slug}/members/${owner.user.id}`, { role: 'emperor' });
    expect(bad.statusCode).toBe(400);
    const empty = await call(owner.key, 'PATCH', `/orgs/${org.slug}/members/${owner.user.id}`, {});
    expect(empty.statusCode).toBe(400);
    const notId = await call(owner.key, 'GET', `/orgs/${org.slug}/members/abc`);
    expect(notId.statusCode).toBe(400);
  });

  it('answers 405 with Allow for wrong methods and 409 for a taken slug', async () => {
    const { org, owner } = await orgWith(t);
    const put = await call(owner.key, 'PUT', `/orgs/${org.slug}`, {});
    expect(put.statusCode).toBe(405);
    expect(put.headers.allow).toContain('PATCH');
    const taken = await call(owner.key, 'POST', '/orgs', { slug: org.slug.toUpperCase(), name: 'Dup' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('SLUG_TAKEN');
  });

  it('keeps the last owner: 409 LAST_OWNER on removal, demotion and deactivation', async () => {
    const { org, owner } = await orgWith(t);
    for (const [method, body] of [
      ['DELETE', undefined],
      ['PATCH', { role: 'worker' }],
      ['PATCH', { is_active: false }],
    ] as const) {
      const r = await call(owner.key, method, `/orgs/${org.slug}/members/${owner.user.id}`, body);
      expect(r.statusCode).toBe(409);
      expect(r.json().code).toBe('LAST_OWNER');
    }
  });

  it('maintainers cannot make owners or promote themselves (403); owners can', async () => {
    const { org, owner, members } = await orgWith(t, ['maintainer']);
    const maintainer = members[0]!;
    const newcomer = await principal(t);
    expect((await call(maintainer.key, 'POST', `/orgs/${org.slug}/members`, { user_id: newcomer.user.id, role: 'owner' })).statusCode).toBe(
      403,
    );
    expect((await call(maintainer.key, 'PATCH', `/orgs/${org.slug}/members/${maintainer.user.id}`, { role: 'owner' })).statusCode).toBe(
      403,
    );
    expect((await call(maintainer.key, 'PATCH', `/orgs/${org.slug}/members/${owner.user.id}`, { role: 'worker' })).statusCode).toBe(403);
    const added = await call(maintainer.key, 'POST', `/orgs/${org.slug}/members`, { user_id: newcomer.user.id, role: 'worker' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ role: 'worker', invited_by: maintainer.user.id, user: { id: newcomer.user.id } });
    expect((await call(newcomer.key, 'POST', `/orgs/${org.slug}/members`, { user_id: owner.user.id, role: 'owner' })).statusCode).toBe(403);
    const promoted = await call(owner.key, 'PATCH', `/orgs/${org.slug}/members/${maintainer.user.id}`, { role: 'owner' });
    expect(promoted.json().role).toBe('owner');
    // a demoted owner loses owner rights on the very next request
    await call(owner.key, 'PATCH', `/orgs/${org.slug}/members/${maintainer.user.id}`, { role: 'worker' });
    expect((await call(maintainer.key, 'PATCH', `/orgs/${org.slug}`, { name: 'mine now' })).statusCode).toBe(403);
  });

  it('invites with a token shown once, accepts it once under 16 concurrent requests', async () => {
    const { org, owner } = await orgWith(t);
    const invitee = await principal(t);
    const created = await call(owner.key, 'POST', `/orgs/${org.slug}/invitations`, { email: invitee.user.email, role: 'supervisor' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^rsi_/);
    const listed = await call(owner.key, 'GET', `/orgs/${org.slug}/invitations`);
    expect(listed.json().data).toEqual([expect.objectContaining({ id, email: invitee.user.email })]);
    expect(listed.body).not.toContain(token);
    const answers = await Promise.all(Array.from({ length: 16 }, () => call(invitee.key, 'POST', '/invitations/accept', { token })));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.statusCode === 404)).toHaveLength(15);
    expect(answers.find((r) => r.statusCode === 201)?.json()).toMatchObject({ role: 'supervisor', user: { id: invitee.user.id } });
    expect((await call(owner.key, 'GET', `/orgs/${org.slug}/invitations`)).json().data).toEqual([]);
  });

  it('resends (new token, old one dead) and revokes', async () => {
    const { org, owner } = await orgWith(t);
    const invitee = await principal(t);
    const first = (await call(owner.key, 'POST', `/orgs/${org.slug}/invitations`, { email: invitee.user.email, role: 'worker' })).json();
    const again = await call(owner.key, 'POST', `/orgs/${org.slug}/invitations/${first.id}/resend`, {});
    expect(again.statusCode).toBe(200);
    expect(again.json().token).not.toBe(first.token);
    expect((await call(invitee.key, 'POST', '/invitations/accept', { token: first.token })).statusCode).toBe(404);
    expect((await call(owner.key, 'DELETE', `/orgs/${org.slug}/invitations/${first.id}`)).statusCode).toBe(204);
    expect((await call(invitee.key, 'POST', '/invitations/accept', { token: again.json().token })).statusCode).toBe(404);
  });

  it('projects: create, members, pages, rename, delete', async () => {
    const { org, owner, members } = await orgWith(t, ['worker', 'worker', 'worker']);
    const created = await call(owner.key, 'POST', `/orgs/${org.slug}/projects`, { name: 'Apollo' });
    expect(created.statusCode).toBe(201);
    const project = created.json();
    for (const m of members) {
      expect((await call(owner.key, 'POST', `/projects/${project.id}/members`, { user_id: m.user.id })).statusCode).toBe(201);
    }
    const outsider = await principal(t);
    expect((await call(owner.key, 'POST', `/projects/${project.id}/members`, { user_id: outsider.user.id })).statusCode).toBe(404);
    const ids: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await call(members[0]!.key, 'GET', `/projects/${project.id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode).toBe(200);
      ids.push(...r.json().data.map((m: { user: { id: number } }) => m.user.id));
      cursor = r.json().next_cursor;
    } while (cursor);
    expect(ids).toEqual([owner.user.id, ...members.map((m) => m.user.id)].sort((a, b) => a - b));
    expect((await call(members[0]!.key, 'PATCH', `/projects/${project.id}`, { name: 'x' })).statusCode).toBe(403);
    await call(owner.key, 'PATCH', `/projects/${project.id}/members/${members[0]!.user.id}`, { role: 'admin' });
    expect((await call(members[0]!.key, 'PATCH', `/projects/${project.id}`, { name: 'Artemis' })).json().name).toBe('Artemis');
    expect((await call(owner.key, 'DELETE', `/projects/${project.id}/members/${members[1]!.user.id}`)).statusCode).toBe(204);
    expect((await call(owner.key, 'GET', `/orgs/${org.slug}/projects`)).json().data.map((p: { id: number }) => p.id)).toEqual([project.id]);
    expect((await call(owner.key, 'DELETE', `/projects/${project.id}`)).statusCode).toBe(204);
    expect((await call(owner.key, 'GET', `/projects/${project.id}`)).statusCode).toBe(404);
  });

  it('groups and roles: anyone reads, admins change; a user’s groups are as private as the user', async () => {
    const p = await principal(t);
    const other = await principal(t);
    expect((await call(p.key, 'GET', '/groups')).json().data.map((g: { name: string }) => g.name)).toEqual(
      expect.arrayContaining(['admin', 'user', 'worker']),
    );
    expect((await call(p.key, 'GET', '/roles')).json().data.map((r: { name: string }) => r.name)).toEqual(
      expect.arrayContaining(['Guest', 'Tester', 'Lead', 'Admin']),
    );
    expect((await call(p.key, 'PUT', `/users/${p.user.id}/groups`, { groups: ['admin'] })).statusCode).toBe(403);
    expect((await call(p.key, 'GET', `/users/${other.user.id}/groups`)).statusCode).toBe(404);
    expect((await call(p.key, 'GET', `/users/${p.user.id}/groups`)).json()).toEqual({ groups: [] });
    const set = await call(t.adminKey, 'PUT', `/users/${p.user.id}/groups`, { groups: ['user', 'worker'] });
    expect(set.json().groups.map((g: { name: string }) => g.name)).toEqual(['user', 'worker']);
    const unknown = await call(t.adminKey, 'PUT', `/users/${p.user.id}/groups`, { groups: ['nope'] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe('Object with name=nope does not exist.');
    expect((await call(t.adminKey, 'POST', '/groups', { name: 'reviewers' })).statusCode).toBe(201);
    expect((await call(t.adminKey, 'POST', '/roles', { name: 'Observer' })).statusCode).toBe(201);
    expect((await call(p.key, 'POST', '/roles', { name: 'Mine' })).statusCode).toBe(403);
  });

  it('a user put in the admin group becomes a site admin on the next request', async () => {
    const p = await principal(t);
    expect((await call(p.key, 'POST', '/users', { email: `made-${Date.now()}@example.com` })).statusCode).toBe(403);
    await call(t.adminKey, 'PUT', `/users/${p.user.id}/groups`, { groups: ['admin'] });
    expect((await call(p.key, 'POST', '/users', { email: `made2-${Date.now()}@example.com` })).statusCode).toBe(201);
    expect((await call(p.key, 'GET', '/users?limit=1&with_total=true')).json().total).toBe(await t.core.users.count());
  });
  it('GET /v1/users in an organization context: org, org_id or X-Organization list its members', async () => {
    const { org, owner, members } = await orgWith(t, ['worker']);
    const outsider = await principal(t);
    const ids = (r: { json(): { data: { id: number }[] } }) =>
      r
        .json()
        .data.map((u) => u.id)
        .sort((a, b) => a - b);
    const expected = [owner.user.id, members[0]!.user.id].sort((a, b) => a - b);
    expect(ids(await call(members[0]!.key, 'GET', `/users?org=${org.slug}`))).toEqual(expected);
    expect(ids(await call(owner.key, 'GET', `/users?org_id=${org.id}`))).toEqual(expected);
    const viaHeader = await t.inject({ method: 'GET', url: '/v1/users', headers: { ...bearer(owner.key), 'x-organization': org.slug } });
    expect(ids(viaHeader)).toEqual(expected);
    expect(ids(await call(t.adminKey, 'GET', `/users?org=${org.slug}&limit=1000`))).toEqual(expected);
    // Without a context a member still sees only themselves.
    expect(ids(await call(members[0]!.key, 'GET', '/users'))).toEqual([members[0]!.user.id]);
    const foreign = await call(outsider.key, 'GET', `/users?org=${org.slug}`);
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['content-type']).toContain('application/problem+json');
    const unknown = await call(owner.key, 'GET', '/users?org=no-such-org-anywhere');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('ORG_NOT_FOUND');
    const conflict = await call(owner.key, 'GET', `/users?org=${org.slug}&org_id=${org.id}`);
    expect(conflict.statusCode).toBe(400);
    expect(conflict.json().code).toBe('ORG_ID_CONFLICT');
    const mismatch = await t.inject({
      method: 'GET',
      url: `/v1/users?org=${org.slug}`,
      headers: { ...bearer(owner.key), 'x-organization': 'other' },
    });
    expect(mismatch.statusCode).toBe(400);
    // `org=` alone: users in no organization (the outsider, who has none, sees themselves).
    expect(ids(await call(outsider.key, 'GET', '/users?org='))).toEqual([outsider.user.id]);
    expect(ids(await call(owner.key, 'GET', '/users?org='))).toEqual([]);
  });

  it('deleting the last owner of an organization is refused (409 LAST_OWNER); with a co-owner it goes through', async () => {
    const { org, owner } = await orgWith(t);
    const refused = await call(t.adminKey, 'DELETE', `/users/${owner.user.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('LAST_OWNER');
    expect(await t.core.users.findById(owner.user.id)).toBeDefined();
    const second = await principal(t);
    await t.core.memberships.addTrusted({ orgId: org.id, userId: second.user.id, role: 'owner' });
    expect((await call(t.adminKey, 'DELETE', `/users/${owner.user.id}`)).statusCode).toBe(204);
    expect(await t.core.users.findById(owner.user.id)).toBeUndefined();
    const left = await call(t.adminKey, 'GET', `/orgs/${org.slug}/members`);
    expect(left.json().data.map((m: { user: { id: number } }) => m.user.id)).toEqual([second.user.id]);
  });

  it('documents every tenancy route in the OpenAPI document', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of [
      '/v1/orgs',
      '/v1/orgs/{org}',
      '/v1/orgs/{org}/members',
      '/v1/orgs/{org}/members/{userId}',
      '/v1/orgs/{org}/invitations',
      '/v1/orgs/{org}/invitations/{invitationId}',
      '/v1/orgs/{org}/invitations/{invitationId}/resend',
      '/v1/invitations/accept',
      '/v1/orgs/{org}/projects',
      '/v1/projects/{id}',
      '/v1/projects/{id}/members',
      '/v1/projects/{id}/members/{userId}',
      '/v1/groups',
      '/v1/groups/{id}',
      '/v1/users/{id}/groups',
      '/v1/roles',
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });
});
