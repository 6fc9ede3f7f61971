/**
 * Memberships: who belongs to an organization, with which role. The rule that an organization
 * always keeps at least one active owner is enforced inside a transaction that first locks the
 * organization, so two concurrent demotions of its last two owners cannot both succeed.
 */
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { authorize, can, type PolicyResource } from '../policy/policy.ts';
import type { Store } from '../ports.ts';
import type { ListRequest, ListResult } from '../query/model.ts';
import type { ConditionalWrite } from '../users/users.service.ts';
import type { Membership, MemberWithUser, Organization, OrgRole } from './types.ts';
import { checkOrgRole } from './validation.ts';

export type MembershipsService = ReturnType<typeof createMembershipsService>;

type Change = { role?: OrgRole; isActive?: boolean } | 'delete';

export function createMembershipsService({ store, clock }: { store: Store; clock: Clock }) {
  /**
   * The organization and the actor's membership in it, when the actor may see its members;
   * ORG_NOT_FOUND otherwise (a foreign organization answers like a missing one).
   */
  async function orgFor(actor: Actor, orgId: number): Promise<{ org: Organization; resource: PolicyResource }> {
    const org = await store.organizations.findById(orgId);
    if (!org) throw new AppError('ORG_NOT_FOUND');
    const membership = await store.memberships.find(actor.user.id, org.id);
    const resource: PolicyResource = { org, ...(membership ? { membership } : {}) };
    if (!can(actor, 'members.list', resource).allow) throw new AppError('ORG_NOT_FOUND');
    return { org, resource };
  }

  async function targetOf(orgId: number, userId: number): Promise<Membership> {
    const m = await store.memberships.find(userId, orgId);
    if (!m) throw new AppError('MEMBERSHIP_NOT_FOUND');
    return m;
  }

  const losesOwnership = (m: Membership, change: Change): boolean =>
    m.role === 'owner' &&
    m.isActive &&
    (change === 'delete' || (change.role !== undefined && change.role !== 'owner') || change.isActive === false);

  /**
   * Applies a change under the organization's lock, refusing to leave it without an active owner.
   * With `expectedVersion` (If-Match) only while the membership still has that version.
   */
  async function applyGuarded(orgId: number, userId: number, change: Change, expectedVersion?: number): Promise<Membership | undefined> {
    return store.transaction(async (tx) => {
      await tx.organizations.lockForUpdate(orgId);
      const current = await tx.memberships.find(userId, orgId);
      if (!current) throw new AppError('MEMBERSHIP_NOT_FOUND');
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new AppError('PRECONDITION_FAILED', 'The membership changed since it was read; fetch it again for a fresh ETag');
      }
      if (losesOwnership(current, change) && (await tx.memberships.countActiveOwners(orgId)) <= 1) {
        throw new AppError('LAST_OWNER', 'An organization keeps at least one active owner; make someone else owner first');
      }
      if (change === 'delete') {
        await tx.memberships.delete(current.id, expectedVersion);
        await tx.projects.removeFromOrgProjects(userId, orgId);
        return undefined;
      }
      return tx.memberships.update(current.id, change, expectedVersion);
    });
  }

  return {
    /** Adds an existing user with `role` (maintainers up to maintainer, owners and admins any). */
    async add(actor: Actor, orgId: number, userId: number, role: OrgRole): Promise<Membership> {
      const checked = checkOrgRole(role);
      const { org, resource } = await orgFor(actor, orgId);
      authorize(actor, 'members.add', { ...resource, role: checked });
      if (!(await store.users.findById(userId))) throw new AppError('USER_NOT_FOUND');
      return store.memberships.insert({
        userId,
        orgId: org.id,
        role: checked,
        isActive: true,
        joinedAt: isoNow(clock),
        invitedBy: actor.user.id,
      });
    },

    /** No policy check: invitation redemption at registration, CLI, seeding. */
    addTrusted(input: { orgId: number; userId: number; role: OrgRole; invitedBy?: number | null }): Promise<Membership> {
      return store.memberships.insert({
        userId: input.userId,
        orgId: input.orgId,
        role: checkOrgRole(input.role),
        isActive: true,
        joinedAt: isoNow(clock),
        invitedBy: input.invitedBy ?? null,
      });
    },

    /** LAST_OWNER when this would demote the last active owner. */
    async setRole(actor: Actor, orgId: number, userId: number, role: OrgRole): Promise<Membership> {
      const checked = checkOrgRole(role);
      const { resource } = await orgFor(actor, orgId);
      const target = await targetOf(orgId, userId);
      authorize(actor, 'members.update', { ...resource, targetMembership: target, role: checked });
      return (await applyGuarded(orgId, userId, { role: checked })) as Membership;
    },

    /** LAST_OWNER when this would deactivate the last active owner. */
    async setActive(actor: Actor, orgId: number, userId: number, isActive: boolean): Promise<Membership> {
      const { resource } = await orgFor(actor, orgId);
      const target = await targetOf(orgId, userId);
      authorize(actor, 'members.update', { ...resource, targetMembership: target });
      return (await applyGuarded(orgId, userId, { isActive })) as Membership;
    },

    /**
     * Role and active flag in one write (one version step), as the native PATCH sends them;
     * LAST_OWNER as for setRole/setActive, PRECONDITION_FAILED when `expectedVersion` is stale.
     */
    async change(
      actor: Actor,
      orgId: number,
      userId: number,
      change: { role?: OrgRole | undefined; isActive?: boolean | undefined },
      opts: ConditionalWrite = {},
    ): Promise<Membership> {
      const role = change.role !== undefined ? checkOrgRole(change.role) : undefined;
      const { resource } = await orgFor(actor, orgId);
      const target = await targetOf(orgId, userId);
      authorize(actor, 'members.update', { ...resource, targetMembership: target, ...(role !== undefined ? { role } : {}) });
      const patch = { ...(role !== undefined ? { role } : {}), ...(change.isActive !== undefined ? { isActive: change.isActive } : {}) };
      return (await applyGuarded(orgId, userId, patch, opts.expectedVersion)) as Membership;
    },

    /** Removes the membership (and the user's project memberships in the organization); LAST_OWNER for the last active owner. */
    async remove(actor: Actor, orgId: number, userId: number, opts: ConditionalWrite = {}): Promise<void> {
      const { resource } = await orgFor(actor, orgId);
      const target = await targetOf(orgId, userId);
      authorize(actor, 'members.remove', { ...resource, targetMembership: target });
      await applyGuarded(orgId, userId, 'delete', opts.expectedVersion);
    },

    /** One membership as the actor may see it: MEMBERSHIP_NOT_FOUND for a non-member, ORG_NOT_FOUND for a foreign organization. */
    async get(actor: Actor, orgId: number, userId: number): Promise<MemberWithUser> {
      await orgFor(actor, orgId);
      const membership = await targetOf(orgId, userId);
      const user = await store.users.findById(userId);
      if (!user) throw new AppError('MEMBERSHIP_NOT_FOUND');
      return { membership, user };
    },

    /** A page of the organization's members through the query model (filters and sorts on users). */
    async listPage(actor: Actor, orgId: number, request: ListRequest): Promise<ListResult<MemberWithUser>> {
      const { org } = await orgFor(actor, orgId);
      const page = await store.users.list(request, { kind: 'orgMembers', orgId: org.id });
      const memberships = await store.memberships.findMany(
        org.id,
        page.items.map((u) => u.id),
      );
      const byUser = new Map(memberships.map((m) => [m.userId, m]));
      const items = page.items.flatMap((user) => {
        const membership = byUser.get(user.id);
        return membership ? [{ membership, user }] : [];
      });
      return { ...page, items };
    },

    /** Lookups without a policy check. */
    find: (userId: number, orgId: number) => store.memberships.find(userId, orgId),
    /** every membership of the organization with its user, in one query (Plane's plain arrays) */
    listByOrg: (orgId: number) => store.memberships.listByOrg(orgId),
    listByUser: (userId: number) => store.memberships.listByUser(userId),
    /** the memberships in one organization of a page of users, in one query */
    findMany: (orgId: number, userIds: readonly number[]) => store.memberships.findMany(orgId, userIds),
  };
}
