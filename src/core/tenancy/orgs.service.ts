/** Organizations (Plane's workspaces, CVAT's organizations): create, read, rename, delete. */
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newUuid } from '../ids.ts';
import { authorize, can, isAdmin } from '../policy/policy.ts';
import type { Store } from '../ports.ts';
import type { Organization } from './types.ts';
import { checkName, checkSlug } from './validation.ts';

export interface TenancyDeps {
  store: Store;
  clock: Clock;
}

export type OrgsService = ReturnType<typeof createOrgsService>;

export function createOrgsService({ store, clock }: TenancyDeps) {
  /** The organization if the actor may see it; ORG_NOT_FOUND otherwise, exactly like a missing one. */
  async function visible(actor: Actor, org: Organization | undefined): Promise<Organization> {
    if (!org) throw new AppError('ORG_NOT_FOUND');
    const membership = await store.memberships.find(actor.user.id, org.id);
    if (!can(actor, 'orgs.read', { org, ...(membership ? { membership } : {}) }).allow) throw new AppError('ORG_NOT_FOUND');
    return org;
  }

  async function guarded(actor: Actor, org: Organization, action: 'orgs.update' | 'orgs.delete'): Promise<void> {
    const membership = await store.memberships.find(actor.user.id, org.id);
    authorize(actor, action, { org, ...(membership ? { membership } : {}) });
  }

  return {
    /** Creates an organization; the creator becomes its (first) owner, in one transaction. */
    async create(actor: Actor, input: { slug: unknown; name: unknown }): Promise<Organization> {
      authorize(actor, 'orgs.create');
      const slug = checkSlug(input.slug);
      const name = checkName(input.name);
      const now = isoNow(clock);
      return store.transaction(async (tx) => {
        const org = await tx.organizations.insert({
          uuid: newUuid(),
          slug,
          name,
          createdBy: actor.user.id,
          createdAt: now,
          updatedAt: null,
        });
        await tx.memberships.insert({
          userId: actor.user.id,
          orgId: org.id,
          role: 'owner',
          isActive: true,
          joinedAt: now,
          invitedBy: null,
        });
        return org;
      });
    },

    /** Lookups without a policy check (surfaces decide visibility through policy or orgContext). */
    getById: (id: number) => store.organizations.findById(id),
    getByUuid: (uuid: string) => store.organizations.findByUuid(uuid),
    /** case-insensitive */
    getBySlug: (slug: string) => store.organizations.findBySlug(slug),
    /** organizations where the user has an active membership, by slug */
    listForUser: (userId: number) => store.organizations.listForUser(userId),

    /** The organization by slug, if the actor may see it; ORG_NOT_FOUND for missing and foreign alike. */
    async getVisible(actor: Actor, slug: string): Promise<Organization> {
      return visible(actor, await store.organizations.findBySlug(slug));
    },

    /** Admins: every organization; others: their own (active memberships). */
    async listVisible(actor: Actor): Promise<Organization[]> {
      return isAdmin(actor) ? store.organizations.listAll() : store.organizations.listForUser(actor.user.id);
    },

    async update(actor: Actor, org: Organization, input: { slug?: unknown; name?: unknown }): Promise<Organization> {
      await guarded(actor, org, 'orgs.update');
      const patch: { slug?: string; name?: string; updatedAt: string } = { updatedAt: isoNow(clock) };
      if (input.slug !== undefined) patch.slug = checkSlug(input.slug);
      if (input.name !== undefined) patch.name = checkName(input.name);
      const updated = await store.organizations.update(org.id, patch);
      if (!updated) throw new AppError('ORG_NOT_FOUND');
      return updated;
    },

    /** Deletes the organization with its memberships, invitations and projects (cascades). */
    async delete(actor: Actor, org: Organization): Promise<void> {
      await guarded(actor, org, 'orgs.delete');
      await store.organizations.delete(org.id);
    },
  };
}
