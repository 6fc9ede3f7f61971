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

/** An organization as core sees it (the tenancy module owns its rules; this is the read model). */
export interface Organization {
  id: number;
  uuid: string;
  slug: string;
  name: string;
  createdBy: number | null;
  createdAt: string;
  updatedAt: string | null;
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

/** Read access to organizations (e.g. a service account's organization uuid on the ZenML surface). */
export interface OrganizationsRepository {
  findById(id: number): Promise<Organization | undefined>;
}

export interface Store {
  users: UsersRepository;
  apiKeys: ApiKeysRepository;
  organizations: OrganizationsRepository;
  /** runs `fn` in one transaction; everything it writes lands together or not at all */
  transaction<T>(fn: (store: Store) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
}
