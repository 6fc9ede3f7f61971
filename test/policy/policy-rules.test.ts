/** Policy decisions that no native route reaches: contexts, service accounts, scopes. Pure, no database. */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/actor.ts';
import { can, hasScope, userListVisibilityIn } from '../../src/core/policy/policy.ts';
import type { Membership, Organization } from '../../src/core/tenancy/types.ts';
import type { User } from '../../src/core/users/users.types.ts';

const user = (id: number, extra: Partial<User> = {}): User =>
  ({ id, isActive: true, isSuperuser: false, isServiceAccount: false, serviceOrgId: null, ...extra }) as User;
const actor = (u: User, groups: string[] = [], scopes: Actor['credential']['scopes'] = ['read', 'write']): Actor => ({
  user: u,
  credential: { kind: 'api_key', id: 'k', scopes },
  groups,
});
const org = (id: number): Organization => ({
  id,
  uuid: `o${id}`,
  slug: `o${id}`,
  name: 'O',
  createdBy: null,
  createdAt: '',
  updatedAt: null,
});
const membership = (userId: number, orgId: number, extra: Partial<Membership> = {}): Membership => ({
  id: userId * 100 + orgId,
  userId,
  orgId,
  role: 'worker',
  isActive: true,
  joinedAt: '',
  invitedBy: null,
  version: 1,
  ...extra,
});

describe('policy rules beyond the native routes', () => {
  it('CVAT quirk: in an org context where the caller is an active member, any user may be viewed', () => {
    const me = actor(user(1));
    const stranger = user(2);
    const ctx = { kind: 'org' as const, org: org(7), membership: membership(1, 7) };
    expect(can(me, 'users.read', { target: stranger }).allow).toBe(false);
    expect(can(me, 'users.read', { target: stranger, context: ctx }).allow).toBe(true);
    expect(can(me, 'users.read', { target: stranger, context: { ...ctx, membership: membership(1, 7, { isActive: false }) } }).allow).toBe(
      false,
    );
    expect(can(me, 'users.read', { target: stranger, context: { ...ctx, membership: membership(1, 8) } }).allow).toBe(false);
  });

  it('a membership of someone else, or of another organization, grants nothing', () => {
    const me = actor(user(1));
    expect(can(me, 'orgs.update', { org: org(7), membership: membership(2, 7, { role: 'owner' }) }).allow).toBe(false);
    expect(can(me, 'orgs.update', { org: org(7), membership: membership(1, 8, { role: 'owner' }) }).allow).toBe(false);
    expect(can(me, 'orgs.update', { org: org(7), membership: membership(1, 7, { role: 'owner' }) }).allow).toBe(true);
  });

  it('an inactive user is refused everything, admins included', () => {
    const off = actor(user(1, { isActive: false, isSuperuser: true }));
    expect(can(off, 'users.list').allow).toBe(false);
    expect(can(off, 'groups.read').allow).toBe(false);
  });

  it('scopes bound every rule: admin ⊃ write ⊃ read', () => {
    const su = user(1, { isSuperuser: true });
    expect(can(actor(su, [], ['read', 'write']), 'users.create').allow).toBe(false);
    expect(can(actor(su, [], ['admin']), 'users.create').allow).toBe(true);
    expect(hasScope(actor(su, [], ['write']), 'read')).toBe(true);
    expect(hasScope(actor(su, [], ['read']), 'write')).toBe(false);
    // an admin scope on a non-admin's key grants nothing
    expect(can(actor(user(2), [], ['read', 'write', 'admin']), 'users.create').allow).toBe(false);
  });

  it('a service account bound to an organization never acts as a site admin, nor outside it', () => {
    const sa = actor(user(1, { isServiceAccount: true, serviceOrgId: 7, isSuperuser: true }), ['admin'], ['read', 'write', 'admin']);
    expect(can(sa, 'users.create').allow).toBe(false);
    expect(can(sa, 'members.list', { org: org(7) }).allow).toBe(true);
    expect(can(sa, 'members.list', { org: org(8) }).allow).toBe(false);
    expect(can(sa, 'members.list', { org: org(8), membership: membership(1, 8, { role: 'owner' }) }).allow).toBe(false);
    expect(userListVisibilityIn(sa, { kind: 'none' })).toEqual({ kind: 'orgMembers', orgId: 7 });
    expect(() => userListVisibilityIn(sa, { kind: 'sandbox' })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => userListVisibilityIn(sa, { kind: 'org', org: org(8) })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    // an unbound service account is an ordinary principal
    const free = actor(user(2, { isServiceAccount: true }));
    expect(userListVisibilityIn(free, { kind: 'none' })).toEqual({ kind: 'self', userId: 2 });
  });

  it('list visibility: admin all, others self; sandbox intersects; org needs active membership', () => {
    const admin = actor(user(1), ['admin']);
    const me = actor(user(2));
    expect(userListVisibilityIn(admin, { kind: 'none' })).toEqual({ kind: 'all' });
    expect(userListVisibilityIn(me, { kind: 'none' })).toEqual({ kind: 'self', userId: 2 });
    expect(userListVisibilityIn(admin, { kind: 'sandbox' })).toEqual({ kind: 'noOrg' });
    expect(userListVisibilityIn(me, { kind: 'sandbox' })).toEqual({ kind: 'and', parts: [{ kind: 'noOrg' }, { kind: 'self', userId: 2 }] });
    expect(userListVisibilityIn(admin, { kind: 'org', org: org(7) })).toEqual({ kind: 'orgMembers', orgId: 7 });
    expect(userListVisibilityIn(me, { kind: 'org', org: org(7), membership: membership(2, 7, { role: 'worker' }) })).toEqual({
      kind: 'orgMembers',
      orgId: 7,
    });
    expect(() => userListVisibilityIn(me, { kind: 'org', org: org(7), membership: membership(2, 7, { isActive: false }) })).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
    expect(() => userListVisibilityIn(me, { kind: 'org', org: org(7) })).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
  });
});
