/**
 * What core needs from storage, as interfaces. `src/storage/store.ts` implements them with Kysely;
 * core never sees SQL. Unique violations come back as AppError (EMAIL_TAKEN, …) from storage,
 * because only the database can decide uniqueness under concurrency.
 */
import type {
  AccessTokenRecord,
  ClientForAuthentication,
  NewOAuthClient,
  OAuthClient,
  OAuthClientPatch,
  ProviderRecord,
  SigningKeyRecord,
  StoredProviderRecord,
} from './oauth/types.ts';
import type { Visibility } from './policy/visibility.ts';
import type { ListRequest, ListResult } from './query/model.ts';
import type {
  Group,
  Invitation,
  Membership,
  MemberWithUser,
  Organization,
  OrgRole,
  Project,
  ProjectMember,
  ProjectRole,
  Role,
} from './tenancy/types.ts';
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
  /**
   * Adds one to the row's version. With `expectedVersion`, only if the row still has it (one
   * statement): PRECONDITION_FAILED when the row exists with another version.
   */
  update(id: number, patch: UserRecordPatch, expectedVersion?: number): Promise<User | undefined>;
  /** With `expectedVersion`: PRECONDITION_FAILED when the row exists with another version. */
  delete(id: number, expectedVersion?: number): Promise<boolean>;
  /**
   * A page of users. With `fields`, only those fields are read (and the items carry only them):
   * lists that present a few fields of many users need not read every column of every row.
   */
  list<K extends keyof User = keyof User>(
    request: ListRequest,
    visibility: Visibility,
    fields?: readonly K[],
  ): Promise<ListResult<Pick<User, K>>>;
  count(): Promise<number>;
  /** the organization's service accounts, by id */
  listServiceAccounts(orgId: number): Promise<User[]>;
  passwordHash(id: number): Promise<string | null>;
}

export interface ApiKeysRepository {
  insert(key: NewApiKey): Promise<ApiKey>;
  /** the key, its owner and the owner's group names in one read: the hot path of every authenticated request */
  findBySecretHash(hash: string): Promise<{ key: ApiKey; user: User; groups: string[] } | undefined>;
  findByUuid(uuid: string): Promise<ApiKey | undefined>;
  listByUser(userId: number): Promise<ApiKey[]>;
  /** newest non-revoked, non-expired key of the user */
  newestActive(userId: number, now: string): Promise<ApiKey | undefined>;
  /** `newestActive` for a whole page of users in one query; users without an active key are absent */
  newestActiveForUsers(userIds: readonly number[], now: string): Promise<Map<number, ApiKey>>;
  revoke(id: number, at: string): Promise<boolean>;
  setExpiry(id: number, at: string): Promise<void>;
  /**
   * Moves the expiry of a live key that still expires at `expected` (what the caller read) earlier
   * to `at`, never later; false otherwise. Of concurrent rotations that read one state the
   * compare lets one through; one that read the result of another finds its end already sooner.
   */
  shortenExpiry(id: number, at: string, expected: string | null): Promise<boolean>;
  touchLastUsed(id: number, at: string, notAfter: string): Promise<void>;
}

export type NewOrganization = Omit<Organization, 'id'>;

export interface OrganizationsRepository {
  /** SLUG_TAKEN when the slug is in use (case-insensitively) */
  insert(org: NewOrganization): Promise<Organization>;
  findById(id: number): Promise<Organization | undefined>;
  findByUuid(uuid: string): Promise<Organization | undefined>;
  /** case-insensitive */
  findBySlug(slug: string): Promise<Organization | undefined>;
  /** organizations where the user has an active membership, by slug */
  listForUser(userId: number): Promise<Organization[]>;
  listAll(): Promise<Organization[]>;
  update(id: number, patch: { slug?: string; name?: string; updatedAt: string }): Promise<Organization | undefined>;
  delete(id: number): Promise<boolean>;
  /** inside a transaction: serialises owner changes of one organization (row lock on PostgreSQL) */
  lockForUpdate(id: number): Promise<void>;
}

export type NewMembership = Omit<Membership, 'id' | 'version'>;

export interface MembershipsRepository {
  /** ALREADY_MEMBER when the user has a membership in the organization */
  insert(m: NewMembership): Promise<Membership>;
  find(userId: number, orgId: number): Promise<Membership | undefined>;
  /** every membership of the organization with its user, by joined_at then id */
  listByOrg(orgId: number): Promise<MemberWithUser[]>;
  listByUser(userId: number): Promise<Membership[]>;
  /** the memberships in one organization of the given users, in one query */
  findMany(orgId: number, userIds: readonly number[]): Promise<Membership[]>;
  /** version +1; `expectedVersion` as in UsersRepository.update */
  update(id: number, patch: { role?: OrgRole; isActive?: boolean }, expectedVersion?: number): Promise<Membership | undefined>;
  delete(id: number, expectedVersion?: number): Promise<boolean>;
  countActiveOwners(orgId: number): Promise<number>;
}

export interface NewInvitation extends Omit<Invitation, 'id'> {
  tokenHash: string;
}

export interface InvitationsRepository {
  insert(inv: NewInvitation): Promise<Invitation>;
  findByUuid(uuid: string): Promise<Invitation | undefined>;
  /** not accepted, not revoked, not expired at `now` */
  listPending(orgId: number, now: string): Promise<Invitation[]>;
  findPending(orgId: number, email: string, now: string): Promise<Invitation | undefined>;
  findPendingByToken(tokenHash: string, now: string): Promise<Invitation | undefined>;
  /**
   * Marks the pending invitation with this token hash (and email, when given) accepted, in one
   * conditional UPDATE: of any number of concurrent calls exactly one gets the invitation back.
   */
  consume(tokenHash: string, email: string | undefined, now: string): Promise<Invitation | undefined>;
  revoke(id: number, at: string): Promise<boolean>;
  /** new token and expiry for an invitation not accepted nor revoked (expired ones may be resent) */
  replaceToken(id: number, tokenHash: string, expiresAt: string): Promise<boolean>;
}

