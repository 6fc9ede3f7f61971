/**
 * API keys: `rst_<8 visible>_<32 secret>` (≥190 bits from the CSPRNG). Only the SHA-256 of the
 * whole key is stored (right for high-entropy secrets: a slow hash would buy nothing and cost
 * every request); the secret is returned once, at creation.
 */
import { addSeconds, type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newUuid, randomBase62, sha256Hex } from '../ids.ts';
import { authorize, hasScope } from '../policy/policy.ts';
import type { ApiKey, Store } from '../ports.ts';
import type { User } from '../users/users.types.ts';
import { type Actor, allScopes, isSiteAdmin, type Scope } from './actor.ts';

export const API_KEY_PREFIX = 'rst_';

/** last_used_at is written at most this often per key, so reads stay reads. */
const LAST_USED_GRANULARITY_S = 60;

export interface CreatedApiKey {
  key: ApiKey;
  /** the whole secret: shown once, never stored */
  secret: string;
}

export interface ApiKeysDeps {
  store: Store;
  clock: Clock;
  defaultTtlDays: number;
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

export function generateApiKeySecret(): { secret: string; prefix: string } {
  const visible = randomBase62(8);
  return { secret: `${API_KEY_PREFIX}${visible}_${randomBase62(32)}`, prefix: `${API_KEY_PREFIX}${visible}` };
}

/** The visible part of a key given in full by an operator (ROSTER_ADMIN_API_KEY): its first 12 characters. */
export function prefixOf(secret: string): string {
  const m = /^(rst_[A-Za-z0-9]{8})_/.exec(secret);
  return m?.[1] ?? secret.slice(0, Math.min(12, Math.max(4, Math.floor(secret.length / 3))));
}

export function createApiKeysService({ store, clock, defaultTtlDays }: ApiKeysDeps) {
  const lastTouched = new Map<number, number>();

  function normaliseScopes(scopes: readonly string[] | undefined): Scope[] {
    const wanted = (scopes ?? allScopes).filter((s): s is Scope => (allScopes as readonly string[]).includes(s));
    // A key never grants more than its owner has: policy checks the owner's standing on every
    // request, so `admin` on a non-admin's key is inert, and works the moment the owner becomes
    // an admin (superuser or `admin` group) without minting a new key.
    return [...new Set(wanted)];
  }

  async function mint(
    owner: User,
    opts: { name?: string; scopes?: readonly string[]; expiresAt?: string | null; secret?: string; createdBy: number | null },
  ): Promise<CreatedApiKey> {
    const generated = opts.secret ? { secret: opts.secret, prefix: prefixOf(opts.secret) } : generateApiKeySecret();
    const now = isoNow(clock);
    const expiresAt = opts.expiresAt !== undefined ? opts.expiresAt : defaultTtlDays > 0 ? addSeconds(now, defaultTtlDays * 86400) : null;
    if (expiresAt !== null && expiresAt <= now) {
      throw new AppError('VALIDATION_FAILED', 'expires_at must be in the future', {
        issues: [{ field: 'expiresAt', kind: 'invalid', message: 'must be in the future' }],
      });
    }
    const key = await store.apiKeys.insert({
      uuid: newUuid(),
      userId: owner.id,
      name: (opts.name ?? 'default').slice(0, 100),
      prefix: generated.prefix,
      secretHash: sha256Hex(generated.secret),
      scopes: normaliseScopes(opts.scopes),
      expiresAt,
      createdAt: now,
      createdBy: opts.createdBy,
    });
    return { key, secret: generated.secret };
  }

  return {
    /** Creates a key for `owner` on behalf of `actor` (oneself, or an admin for anyone). */
    async create(
      actor: Actor,
      owner: User,
      opts: { name?: string; scopes?: readonly string[]; expiresAt?: string | null } = {},
    ): Promise<CreatedApiKey> {
      authorize(actor, 'keys.manage', { target: owner });
      // A credential cannot mint a key broader than itself.
      // The admin scope is kept only for an owner who is a site admin (groups count for oneself).
      const ownerIsAdmin = owner.id === actor.user.id ? isSiteAdmin(actor) : owner.isSuperuser;
      const scopes = (opts.scopes ?? allScopes).filter((s) => hasScope(actor, s as Scope) && (s !== 'admin' || ownerIsAdmin));
      return mint(owner, { ...opts, scopes, createdBy: actor.user.id });
    },

    /** Trusted minting (bootstrap, CLI, login endpoints that hand out a key). */
    mintTrusted: (owner: User, opts: { name?: string; scopes?: readonly string[]; expiresAt?: string | null; secret?: string } = {}) =>
      mint(owner, { ...opts, createdBy: null }),

    async list(actor: Actor, owner: User): Promise<ApiKey[]> {
      authorize(actor, 'keys.manage', { target: owner });
      return store.apiKeys.listByUser(owner.id);
    },

    async revoke(actor: Actor, owner: User, keyUuid: string): Promise<ApiKey> {
      authorize(actor, 'keys.manage', { target: owner });
      const key = await store.apiKeys.findByUuid(keyUuid);
      if (!key || key.userId !== owner.id) throw new AppError('KEY_NOT_FOUND');
      if (!key.revokedAt) await store.apiKeys.revoke(key.id, isoNow(clock));
      return (await store.apiKeys.findByUuid(keyUuid)) as ApiKey;
    },

    /**
     * New secret for the same name and scopes; the old key stops working after `overlapSeconds`.
     * KEY_NOT_FOUND when the key is revoked; CONFLICT when it already ends within the overlap (a
     * rotation gave it that end, or it expires anyway), so concurrent rotations mint one successor.
     */
    async rotate(actor: Actor, owner: User, keyUuid: string, overlapSeconds = 0): Promise<CreatedApiKey> {
      authorize(actor, 'keys.manage', { target: owner });
      const old = await store.apiKeys.findByUuid(keyUuid);
      if (!old || old.userId !== owner.id || old.revokedAt) throw new AppError('KEY_NOT_FOUND');
      return store.transaction(async (tx) => {
        const now = isoNow(clock);
        // Conditional writes: of concurrent rotations of one key exactly one gets a successor, and
        // rotating again during the overlap can shorten the old key's life but never extend it.
        if (overlapSeconds > 0) {
          if (!(await tx.apiKeys.shortenExpiry(old.id, addSeconds(now, overlapSeconds), old.expiresAt))) {
            throw new AppError(
              'CONFLICT',
              'This key already stops working within overlap_seconds (rotated before, or about to expire); rotate it with a shorter overlap_seconds or none',
            );
          }
        } else if (!(await tx.apiKeys.revoke(old.id, now))) throw new AppError('KEY_NOT_FOUND');
        const generated = generateApiKeySecret();
        const key = await tx.apiKeys.insert({
          uuid: newUuid(),
          userId: owner.id,
          name: old.name,
          prefix: generated.prefix,
          secretHash: sha256Hex(generated.secret),
          scopes: old.scopes,
          expiresAt: old.expiresAt,
          createdAt: now,
          createdBy: actor.user.id,
        });
        return { key, secret: generated.secret };
      });
    },

    newestActive: (userId: number) => store.apiKeys.newestActive(userId, isoNow(clock)),
    /** `newestActive` for a page of users in one query (list presenters) */
    newestActiveForUsers: (userIds: readonly number[]) => store.apiKeys.newestActiveForUsers(userIds, isoNow(clock)),

    /**
     * Resolves a presented secret to its key and owner. `undefined` when unknown, revoked or
     * expired; the caller tells an inactive owner apart (some surfaces answer differently).
     * `secretSha256` spares hashing again when the caller already has it.
     */
    async verify(secret: string, secretSha256?: string): Promise<{ key: ApiKey; user: User; groups: string[] } | undefined> {
      if (secret.length < 8 || secret.length > 512) return undefined;
      const found = await store.apiKeys.findBySecretHash(secretSha256 ?? sha256Hex(secret));
      if (!found) return undefined;
      const nowMs = clock.now().getTime();
      if (found.key.revokedAt) return undefined;
      if (found.key.expiresAt && Date.parse(found.key.expiresAt) <= nowMs) return undefined;
      const touched = lastTouched.get(found.key.id) ?? 0;
      if (nowMs - touched >= LAST_USED_GRANULARITY_S * 1000) {
        lastTouched.set(found.key.id, nowMs);
        const now = new Date(nowMs).toISOString();
        // Fire and forget: a failed bookkeeping write must not fail the request.
        store.apiKeys.touchLastUsed(found.key.id, now, addSeconds(now, -LAST_USED_GRANULARITY_S)).catch(() => {});
      }
      return found;
    },
  };
}
