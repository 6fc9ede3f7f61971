/**
 * Invitations: an email and a role, and a single-use token (≥190 bits from the CSPRNG) whose
 * SHA-256 alone is stored. The token is returned once, at creation or resend. Redemption is one
 * conditional UPDATE, so of concurrent redemptions of one token exactly one succeeds.
 */
import type { Actor } from '../auth/actor.ts';
import { addSeconds, type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newUuid, randomBase62, sha256Hex } from '../ids.ts';
import { authorize, can, type PolicyResource } from '../policy/policy.ts';
import type { Store } from '../ports.ts';
import type { Invitation, Membership, Organization, OrgRole } from './types.ts';
import { checkEmail, checkOrgRole } from './validation.ts';

export const INVITATION_TOKEN_PREFIX = 'rsi_';
export const invitationTtl = { defaultSeconds: 7 * 86400, minSeconds: 3600, maxSeconds: 30 * 86400 };

export interface IssuedInvitation {
  invitation: Invitation;
  /** the whole token: shown once, never stored */
  token: string;
}

export type InvitationsService = ReturnType<typeof createInvitationsService>;

const notFound = () => new AppError('INVITATION_NOT_FOUND', 'Invitation not found, expired or already used');

export function createInvitationsService({ store, clock }: { store: Store; clock: Clock }) {
  const newToken = () => `${INVITATION_TOKEN_PREFIX}${randomBase62(32)}`;

  function ttlOf(ttlSeconds: unknown): number {
    if (ttlSeconds === undefined) return invitationTtl.defaultSeconds;
    if (
      typeof ttlSeconds !== 'number' ||
      !Number.isInteger(ttlSeconds) ||
      ttlSeconds < invitationTtl.minSeconds ||
      ttlSeconds > invitationTtl.maxSeconds
    ) {
      throw new AppError('VALIDATION_FAILED', 'expiresIn: out of range', {
        issues: [
          {
            field: 'expiresIn',
            kind: 'invalid',
            message: `must be an integer from ${invitationTtl.minSeconds} to ${invitationTtl.maxSeconds} seconds`,
          },
        ],
      });
    }
    return ttlSeconds;
  }

  /** The organization if the actor may manage its invitations with `role`; ORG_NOT_FOUND when it may not even see it. */
  async function managed(actor: Actor, orgId: number, role?: OrgRole): Promise<{ org: Organization; resource: PolicyResource }> {
    const org = await store.organizations.findById(orgId);
    if (!org) throw new AppError('ORG_NOT_FOUND');
    const membership = await store.memberships.find(actor.user.id, org.id);
    const resource: PolicyResource = { org, ...(membership ? { membership } : {}) };
    if (!can(actor, 'members.list', resource).allow) throw new AppError('ORG_NOT_FOUND');
    authorize(actor, 'members.invite', { ...resource, ...(role ? { role } : {}) });
    return { org, resource };
  }

  async function ownInvitation(orgId: number, uuid: string): Promise<Invitation> {
    const inv = await store.invitations.findByUuid(uuid);
    if (!inv || inv.orgId !== orgId) throw new AppError('INVITATION_NOT_FOUND');
    return inv;
  }

  return {
    /** Invites `email` with `role`; CONFLICT while an invitation to that email is pending, ALREADY_MEMBER for a member. */
    async create(actor: Actor, orgId: number, input: { email: unknown; role: unknown; expiresIn?: unknown }): Promise<IssuedInvitation> {
      const email = checkEmail(input.email);
      const role = checkOrgRole(input.role);
      const ttl = ttlOf(input.expiresIn);
      const { org } = await managed(actor, orgId, role);
      const now = isoNow(clock);
      const existing = await store.users.findByEmail(email);
      if (existing && (await store.memberships.find(existing.id, org.id))) throw new AppError('ALREADY_MEMBER');
      if (await store.invitations.findPending(org.id, email, now)) {
        throw new AppError('CONFLICT', 'An invitation to this email is pending; resend or revoke it');
      }
      const token = newToken();
      const invitation = await store.invitations.insert({
        uuid: newUuid(),
        orgId: org.id,
        email,
        role,
        tokenHash: sha256Hex(token),
        expiresAt: addSeconds(now, ttl),
        createdBy: actor.user.id,
        createdAt: now,
        acceptedAt: null,
        revokedAt: null,
      });
      return { invitation, token };
    },

    /** Pending invitations of the organization (never their tokens). */
    async list(actor: Actor, orgId: number): Promise<Invitation[]> {
      const { org } = await managed(actor, orgId);
      return store.invitations.listPending(org.id, isoNow(clock));
    },

    async revoke(actor: Actor, orgId: number, uuid: string): Promise<Invitation> {
      const { org, resource } = await managed(actor, orgId);
      const inv = await ownInvitation(org.id, uuid);
      authorize(actor, 'members.invite', { ...resource, role: inv.role });
      if (!(await store.invitations.revoke(inv.id, isoNow(clock))) && !inv.revokedAt) throw notFound();
      return (await store.invitations.findByUuid(uuid)) as Invitation;
    },

    /** A fresh token and expiry; the old token stops working. INVITATION_NOT_FOUND once accepted or revoked. */
    async resend(actor: Actor, orgId: number, uuid: string, expiresIn?: unknown): Promise<IssuedInvitation> {
      const { org, resource } = await managed(actor, orgId);
      const inv = await ownInvitation(org.id, uuid);
      authorize(actor, 'members.invite', { ...resource, role: inv.role });
      const token = newToken();
      const ok = await store.invitations.replaceToken(inv.id, sha256Hex(token), addSeconds(isoNow(clock), ttlOf(expiresIn)));
      if (!ok) throw notFound();
      return { invitation: (await store.invitations.findByUuid(uuid)) as Invitation, token };
    },

    /**
     * The signed-in actor accepts an invitation addressed to its own email: consumes the token and
     * creates the membership in one transaction. INVITATION_NOT_FOUND for an unknown, expired,
     * used, revoked or someone else's token (one answer, no oracle); ALREADY_MEMBER leaves the
     * token unused.
     */
    async accept(actor: Actor, token: string): Promise<Membership> {
      authorize(actor, 'invitations.accept');
      if (typeof token !== 'string' || token.length < 8 || token.length > 512) throw notFound();
      return store.transaction(async (tx) => {
        const now = isoNow(clock);
        const inv = await tx.invitations.consume(sha256Hex(token), actor.user.email, now);
        if (!inv) throw notFound();
        return tx.memberships.insert({
          userId: actor.user.id,
          orgId: inv.orgId,
          role: inv.role,
          isActive: true,
          joinedAt: now,
          invitedBy: inv.createdBy,
        });
      });
    },

    /**
     * For invite-only registration: atomically consumes a pending invitation addressed to
     * `email` and returns what the new account is owed; undefined when there is none. The caller
     * then creates the user and `memberships.addTrusted({orgId, userId, role, invitedBy})`.
     */
    async redeem(token: string, email: string): Promise<{ orgId: number; role: OrgRole; invitedBy: number | null } | undefined> {
      if (typeof token !== 'string' || token.length < 8 || token.length > 512) return undefined;
      const inv = await store.invitations.consume(sha256Hex(token), email, isoNow(clock));
      return inv ? { orgId: inv.orgId, role: inv.role, invitedBy: inv.createdBy } : undefined;
    },

    /** The pending invitation a token names, without consuming it (to show "you are invited to …"). */
    async peek(token: string): Promise<Invitation | undefined> {
      if (typeof token !== 'string' || token.length < 8 || token.length > 512) return undefined;
      return store.invitations.findPendingByToken(sha256Hex(token), isoNow(clock));
    },
  };
}