export type NewProject = Omit<Project, 'id'>;

export interface ProjectsRepository {
  insert(p: NewProject): Promise<Project>;
  findById(id: number): Promise<Project | undefined>;
  findByUuid(uuid: string): Promise<Project | undefined>;
  listByOrg(orgId: number): Promise<Project[]>;
  update(id: number, patch: { name?: string; updatedAt: string }): Promise<Project | undefined>;
  delete(id: number): Promise<boolean>;
  /** ALREADY_MEMBER when the user is a member of the project */
  addMember(m: Omit<ProjectMember, 'id'>): Promise<ProjectMember>;
  findMember(projectId: number, userId: number): Promise<ProjectMember | undefined>;
  updateMember(id: number, role: ProjectRole): Promise<ProjectMember | undefined>;
  removeMember(projectId: number, userId: number): Promise<boolean>;
  /** drops the user from every project of the organization (on leaving it) */
  removeFromOrgProjects(userId: number, orgId: number): Promise<void>;
  /** the project memberships of the given users, in one query */
  findMembers(projectId: number, userIds: readonly number[]): Promise<ProjectMember[]>;
  /** true when the user is a member of at least one project of the organization */
  hasAnyIn(userId: number, orgId: number): Promise<boolean>;
}

export interface GroupsRepository {
  list(): Promise<Group[]>;
  findById(id: number): Promise<Group | undefined>;
  findByNames(names: readonly string[]): Promise<Group[]>;
  /** NAME_TAKEN when the name exists */
  insert(name: string, createdAt: string): Promise<Group>;
  delete(id: number): Promise<boolean>;
  /** no-op when the user is already in the group */
  addUser(userId: number, groupId: number): Promise<void>;
  removeUser(userId: number, groupId: number): Promise<boolean>;
  /** replaces the user's groups with exactly these */
  setUserGroups(userId: number, groupIds: readonly number[]): Promise<void>;
  namesOfUser(userId: number): Promise<string[]>;
  /** every listed user's groups (by name), in one query; users without groups map to [] */
  ofUsers(userIds: readonly number[]): Promise<Map<number, Group[]>>;
}

export interface RolesRepository {
  list(): Promise<Role[]>;
  findById(id: number): Promise<Role | undefined>;
  findByName(name: string): Promise<Role | undefined>;
  /** NAME_TAKEN when the name exists */
  insert(name: string, createdAt: string): Promise<Role>;
  /** the roles with these ids, in one query */
  getMany(ids: readonly number[]): Promise<Role[]>;
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

export interface OAuthClientsRepository {
  /** CONFLICT when the client id is taken */
  insert(client: NewOAuthClient): Promise<OAuthClient>;
  findByUuid(uuid: string): Promise<OAuthClient | undefined>;
  /** the client, its secret hash and its owner's standing, in one read (every token request) */
  findForAuthentication(clientId: string): Promise<ClientForAuthentication | undefined>;
  listByOwner(userId: number): Promise<OAuthClient[]>;
  listByOrg(orgId: number): Promise<OAuthClient[]>;
  listAll(): Promise<OAuthClient[]>;
  update(id: number, patch: OAuthClientPatch): Promise<OAuthClient | undefined>;
  delete(id: number): Promise<boolean>;
}

/**
 * The OpenID provider's records (oidc-provider's adapter models). Ids arrive hashed: for codes
 * and tokens the id is the secret itself.
 */
export interface ProviderRecordsRepository {
  upsert(record: ProviderRecord): Promise<void>;
  find(model: string, idHash: string): Promise<StoredProviderRecord | undefined>;
  findByUid(model: string, uid: string): Promise<StoredProviderRecord | undefined>;
  findByUserCode(model: string, userCode: string): Promise<StoredProviderRecord | undefined>;
  /**
   * Marks the record consumed in one conditional UPDATE: of any number of concurrent calls
   * exactly one gets `true` (single-use codes, refresh-token rotation).
   */
  consume(model: string, idHash: string, at: string): Promise<boolean>;
  destroy(model: string, idHash: string): Promise<void>;
  /** every record of the grant (tokens, codes, the grant itself) */
  revokeByGrantId(grantId: string): Promise<void>;
  /** every record issued to the client (it was deleted or its secret changed hands) */
  revokeByClientId(clientId: string): Promise<void>;
  /** an access or client-credentials token by its hash, with its client's state and its principal */
  findAccessToken(idHash: string): Promise<AccessTokenRecord | undefined>;
  /** deletes records expired before `before`; returns how many */
  purgeExpired(before: string): Promise<number>;
}

export interface SigningKeysRepository {
  /** newest first */
  list(): Promise<SigningKeyRecord[]>;
  insert(key: SigningKeyRecord): Promise<void>;
}

export interface Store {
  users: UsersRepository;
  apiKeys: ApiKeysRepository;
  organizations: OrganizationsRepository;
  memberships: MembershipsRepository;
  invitations: InvitationsRepository;
  projects: ProjectsRepository;
  groups: GroupsRepository;
  roles: RolesRepository;
  idempotency: IdempotencyRepository;
  sessions: SessionsRepository;
  oauthClients: OAuthClientsRepository;
  providerRecords: ProviderRecordsRepository;
  signingKeys: SigningKeysRepository;
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
