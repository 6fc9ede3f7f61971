/**
 * The organization a request acts in, CVAT's way (cvat/apps/iam/middleware.py): an `org` slug
 * or an `org_id` query parameter, or an `X-Organization` header. Any surface may use it.
 */
import type { Actor } from '../auth/actor.ts';
import { AppError } from '../errors.ts';
import { isAdmin } from '../policy/policy.ts';
import { boundOrgId, orgStanding } from '../policy/standing.ts';
import type { Store } from '../ports.ts';
import type { Organization, OrgContext } from './types.ts';

export interface OrgContextInput {
  /** `org` query parameter (a slug); `''` means "no organization" (the personal sandbox) */
  org?: string | undefined;
  /** `org_id` query parameter */
  orgId?: number | string | undefined;
  /** `X-Organization` header (a slug) */
  header?: string | undefined;
}

export const orgContextMessages = {
  orgIdConflict: 'You cannot specify "org_id" query parameter with "org" query parameter or "X-Organization" HTTP header at the same time.',
  headerMismatch: 'You cannot specify "org" query parameter and "X-Organization" HTTP header with different values.',
  notFound: (ref: string | number) => `${ref} organization does not exist.`,
  forbidden: 'You do not have permission to perform this action.',
};

export type OrgContextService = ReturnType<typeof createOrgContextService>;

export function createOrgContextService({ store }: { store: Store }) {
  async function lookup(input: OrgContextInput): Promise<Organization | 'sandbox' | undefined> {
    const { org, orgId, header } = input;
    if (orgId !== undefined && (org !== undefined || header !== undefined)) {
      throw new AppError('ORG_ID_CONFLICT', orgContextMessages.orgIdConflict);
    }
    if (org !== undefined && header !== undefined && org !== header) {
      throw new AppError('ORG_HEADER_MISMATCH', orgContextMessages.headerMismatch);
    }
    const slug = org ?? header;
    if (slug) {
      const found = await store.organizations.findBySlug(slug);
      if (!found) throw new AppError('ORG_NOT_FOUND', orgContextMessages.notFound(slug));
      return found;
    }
    if (orgId !== undefined && String(orgId) !== '') {
      const text = String(orgId).trim();
      const found = /^\d{1,10}$/.test(text) ? await store.organizations.findById(Number(text)) : undefined;
      if (!found) throw new AppError('ORG_NOT_FOUND', orgContextMessages.notFound(String(orgId)));
      return found;
    }
    // A parameter given but empty: explicitly no organization.
    return slug !== undefined || orgId !== undefined ? 'sandbox' : undefined;
  }

  return {
    /**
     * - `org_id` with `org` or the header → ORG_ID_CONFLICT (400);
     * - `org` and the header both given and different → ORG_HEADER_MISMATCH (400);
     * - unknown organization → ORG_NOT_FOUND, message "<slug-or-id> organization does not exist." (404);
     * - an organization where the caller is not an active member and not an admin → FORBIDDEN (403);
     * - an empty value (`org=`, `org_id=`, empty header) → the sandbox; nothing → none.
     * Service accounts act only inside their own organization: another one, or the sandbox, is FORBIDDEN.
     */
    async resolve(actor: Actor, input: OrgContextInput): Promise<OrgContext> {
      const found = await lookup(input);
      const bound = boundOrgId(actor);
      if (found === undefined) return { kind: 'none' };
      if (found === 'sandbox') {
        if (bound !== undefined) throw new AppError('FORBIDDEN', orgContextMessages.forbidden);
        return { kind: 'sandbox' };
      }
      const membership = await store.memberships.find(actor.user.id, found.id);
      if (!isAdmin(actor) && !orgStanding(actor, found, membership)) throw new AppError('FORBIDDEN', orgContextMessages.forbidden);
      return membership ? { kind: 'org', org: found, membership } : { kind: 'org', org: found };
    },
  };
}
