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
  /** `newestActive` for a whole page of users in one query; users without an active key are absent */
  newestActiveForUsers(userIds: readonly number[], now: string): Promise<Map<number, ApiKey>>;
  revoke(id: number, at: string): Promise<boolean>;
  setExpiry(id: number, at: string): Promise<void>;
  touchLastUsed(id: number, at: string, notAfter: string): Promise<void>;
}

/** One remembered request of an Idempotency-Key (DESIGN §6), per credential scope. */
export interface IdempotencyEntry {
  scope: string;
  key: string;
  /** SHA-256 of the request's canonical fingerprint */
  requestHash: string;
  state: 'in_progress' | 'completed';
  /** the stored answer, once completed */
  response: { status: number; body: string } | null;
  createdAt: string;
}

export interface IdempotencyRepository {
  /**
   * Inserts the "in progress" row unless (scope, key) already has one; true when this call inserted
   * it. The database's primary key decides between concurrent retries. A row created before
   * `expiredBefore` is dropped first, so an expired key starts afresh.
   */
  claim(entry: { scope: string; key: string; requestHash: string; createdAt: string }, expiredBefore: string): Promise<boolean>;
  find(scope: string, key: string): Promise<IdempotencyEntry | undefined>;
  /** in_progress → completed with the answer to replay */
  complete(scope: string, key: string, response: { status: number; body: string }): Promise<void>;
  /** drops an in-progress row whose request failed, so the key can be retried */
  release(scope: string, key: string): Promise<void>;
  /** restarts an abandoned in-progress row (compare-and-set on its createdAt); true when this call won */
  takeOver(scope: string, key: string, previousCreatedAt: string, now: string): Promise<boolean>;
  /** deletes every row created before `before`; returns how many */
  purgeExpired(before: string): Promise<number>;
}

export interface Store {
  users: UsersRepository;
  apiKeys: ApiKeysRepository;
  idempotency: IdempotencyRepository;
  /** runs `fn` in one transaction; everything it writes lands together or not at all */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
}
