import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userListVisibilityIn } from '../../src/core/policy/policy.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { actorFor, orgWith, type Principal, principal } from './helpers.ts';

describe.each(dialects)('organization context (CVAT semantics) on %s', (dialect) => {
  let t: TestApp;
  let org: Awaited<ReturnType<typeof orgWith>>['org'];
  let owner: Principal;
  let member: Principal;
  let inactive: Principal;
  let outsider: Principal;
  const resolve = (p: Principal | { actor: Principal['actor'] }, input: Parameters<TestApp['core']['orgContext']['resolve']>[1]) =>
    t.core.orgContext.resolve(p.actor, input);

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const made = await orgWith(t, ['worker', 'supervisor']);
    org = made.org;
    owner = made.owner;
    member = made.members[0]!;
    inactive = made.members[1]!;
    await t.core.memberships.setActive(owner.actor, org.id, inactive.user.id, false);
    outsider = await principal(t);
  });
  afterAll(async () => t?.close());

  it('nothing given → none', async () => {
    expect(await resolve(member, {})).toEqual({ kind: 'none' });
  });

  it('org_id with org → ORG_ID_CONFLICT, with the header too, even when empty', async () => {
    for (const input of [
      { orgId: org.id, org: org.slug },
      { orgId: String(org.id), header: org.slug },
      { orgId: '', org: '' },
    ]) {
      await expect(resolve(member, input)).rejects.toMatchObject({
        code: 'ORG_ID_CONFLICT',
        status: 400,
        message: 'You cannot specify "org_id" query parameter with "org" query parameter or "X-Organization" HTTP header at the same time.',
      });
    }
  });

  it('org and header different → ORG_HEADER_MISMATCH; equal → that organization', async () => {
    await expect(resolve(member, { org: org.slug, header: 'other' })).rejects.toMatchObject({
      code: 'ORG_HEADER_MISMATCH',
      status: 400,
      message: 'You cannot specify "org" query parameter and "X-Organization" HTTP header with different values.',
    });
    await expect(resolve(member, { org: '', header: org.slug })).rejects.toMatchObject({ code: 'ORG_HEADER_MISMATCH' });
    expect(await resolve(member, { org: org.slug, header: org.slug })).toMatchObject({ kind: 'org', org: { id: org.id } });
  });

  it('unknown slug or id → ORG_NOT_FOUND "<ref> organization does not exist."', async () => {
    await expect(resolve(member, { org: 'nope-nope' })).rejects.toMatchObject({
      code: 'ORG_NOT_FOUND',
      status: 404,
      message: 'nope-nope organization does not exist.',
    });
    await expect(resolve(member, { header: 'nope-hdr' })).rejects.toMatchObject({ message: 'nope-hdr organization does not exist.' });
    await expect(resolve(member, { orgId: 987654 })).rejects.toMatchObject({ message: '987654 organization does not exist.' });
    await expect(resolve(member, { orgId: 'abc' })).rejects.toMatchObject({
      code: 'ORG_NOT_FOUND',
      message: 'abc organization does not exist.',
    });
  });

  it('resolves by slug (any case), by header and by id for an active member, with the membership', async () => {
    for (const input of [{ org: org.slug.toUpperCase() }, { header: org.slug }, { orgId: org.id }, { orgId: String(org.id) }]) {
      const ctx = await resolve(member, input);
      expect(ctx).toMatchObject({ kind: 'org', org: { id: org.id }, membership: { userId: member.user.id, role: 'worker' } });
    }
  });

  it('a non-member or an inactive member → FORBIDDEN; an admin non-member → the org without membership', async () => {
    await expect(resolve(outsider, { org: org.slug })).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });
    await expect(resolve(inactive, { org: org.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await actorFor(t, t.adminKey);
    const ctx = await t.core.orgContext.resolve(admin, { org: org.slug });
    expect(ctx.kind).toBe('org');
    expect(ctx.kind === 'org' && ctx.membership).toBeFalsy();
  });

  it('an empty org=, org_id= or header → sandbox', async () => {
    expect(await resolve(member, { org: '' })).toEqual({ kind: 'sandbox' });
    expect(await resolve(member, { orgId: '' })).toEqual({ kind: 'sandbox' });
    expect(await resolve(member, { header: '' })).toEqual({ kind: 'sandbox' });
    expect(await resolve(member, { org: '', header: '' })).toEqual({ kind: 'sandbox' });
  });

  it('a group-admin (not superuser) counts as a site admin', async () => {
    const p = await principal(t);
    await t.core.groups.addUser(p.user.id, 'admin');
    const actor = await actorFor(t, p.key);
    expect(actor.groups).toEqual(['admin']);
    expect((await t.core.orgContext.resolve(actor, { org: org.slug })).kind).toBe('org');
    expect(userListVisibilityIn(actor, { kind: 'none' })).toEqual({ kind: 'all' });
  });

  it('service accounts act only inside their organization', async () => {
    const other = await orgWith(t);
    const sa = await principal(t, {}, { isServiceAccount: true, serviceOrgId: org.id });
    expect(await resolve(sa, { org: org.slug })).toMatchObject({ kind: 'org' });
    await expect(resolve(sa, { org: other.org.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(resolve(sa, { org: '' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(userListVisibilityIn(sa.actor, { kind: 'none' })).toEqual({ kind: 'orgMembers', orgId: org.id });
    // even a superuser service account stays inside
    const superSa = await principal(t, { isSuperuser: true }, { isServiceAccount: true, serviceOrgId: org.id });
    await expect(resolve(superSa, { org: other.org.slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  describe('list visibility from the context', () => {
    const ids = async (p: Principal | { actor: Principal['actor'] }, input: Parameters<TestApp['core']['orgContext']['resolve']>[1]) => {
      const ctx = await t.core.orgContext.resolve(p.actor, input);
      const page = await t.core.users.listWithVisibility(
        { sort: [{ field: 'id', direction: 'asc' }], page: { kind: 'all' }, withTotal: false },
        userListVisibilityIn(p.actor, ctx),
      );
      return page.items.map((u) => u.id);
    };

    it('admin + no org → everyone; non-admin + no org → only self', async () => {
      const admin = { actor: await actorFor(t, t.adminKey) };
      expect((await ids(admin, {})).length).toBe(await t.core.users.count());
      expect(await ids(member, {})).toEqual([member.user.id]);
    });

    it('org → every member of that organization (inactive ones included) for a member and for an admin', async () => {
      const expected = [owner.user.id, member.user.id, inactive.user.id].sort((a, b) => a - b);
      expect(await ids(member, { org: org.slug })).toEqual(expected);
      expect(await ids({ actor: await actorFor(t, t.adminKey) }, { orgId: org.id })).toEqual(expected);
    });

    it('sandbox → users with no membership, intersected with what the caller sees', async () => {
      expect(await ids(member, { org: '' })).toEqual([]);
      expect(await ids(outsider, { org: '' })).toEqual([outsider.user.id]);
      const all = await ids({ actor: await actorFor(t, t.adminKey) }, { org: '' });
      expect(all).toContain(outsider.user.id);
      expect(all).not.toContain(member.user.id);
    });
  });
});
