/**
 * List visibility from policy: one predicate per request, which storage turns into SQL, so a
 * page of users costs one permission decision, not one per row.
 */
import type { Actor } from '../auth/actor.ts';
import { AppError } from '../errors.ts';
import type { OrgContext, Project } from '../tenancy/types.ts';
import { authorize, hasScope } from './policy.ts';
import { boundOrgId, isAdmin } from './standing.ts';
import type { Visibility } from './visibility.ts';

/** The users a caller may list with no organization context: admins everyone, others themselves. */
export function userListVisibility(actor: Actor): Visibility {
  return isAdmin(actor) && hasScope(actor, 'read') ? { kind: 'all' } : { kind: 'self', userId: actor.user.id };
}

/**
 * The users a caller may list in an organization context (CVAT semantics):
 * - none: admins all users, others only themselves; a service account its organization's members;
 * - sandbox (explicit empty `org=`): users with no membership at all, intersected with the above;
 * - org: that organization's members (every membership row), for its active members, its service
 *   accounts and admins; anyone else is refused with FORBIDDEN.
 */
export function userListVisibilityIn(actor: Actor, context: OrgContext): Visibility {
  authorize(actor, 'users.list');
  const bound = boundOrgId(actor);
  switch (context.kind) {
    case 'none':
      return bound !== undefined ? { kind: 'orgMembers', orgId: bound } : userListVisibility(actor);
    case 'sandbox': {
      if (bound !== undefined) throw new AppError('FORBIDDEN', 'service accounts act only inside their organization');
      const base = userListVisibility(actor);
      return base.kind === 'all' ? { kind: 'noOrg' } : { kind: 'and', parts: [{ kind: 'noOrg' }, base] };
    }
    case 'org':
      authorize(actor, 'members.list', { org: context.org, ...(context.membership ? { membership: context.membership } : {}) });
      return { kind: 'orgMembers', orgId: context.org.id };
  }
}

/** The members of one project (the caller checked `projects.read` on it). */
export function projectMembersVisibility(project: Pick<Project, 'id'>): Visibility {
  return { kind: 'projectMembers', projectId: project.id };
}
