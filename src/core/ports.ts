/**
 * What core needs from storage, as interfaces. `src/storage/store.ts` implements them with Kysely;
 * core never sees SQL. Unique violations come back as AppError (EMAIL_TAKEN, …) from storage,
 * because only the database can decide uniqueness under concurrency.
 */
import type { Visibility } from './policy/visibility.ts';
import type { ListRequest, ListResult } from './query/model.ts';
import type { User, UserRecord, UserRecordPatch } from './users/users.types.ts';

export interface ApiKey {
  id: number;
  uuid: string;
  userId: number;
  name: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  createdBy: number | null;
  revokedAt: string | null;
}

export interface NewApiKey {
  uuid: string;
  userId: number;
  name: string;
  prefix: string;
  secretHash: string;
  scopes: string[];
  expiresAt: string | null;
  createdAt: string;
  createdBy: number | null;
}

export interface UsersRepository {
  insert(record: UserRecord): Promise<User>;
  findById(id: number): Promise<User | undefined>;
  findByUuid(uuid: string): Promise<User | undefined>;
  findByRef(ref: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  findByEmail(email: string): Promise<User | undefined>;
  update(id: number, patch: UserRecordPatch): Promise<User | undefined>;
  delete(id: number): Promise<boolean>;
  list(request: ListRequest, visibility: Visibility): Promise<ListResult<User>>;
  count(): Promise<number>;
  passwordHash(id: number): Promise<string | null>;
}

export interface ApiKeysRepository {
  insert(key: NewApiKey): Promise<ApiKey>;
  /** the key and its owner in one read: the hot path of every authenticated request */
  findBySecretHash(hash: string): Promise<{ key: ApiKey; user: User } | undefined>;
  findByUuid(uuid: string): Promise<ApiKey | undefined>;
  listByUser(userId: number): Promise<ApiKey[]>;
  /** newest non-revoked, non-expired key of the user */
  newestActive(userId: number, now: string): Promise<ApiKey | undefined>;
  revoke(id: number, at: string): Promise<boolean>;
  setExpiry(id: number, at: string): Promise<void>;
  touchLastUsed(id: number, at: string, notAfter: string): Promise<void>;
}

/** A browser or script login: only the SHA-256 of its token is stored. */
export interface Session {
  id: number;
  uuid: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  /** slides forward with use, never past `expiresAt` */
  idleExpiresAt: string;
  /** absolute end, fixed at login */
  expiresAt: string;
  revokedAt: string | null;
  userAgent: string | null;
  ip: string | null;
}

export type NewSession = Omit<Session, 'id' | 'revokedAt'> & { tokenHash: string };

export interface SessionsRepository {
  insert(session: NewSession): Promise<Session>;
  /** the session and its owner in one read (every cookie or session-bearer request) */
  findByTokenHash(hash: string): Promise<{ session: Session; user: User } | undefined>;
  findByUuid(uuid: string): Promise<Session | undefined>;
  /** not revoked and not expired at `now`, newest first */
  listActive(userId: number, now: string): Promise<Session[]>;
  /** moves last_seen_at/idle_expires_at, unless another request did so after `notAfter` */
  touch(id: number, at: string, idleExpiresAt: string, notAfter: string): Promise<void>;
  revoke(id: number, at: string): Promise<boolean>;
  /** revokes every live session of the user (but `exceptId`); returns how many */
  revokeAllForUser(userId: number, at: string, exceptId?: number): Promise<number>;
  /** removes the user's revoked or expired rows, so the table stays bounded */
  deleteInactive(userId: number, now: string): Promise<number>;
}

export interface Store {
  users: UsersRepository;
  apiKeys: ApiKeysRepository;
  sessions: SessionsRepository;
  /** runs `fn` in one transaction; everything it writes lands together or not at all */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
}

/**
 * Counters for failed logins (brute-force throttling). Not a database table: in-process by
 * default (`memoryAttemptStore`), Redis when REDIS_URL is set, so several instances count together.
 * Keys are opaque to the store; callers never put a secret or a raw email in them.
 */
export interface AttemptCounterStore {
  /** adds one to `key` (kept `ttlSeconds` after this change) and returns the new count */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** takes one from `key`, never below zero */
  decrement(key: string): Promise<void>;
  /** forgets `key`'s counter and block */
  reset(key: string): Promise<void>;
  /** blocks `key` for `seconds` unless a block is already in force; true when this call set it */
  blockIfClear(key: string, seconds: number): Promise<boolean>;
  /** whole seconds left on `key`'s block, 0 when none */
  blockedFor(key: string): Promise<number>;
}

/** What an accepted invitation grants: membership of one organization with one role. */
export interface InvitationGrant {
  orgId: number;
  role: string;
}

/**
 * Invitation-only registration (REGISTRATION=invite) asks this port, which the tenancy module
 * implements. `redeem` runs inside the registration transaction, after the user row is written:
 * it validates the single-use token for `email`, consumes it and records the membership through
 * `context.store`, so user, membership and consumed invitation land together or not at all.
 * `undefined` (unknown, expired, used, other email) refuses the registration.
 */
export interface InvitationRedeemer {
  redeem(token: string, email: string, context: { user: User; store: Store }): Promise<InvitationGrant | undefined>;
}
