/** The tenancy services, assembled over one Store (see README.md in this folder for the API). */
import type { AuthOutcome } from '../auth/authenticate.ts';
import { type Clock, isoNow } from '../clock.ts';
import type { InvitationRedeemer, Store } from '../ports.ts';
import { createGroupsService, createRolesService } from './groups.service.ts';
import { createInvitationsService } from './invitations.service.ts';
import { createMembershipsService } from './memberships.service.ts';
import { createOrgContextService } from './org-context.ts';
import { createOrgsService } from './orgs.service.ts';
import { createProjectsService } from './projects.service.ts';

export function createTenancy(deps: { store: Store; clock: Clock }) {
  return {
    orgs: createOrgsService(deps),
    memberships: createMembershipsService(deps),
    orgContext: createOrgContextService(deps),
    invitations: createInvitationsService(deps),
    projects: createProjectsService(deps),
    groups: createGroupsService(deps),
    roles: createRolesService(deps),
  };
}

export type Tenancy = ReturnType<typeof createTenancy>;

/**
 * Makes sure every authenticated actor carries its group names. Verifiers that read them with
 * the credential (the API-key lookup joins them in) cost nothing more; for any other verifier
 * they are read here, once per request.
 */
export function withActorGroups<Args extends unknown[]>(
  authenticate: (...args: Args) => Promise<AuthOutcome>,
  namesOfUser: (userId: number) => Promise<string[]>,
): (...args: Args) => Promise<AuthOutcome> {
  return (...args) =>
    authenticate(...args).then((outcome) => {
      if (!outcome.ok || outcome.actor.groups !== undefined) return outcome;
      const actor = outcome.actor;
      return namesOfUser(actor.user.id).then((groups): AuthOutcome => ({ ok: true, actor: { ...actor, groups } }));
    });
}

export * from './roles.ts';
export type * from './types.ts';
export { orgRoles, projectRoles } from './types.ts';

/**
 * The redeemer invite-only registration asks (REGISTRATION=invite): consumes the invitation and
 * records the membership inside the registration transaction, so user, membership and consumed
 * invitation land together or not at all.
 */
export function invitationRedeemer(clock: Clock): InvitationRedeemer {
  return {
    async redeem(token, email, { user, store }) {
      const grant = await createInvitationsService({ store, clock }).redeem(token, email);
      if (!grant) return undefined;
      await store.memberships.insert({
        userId: user.id,
        orgId: grant.orgId,
        role: grant.role,
        isActive: true,
        joinedAt: isoNow(clock),
        invitedBy: grant.invitedBy,
      });
      return grant;
    },
  };
}
