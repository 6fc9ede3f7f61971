/**
 * Login sessions: an opaque token `rss_<43 base62>` (≈256 bits from the CSPRNG) given to the
 * client once; only its SHA-256 is stored. A session ends at the first of: its idle expiry (moved
 * forward by use, at most once a minute so reads stay reads), its absolute expiry (fixed at
 * login), revocation (logout, logout everywhere, password change), or its owner's deactivation.
 */
import { addSeconds, type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newUuid, randomBase62, sha256Hex } from '../ids.ts';
import { authorize } from '../policy/policy.ts';
import type { Session, Store } from '../ports.ts';
import type { User } from '../users/users.types.ts';
import { type Actor, allScopes } from './actor.ts';
import type { AuthOutcome, CredentialVerifier } from './authenticate.ts';

export const SESSION_TOKEN_PREFIX = 'rss_';

/** last_seen_at (and with it the idle expiry) moves at most this often per session. */
const TOUCH_GRANULARITY_S = 60;

export interface SessionsSettings {
  idleSeconds: number;
  absoluteSeconds: number;
}

export interface StartedSession {
  session: Session;
  /** the whole token: returned once, never stored */
  token: string;
}

export interface SessionContext {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

export type SessionsService = ReturnType<typeof createSessionsService>;

/** The earlier of two ISO-8601 UTC timestamps (they sort as text). */
const earlier = (a: string, b: string): string => (a < b ? a : b);

export function createSessionsService({ store, clock, settings }: { store: Store; clock: Clock; settings: SessionsSettings }) {
  const live = (s: Session, nowMs: number) => !s.revokedAt && Date.parse(s.idleExpiresAt) > nowMs && Date.parse(s.expiresAt) > nowMs;

  async function verify(token: string, tokenSha256?: string): Promise<{ session: Session; user: User } | undefined> {
    if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 128) return undefined;
    const found = await store.sessions.findByTokenHash(tokenSha256 ?? sha256Hex(token));
    const nowMs = clock.now().getTime();
    if (!found || !live(found.session, nowMs)) return undefined;
    const s = found.session;
    if (nowMs - Date.parse(s.lastSeenAt) >= TOUCH_GRANULARITY_S * 1000) {
      const now = new Date(nowMs).toISOString();
      const idle = addSeconds(now, settings.idleSeconds);
      const idleExpiresAt = earlier(idle, s.expiresAt);
      // Fire and forget: bookkeeping must not fail the request. The condition keeps concurrent
      // requests of one session from all writing.
      store.sessions.touch(s.id, now, idleExpiresAt, addSeconds(now, -TOUCH_GRANULARITY_S)).catch(() => {});
    }
    return found;
  }

  /** The session as an Actor: a login carries every scope its owner has (policy bounds it). */
  async function authenticate(token: string, tokenSha256?: string): Promise<AuthOutcome | undefined> {
    const found = await verify(token, tokenSha256);
    if (!found) return undefined;
    if (!found.user.isActive) return { ok: false, reason: 'inactive' };
    return { ok: true, actor: { user: found.user, credential: { kind: 'session', id: found.session.uuid, scopes: allScopes } } };
  }

  async function ownSession(actor: Actor, uuid: string): Promise<Session> {
    const s = await store.sessions.findByUuid(uuid);
    if (!s || s.userId !== actor.user.id || !live(s, clock.now().getTime())) throw new AppError('NOT_FOUND', 'Session not found');
    return s;
  }

  return {
    /** Starts a session for a user whose password was just verified (trusted callers only). */
    async start(user: User, context: SessionContext = {}): Promise<StartedSession> {
      const now = isoNow(clock);
      const token = `${SESSION_TOKEN_PREFIX}${randomBase62(43)}`;
      const expiresAt = addSeconds(now, settings.absoluteSeconds);
      const idle = addSeconds(now, settings.idleSeconds);
      await store.sessions.deleteInactive(user.id, now);
      const session = await store.sessions.insert({
        uuid: newUuid(),
        userId: user.id,
        tokenHash: sha256Hex(token),
        createdAt: now,
        lastSeenAt: now,
        idleExpiresAt: earlier(idle, expiresAt),
        expiresAt,
        userAgent: context.userAgent?.slice(0, 512) ?? null,
        ip: context.ip?.slice(0, 64) ?? null,
      });
      return { session, token };
    },

    verify,
    authenticate,
    /** for `core.verifiers`: a session token also works as a Bearer credential */
    verifier: ((token, tokenSha256) =>
      token.startsWith(SESSION_TOKEN_PREFIX) ? authenticate(token, tokenSha256) : undefined) satisfies CredentialVerifier,

    /** The caller's live sessions, newest first. */
    async list(actor: Actor): Promise<Session[]> {
      authorize(actor, 'users.read', { target: actor.user });
      return store.sessions.listActive(actor.user.id, isoNow(clock));
    },

    /** Ends one of the caller's own sessions (404 for anyone else's). */
    async revoke(actor: Actor, uuid: string): Promise<void> {
      authorize(actor, 'users.update', { target: actor.user });
      const s = await ownSession(actor, uuid);
      await store.sessions.revoke(s.id, isoNow(clock));
    },

    /** Ends the session the caller authenticated with; refused for other credentials. */
    async end(actor: Actor): Promise<void> {
      if (actor.credential.kind !== 'session') {
        throw new AppError('VALIDATION_FAILED', 'Only a session can be logged out; revoke API keys through their own endpoint', {
          issues: [{ field: 'credential', kind: 'invalid', message: 'not a session' }],
        });
      }
      const s = await store.sessions.findByUuid(actor.credential.id);
      if (s) await store.sessions.revoke(s.id, isoNow(clock));
    },

    /** Logout everywhere: ends every session of the caller, the current one included. */
    async endAll(actor: Actor): Promise<number> {
      authorize(actor, 'users.update', { target: actor.user });
      return store.sessions.revokeAllForUser(actor.user.id, isoNow(clock));
    },

    /** Trusted: ends every session of `user` but `exceptUuid`; returns how many ended. */
    async revokeAll(user: User, exceptUuid?: string): Promise<number> {
      const except = exceptUuid ? await store.sessions.findByUuid(exceptUuid) : undefined;
      return store.sessions.revokeAllForUser(user.id, isoNow(clock), except?.id);
    },
  };
}

/** Reads the session an actor is using, if it is one (for "end the others" and `current`). */
export function sessionIdOf(actor: Actor): string | undefined {
  return actor.credential.kind === 'session' ? actor.credential.id : undefined;
}
