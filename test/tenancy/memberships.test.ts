import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planeWorkspaceRole } from '../../src/core/tenancy/roles.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { orgWith, principal, uniqueSlug } from './helpers.ts';

describe.each(dialects)('organizations and memberships (core) on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('makes the creator the owner and finds the organization by slug case-insensitively', async () => {
    const p = await principal(t);
    const slug = uniqueSlug('Acme');
    const org = await t.core.orgs.create(p.actor, { slug, name: '  Acme Inc  ' });
    expect(org).toMatchObject({ slug, name: 'Acme Inc', createdBy: p.user.id });
    expect((await t.core.orgs.getBySlug(slug.toUpperCase()))?.id).toBe(org.id);
    expect(await t.core.memberships.find(p.user.id, org.id)).toMatchObject({ role: 'owner', isActive: true });
    expect((await t.core.orgs.listForUser(p.user.id)).map((o) => o.id)).toEqual([org.id]);
  });

  it('refuses a taken slug (any case) with SLUG_TAKEN and bad slugs with VALIDATION_FAILED', async () => {
    const p = await principal(t);
    const slug = uniqueSlug();
    await t.core.orgs.create(p.actor, { slug, name: 'One' });
    await expect(t.core.orgs.create(p.actor, { slug: slug.toUpperCase(), name: 'Two' })).rejects.toMatchObject({ code: 'SLUG_TAKEN' });
    for (const bad of ['', 'a b', '-x', '123', 'x'.repeat(49), 'ä', 5]) {
      await expect(t.core.orgs.create(p.actor, { slug: bad, name: 'X' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('lists members with their users in one call and maps roles to Plane integers', async () => {
    const { org, owner, members } = await orgWith(t, ['maintainer', 'supervisor', 'worker']);
    const listed = await t.core.memberships.listByOrg(org.id);
    expect(listed.map((m) => m.user.id)).toEqual([owner.user.id, ...members.map((m) => m.user.id)]);
    expect(listed.map((m) => planeWorkspaceRole(m.membership))).toEqual([20, 20, 15, 15]);
    expect(planeWorkspaceRole({ role: 'owner', isActive: false })).toBe(5);
    expect(planeWorkspaceRole({ role: 'worker', isActive: false })).toBe(5);
  });

  it('refuses to remove, demote or deactivate the last active owner (LAST_OWNER)', async () => {
    const { org, owner } = await orgWith(t);
    await expect(t.core.memberships.remove(owner.actor, org.id, owner.user.id)).rejects.toMatchObject({ code: 'LAST_OWNER' });
    await expect(t.core.memberships.setRole(owner.actor, org.id, owner.user.id, 'maintainer')).rejects.toMatchObject({
      code: 'LAST_OWNER',
    });
    await expect(t.core.memberships.setActive(owner.actor, org.id, owner.user.id, false)).rejects.toMatchObject({ code: 'LAST_OWNER' });
    expect(await t.core.memberships.find(owner.user.id, org.id)).toMatchObject({ role: 'owner', isActive: true });
    // With a second owner the first may step down.
    const second = await principal(t);
    await t.core.memberships.add(owner.actor, org.id, second.user.id, 'owner');
    await t.core.memberships.setRole(owner.actor, org.id, owner.user.id, 'worker');
    expect(await t.core.memberships.find(owner.user.id, org.id)).toMatchObject({ role: 'worker' });
    await expect(t.core.memberships.remove(second.actor, org.id, second.user.id)).rejects.toMatchObject({ code: 'LAST_OWNER' });
  });

  it('keeps an owner when two owners are removed concurrently', async () => {
    for (let round = 0; round < 5; round++) {
      const { org, owner } = await orgWith(t);
      const second = await principal(t);
      await t.core.memberships.add(owner.actor, org.id, second.user.id, 'owner');
      const admin = { user: t.admin, credential: { kind: 'api_key' as const, id: 'x', scopes: ['read', 'write', 'admin'] as const } };
      const results = await Promise.allSettled([
        t.core.memberships.remove(admin, org.id, owner.user.id),
        t.core.memberships.setRole(admin, org.id, second.user.id, 'worker'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toMatchObject({ code: 'LAST_OWNER' });
      const owners = (await t.core.memberships.listByOrg(org.id)).filter((m) => m.membership.role === 'owner' && m.membership.isActive);
      expect(owners).toHaveLength(1);
    }
  });

  it('lets maintainers add members below owner, never owners, and refuses workers', async () => {
    const { org, members } = await orgWith(t, ['maintainer', 'worker']);
    const [maintainer, worker] = members as [(typeof members)[0], (typeof members)[0]];
    const a = await principal(t);
    const b = await principal(t);
    await expect(t.core.memberships.add(maintainer.actor, org.id, a.user.id, 'owner')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await t.core.memberships.add(maintainer.actor, org.id, a.user.id, 'maintainer')).toMatchObject({ role: 'maintainer' });
    await expect(t.core.memberships.add(worker.actor, org.id, b.user.id, 'worker')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.memberships.add(maintainer.actor, org.id, a.user.id, 'worker')).rejects.toMatchObject({ code: 'ALREADY_MEMBER' });
    // a maintainer cannot promote themself
    await expect(t.core.memberships.setRole(maintainer.actor, org.id, maintainer.user.id, 'owner')).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it('hides a foreign organization as ORG_NOT_FOUND and an outsider as MEMBERSHIP_NOT_FOUND', async () => {
    const a = await orgWith(t);
    const b = await orgWith(t);
    await expect(t.core.memberships.get(a.owner.actor, b.org.id, b.owner.user.id)).rejects.toMatchObject({ code: 'ORG_NOT_FOUND' });
    await expect(t.core.memberships.get(a.owner.actor, a.org.id, b.owner.user.id)).rejects.toMatchObject({ code: 'MEMBERSHIP_NOT_FOUND' });
    await expect(t.core.memberships.add(a.owner.actor, b.org.id, a.owner.user.id, 'owner')).rejects.toMatchObject({
      code: 'ORG_NOT_FOUND',
    });
  });

  it('drops project memberships when a member leaves the organization', async () => {
    const { org, owner, members } = await orgWith(t, ['worker']);
    const worker = members[0]!;
    const project = await t.core.projects.create(owner.actor, org.id, { name: 'P' });
    await t.core.projects.addMember(owner.actor, project.id, worker.user.id, 'member');
    expect(await t.core.projects.isMember(worker.user.id, project.id)).toBe(true);
    await t.core.memberships.remove(worker.actor, org.id, worker.user.id);
    expect(await t.core.projects.isMember(worker.user.id, project.id)).toBe(false);
    expect(await t.core.projects.hasAnyProjectIn(worker.user.id, org.id)).toBe(false);
    expect(await t.core.projects.hasAnyProjectIn(owner.user.id, org.id)).toBe(true);
  });
});
