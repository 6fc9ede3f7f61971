/**
 * Cross-tenant probes: a member of organization A asks for users, memberships, projects,
 * invitations and keys that exist only in organization B, and gets exactly what a missing object
 * gets (404, same code and detail), with nothing changed.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { orgWith, type Principal } from './helpers.ts';

describe.each(dialects)('cross-tenant probes on %s', (dialect) => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof orgWith>>;
  let b: Awaited<ReturnType<typeof orgWith>>;
  let memberA: Principal;
  let userB: Principal;
  let projectA: number;
  let projectB: number;
  let invitationB: string;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    a = await orgWith(t, ['maintainer']);
    b = await orgWith(t, ['worker']);
    memberA = a.members[0]!;
    userB = b.members[0]!;
    projectA = (await t.core.projects.create(a.owner.actor, a.org.id, { name: 'A' })).id;
    projectB = (await t.core.projects.create(b.owner.actor, b.org.id, { name: 'B' })).id;
    await t.core.projects.addMember(b.owner.actor, projectB, userB.user.id);
    invitationB = (await t.core.invitations.create(b.owner.actor, b.org.id, { email: 'b-invitee@example.com', role: 'worker' })).invitation
      .uuid;
  });
  afterAll(async () => t?.close());

  const as = (key: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.inject({ method, url: `/v1${url}`, headers: bearer(key), ...(payload ? { payload } : {}) });

  /** 404, and the same problem as for something that never existed (request ids aside). */
  function expectLikeMissing(foreign: LightMyRequestResponse, missing: LightMyRequestResponse, what: string) {
    expect(foreign.statusCode, what).toBe(404);
    expect(missing.statusCode, `${what} (missing)`).toBe(404);
    const strip = (r: LightMyRequestResponse) => ({ ...r.json(), request_id: undefined });
    expect(strip(foreign), what).toEqual(strip(missing));
  }

  it('users of B: read, patch, delete, groups → 404 like a missing id, nothing changed', async () => {
    const k = memberA.key;
    const id = userB.user.id;
    expectLikeMissing(await as(k, 'GET', `/users/${id}`), await as(k, 'GET', '/users/99999999'), 'GET user');
    expectLikeMissing(
      await as(k, 'PATCH', `/users/${id}`, { company: 'pwned' }),
      await as(k, 'PATCH', '/users/99999999', { company: 'x' }),
      'PATCH user',
    );
    expectLikeMissing(await as(k, 'DELETE', `/users/${id}`), await as(k, 'DELETE', '/users/99999999'), 'DELETE user');
    expectLikeMissing(await as(k, 'GET', `/users/${id}/groups`), await as(k, 'GET', '/users/99999999/groups'), 'GET user groups');
    expect((await t.core.users.findById(id))?.company).toBeNull();
  });

  it('organization B and its memberships → 404 like a missing organization, nothing changed', async () => {
    const k = memberA.key;
    const s = b.org.slug;
    const gone = 'no-such-org-anywhere';
    expectLikeMissing(await as(k, 'GET', `/orgs/${s}`), await as(k, 'GET', `/orgs/${gone}`), 'GET org');
    expectLikeMissing(await as(k, 'PATCH', `/orgs/${s}`, { name: 'x' }), await as(k, 'PATCH', `/orgs/${gone}`, { name: 'x' }), 'PATCH org');
    expectLikeMissing(await as(k, 'DELETE', `/orgs/${s}`), await as(k, 'DELETE', `/orgs/${gone}`), 'DELETE org');
    expectLikeMissing(await as(k, 'GET', `/orgs/${s}/members`), await as(k, 'GET', `/orgs/${gone}/members`), 'list members');
    expectLikeMissing(
      await as(k, 'GET', `/orgs/${s}/members/${userB.user.id}`),
      await as(k, 'GET', `/orgs/${gone}/members/${userB.user.id}`),
      'GET membership',
    );
    expectLikeMissing(
      await as(k, 'PATCH', `/orgs/${s}/members/${userB.user.id}`, { role: 'owner' }),
      await as(k, 'PATCH', `/orgs/${gone}/members/${userB.user.id}`, { role: 'owner' }),
      'PATCH membership',
    );
    expectLikeMissing(
      await as(k, 'DELETE', `/orgs/${s}/members/${userB.user.id}`),
      await as(k, 'DELETE', `/orgs/${gone}/members/${userB.user.id}`),
      'DELETE membership',
    );
    expectLikeMissing(
      await as(k, 'POST', `/orgs/${s}/members`, { user_id: memberA.user.id, role: 'owner' }),
      await as(k, 'POST', `/orgs/${gone}/members`, { user_id: memberA.user.id, role: 'owner' }),
      'join B',
    );
    expectLikeMissing(await as(k, 'GET', `/orgs/${s}/invitations`), await as(k, 'GET', `/orgs/${gone}/invitations`), 'B invitations');
    expectLikeMissing(await as(k, 'GET', `/orgs/${s}/projects`), await as(k, 'GET', `/orgs/${gone}/projects`), 'B projects');
    expect(await t.core.memberships.find(userB.user.id, b.org.id)).toMatchObject({ role: 'worker' });
    expect(await t.core.memberships.find(memberA.user.id, b.org.id)).toBeUndefined();
    expect((await t.core.orgs.getById(b.org.id))?.name).toBe('Org');
  });

  it('nested ids of B under A → 404 like missing ones', async () => {
    const k = memberA.key;
    const s = a.org.slug;
    expectLikeMissing(
      await as(k, 'GET', `/orgs/${s}/members/${userB.user.id}`),
      await as(k, 'GET', `/orgs/${s}/members/99999999`),
      'B user under A',
    );
    expectLikeMissing(
      await as(k, 'DELETE', `/orgs/${s}/invitations/${invitationB}`),
      await as(k, 'DELETE', `/orgs/${s}/invitations/00000000-0000-4000-8000-000000000000`),
      'B invitation under A',
    );
    expectLikeMissing(
      await as(a.owner.key, 'POST', `/projects/${projectA}/members`, { user_id: userB.user.id }),
      await as(a.owner.key, 'POST', `/projects/${projectA}/members`, { user_id: 99999999 }),
      'B user into an A project',
    );
    expect(await t.core.invitations.list(b.owner.actor, b.org.id)).toHaveLength(1);
  });

  it('projects of B: read, change, delete, members → 404 like a missing id, nothing changed', async () => {
    const k = memberA.key;
    expectLikeMissing(await as(k, 'GET', `/projects/${projectB}`), await as(k, 'GET', '/projects/99999999'), 'GET project');
    expectLikeMissing(
      await as(k, 'PATCH', `/projects/${projectB}`, { name: 'x' }),
      await as(k, 'PATCH', '/projects/99999999', { name: 'x' }),
      'PATCH project',
    );
    expectLikeMissing(await as(k, 'DELETE', `/projects/${projectB}`), await as(k, 'DELETE', '/projects/99999999'), 'DELETE project');
    expectLikeMissing(
      await as(k, 'GET', `/projects/${projectB}/members`),
      await as(k, 'GET', '/projects/99999999/members'),
      'project members',
    );
    expectLikeMissing(
      await as(k, 'POST', `/projects/${projectB}/members`, { user_id: memberA.user.id }),
      await as(k, 'POST', '/projects/99999999/members', { user_id: memberA.user.id }),
      'join B project',
    );
    expect((await t.core.projects.find(projectB))?.name).toBe('B');
  });

  it('100 sequential user ids with a member token → all 404 with one body, except the caller', async () => {
    const bodies = new Set<string>();
    const first = Math.max(1, userB.user.id - 50);
    for (let id = first; id < first + 100; id++) {
      if (id === memberA.user.id) continue;
      const r = await as(memberA.key, 'GET', `/users/${id}`);
      expect(r.statusCode).toBe(404);
      bodies.add(JSON.stringify({ ...r.json(), request_id: undefined }));
    }
    expect(bodies.size).toBe(1);
  });

  it('keys of a user of B cannot be listed, revoked or minted (policy refuses, surfaces answer 404)', async () => {
    const { key } = await t.core.apiKeys.mintTrusted(userB.user);
    await expect(t.core.apiKeys.list(memberA.actor, userB.user)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.apiKeys.revoke(memberA.actor, userB.user, key.uuid)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.apiKeys.create(memberA.actor, userB.user)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await t.core.apiKeys.list(userB.actor, userB.user)).find((k) => k.uuid === key.uuid)?.revokedAt).toBeNull();
  });

  // Found by the hostile-request generator: PostgreSQL refused a NUL in the slug (500).
  it('answers slugs no row can hold (NUL) exactly like missing ones', async () => {
    const key = memberA.key;
    const missing = await as(key, 'GET', '/orgs/no-such-org-anywhere');
    for (const url of ['/orgs/nul%00byte', '/orgs/%00/invitations', '/orgs/%00/members']) {
      expectLikeMissing(await as(key, 'GET', url), missing, url);
    }
  });
});
