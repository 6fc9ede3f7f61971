/**
 * User rules every surface shares: validation, defaults, privilege checks, uniqueness (decided by
 * the database), display-name derivation. Every method takes the acting principal first.
 */
import type { Actor } from '../auth/actor.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError, validationError } from '../errors.ts';
import { newUserRef, newUuid, randomBase62 } from '../ids.ts';
import { type Action, authorize, userListVisibility, userListVisibilityIn } from '../policy/policy.ts';
import type { Visibility } from '../policy/visibility.ts';
import type { Store } from '../ports.ts';
import { isStorableText } from '../query/bounds.ts';
import type { ListRequest, ListResult } from '../query/model.ts';
import type { OrgContext } from '../tenancy/types.ts';
import type { CreateUserInput, User, UserInput, UserRecord, UserRecordPatch } from './users.types.ts';
import { privilegedUserFields } from './users.types.ts';
import { defaultDisplayName, usernameFromEmail, validateUserInput } from './users.validation.ts';

export interface UsersServiceDeps {
  store: Store;
  clock: Clock;
}

/** Extra facts a trusted caller (bootstrap, CLI, registration) sets on creation. */
export interface CreateOptions {
  isServiceAccount?: boolean;
  serviceOrgId?: number | null;
  oauthProvider?: string | null;
  oauthId?: string | null;
  /** an argon2id hash computed beforehand (registration hashes outside its transaction) */
  passwordHash?: string;
}

/** A write that happens only while the row still has the version the caller read (If-Match). */
export interface ConditionalWrite {
  expectedVersion?: number | undefined;
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService({ store, clock }: UsersServiceDeps) {
  function assertNoPrivilegedFields(actor: Actor, input: UserInput, target?: User): void {
    const present = privilegedUserFields.filter((f) => input[f] !== undefined);
    if (present.length > 0) authorize(actor, 'users.update.privileged', target ? { target } : {});
  }

  async function buildRecord(input: CreateUserInput, createdBy: number | null, opts: CreateOptions): Promise<UserRecord> {
    // A service account has no email (DESIGN §3 keeps none rather than a made-up one): `""`,
    // which the email uniqueness index skips. It needs a username instead.
    const { email: givenEmail, ...profile } = input;
    const noEmail = opts.isServiceAccount === true && !givenEmail;
    const v = validateUserInput(noEmail ? profile : input);
    if (noEmail && !v.username) {
      throw validationError([{ field: 'username', kind: 'required', message: 'A service account needs a username.' }]);
    }
    if (v.password !== undefined) checkPasswordStrength(v.password);
    const email = noEmail ? '' : (v.email as string);
    const firstName = v.firstName ?? '';
    const lastName = v.lastName ?? '';
    const now = isoNow(clock);
    return {
      uuid: newUuid(),
      ref: newUserRef(),
      username: v.username ?? (await freeUsername(usernameFromEmail(email))),
      email,
      firstName,
      middleName: v.middleName ?? '',
      lastName,
      displayName: v.displayName || defaultDisplayName(firstName, lastName, email),
      avatarUrl: v.avatarUrl ?? null,
      company: v.company ?? null,
      jobTitle: v.jobTitle ?? null,
      timezone: v.timezone ?? null,
      language: v.language ?? null,
      dateFormat: v.dateFormat ?? null,
      timeFormat: v.timeFormat ?? null,
      gender: v.gender ?? null,
      phone: v.phone ?? null,
      mobileNo: v.mobileNo ?? null,
      birthDate: v.birthDate ?? null,
      signatureImage: v.signatureImage ?? null,
      userType: v.userType ?? 'System User',
      metadata: v.metadata ?? {},
      passwordHash: opts.passwordHash ?? (v.password !== undefined ? await hashPassword(v.password) : null),
      passwordExpired: v.passwordExpired ?? false,
      isActive: v.isActive ?? true,
      isStaff: v.isStaff ?? false,
      isSuperuser: v.isSuperuser ?? false,
      isServiceAccount: opts.isServiceAccount ?? false,
      serviceOrgId: opts.serviceOrgId ?? null,
      oauthProvider: opts.oauthProvider ?? null,
      oauthId: opts.oauthId ?? null,
      isOnboarded: v.isOnboarded ?? false,
      tfaEnabled: v.tfaEnabled ?? false,
      roleId: v.roleId ?? null,
      lastLoginAt: null,
      lastActiveAt: null,
      createdAt: now,
      updatedAt: null,
      createdBy,
      updatedBy: null,
    };
  }

  /** A username derived from the email, with a random suffix when the plain one is taken. */
  async function freeUsername(base: string): Promise<string> {
    if (!(await store.users.findByUsername(base))) return base;
    return `${base}${randomBase62(6).toLowerCase()}`;
  }

  /**
   * Inserts; when the username was derived (not chosen) and a concurrent insert took it, retries
   * with a suffixed one, so the caller sees the conflict that matters (usually the email).
   */
  async function insertRecord(record: UserRecord, usernameDerived: boolean): Promise<User> {
    try {
      return await store.users.insert(record);
    } catch (err) {
      if (!usernameDerived || !(err instanceof AppError) || err.code !== 'USERNAME_TAKEN') throw err;
      return store.users.insert({ ...record, username: `${record.username}${randomBase62(6).toLowerCase()}` });
    }
  }

  async function patchRecord(target: User, input: UserInput, actorId: number | null): Promise<UserRecordPatch> {
    const v = validateUserInput(input);
    const patch: UserRecordPatch = {};
    for (const [key, value] of Object.entries(v)) {
      if (key === 'password' || value === undefined) continue;
      (patch as Record<string, unknown>)[key] = value;
    }
    if (v.password !== undefined) {
      checkPasswordStrength(v.password);
      patch.passwordHash = await hashPassword(v.password);
    }
    // Keep a derived display name derived: if it equalled the default before, recompute it.
    if (v.displayName === undefined && (v.firstName !== undefined || v.lastName !== undefined || v.email !== undefined)) {
      const before = defaultDisplayName(target.firstName, target.lastName, target.email);
      if (target.displayName === before) {
        patch.displayName = defaultDisplayName(v.firstName ?? target.firstName, v.lastName ?? target.lastName, v.email ?? target.email);
      }
    }
    if (v.displayName === '')
      patch.displayName = defaultDisplayName(v.firstName ?? target.firstName, v.lastName ?? target.lastName, v.email ?? target.email);
    patch.updatedAt = isoNow(clock);
    patch.updatedBy = actorId;
    return patch;
  }

  async function requireUser(found: User | undefined): Promise<User> {
    if (!found) throw new AppError('USER_NOT_FOUND');
    return found;
  }

  return {
    /** Creates a user as `actor` (needs users.create; privileged fields need users.update.privileged). */
    async create(actor: Actor, input: CreateUserInput, opts: CreateOptions = {}): Promise<User> {
      authorize(actor, 'users.create');
      assertNoPrivilegedFields(actor, input);
      return insertRecord(await buildRecord(input, actor.user.id, opts), input.username === undefined);
    },

    /** Creates a user with no acting principal: bootstrap, CLI, self-registration. */
    async createTrusted(input: CreateUserInput, opts: CreateOptions = {}, createdBy: number | null = null): Promise<User> {
      return insertRecord(await buildRecord(input, createdBy, opts), input.username === undefined);
    },

    async get(actor: Actor, id: number, action: Action = 'users.read'): Promise<User> {
      const user = await requireUser(await store.users.findById(id));
      authorize(actor, action, { target: user });
      return user;
    },

    /** Lookup without a policy check, for callers that decide visibility themselves through policy. */
    findById: (id: number) => store.users.findById(id),
    // Lookups by caller-supplied text: a NUL or a lone surrogate can match no stored user, and
    // PostgreSQL refuses such text outright (a 500), so the answer is "nobody" without asking.
    findByUuid: async (uuid: string) => (isStorableText(uuid) ? store.users.findByUuid(uuid) : undefined),
    findByRef: async (ref: string) => (isStorableText(ref) ? store.users.findByRef(ref) : undefined),
    findByUsername: async (username: string) => (isStorableText(username) ? store.users.findByUsername(username) : undefined),
    findByEmail: async (email: string) => (isStorableText(email) ? store.users.findByEmail(email.trim().toLowerCase()) : undefined),

    /**
     * Partial update: only the fields present change. With `expectedVersion` (the native API's
     * If-Match) the write happens only if the row still has that version, else PRECONDITION_FAILED.
     */
    async update(actor: Actor, target: User, input: UserInput, opts: ConditionalWrite = {}): Promise<User> {
      authorize(actor, 'users.update', { target });
      assertNoPrivilegedFields(actor, input, target);
      const patch = await patchRecord(target, input, actor.user.id);
      return requireUser(await store.users.update(target.id, patch, opts.expectedVersion));
    },

    /**
     * The actor's own update, which may change the password: that needs the current password
     * (DESIGN §6, ZenML) and also clears `password_expired`, in the same write as the rest.
     */
    async updateSelf(actor: Actor, input: UserInput, currentPassword?: string): Promise<User> {
      const target = actor.user;
      authorize(actor, 'users.update', { target });
      assertNoPrivilegedFields(actor, input, target);
      if (input.password !== undefined) {
        if (currentPassword === undefined) throw new AppError('FORBIDDEN', 'The current password must be given to set a new password.');
        const hash = await store.users.passwordHash(target.id);
        if (!(await verifyPassword(hash, currentPassword))) throw new AppError('FORBIDDEN', 'The current password is incorrect.');
      }
      const patch = await patchRecord(target, input, actor.user.id);
      if (input.password !== undefined) patch.passwordExpired = false;
      return requireUser(await store.users.update(target.id, patch));
    },

    /** The uuid of the organization a service account belongs to, or null (ZenML's `organization_id`). */
    async serviceOrganizationUuid(user: User): Promise<string | null> {
      if (!user.isServiceAccount || user.serviceOrgId === null) return null;
      return (await store.organizations.findById(user.serviceOrgId))?.uuid ?? null;
    },

    /** Update with no acting principal (trusted internal flows). */
    async updateTrusted(target: User, input: UserInput): Promise<User> {
      return requireUser(await store.users.update(target.id, await patchRecord(target, input, null)));
    },

    async delete(actor: Actor, target: User, action: Action = 'users.delete', opts: ConditionalWrite = {}): Promise<void> {
      authorize(actor, action, { target });
      if (target.username === 'admin' && target.isSuperuser) throw new AppError('FORBIDDEN', 'the built-in admin cannot be deleted');
      // An organization keeps at least one active owner (as memberships.remove does): deleting its
      // last one is refused. Organizations are locked in id order so concurrent deletions of two
      // co-owners cannot both pass the count.
      await store.transaction(async (tx) => {
        const owned = (await tx.memberships.listByUser(target.id)).filter((m) => m.role === 'owner' && m.isActive).map((m) => m.orgId);
        for (const orgId of owned.sort((a, b) => a - b)) {
          await tx.organizations.lockForUpdate(orgId);
          if ((await tx.memberships.countActiveOwners(orgId)) <= 1) {
            throw new AppError('LAST_OWNER', 'This user is the last owner of an organization; make someone else owner first');
          }
        }
        await tx.users.delete(target.id, opts.expectedVersion);
      });
    },

    /** A page of users the actor may see; `visibility` narrows further (organization context). */
    async list<K extends keyof User = keyof User>(
      actor: Actor,
      request: ListRequest,
      visibility?: Visibility,
      fields?: readonly K[],
    ): Promise<ListResult<Pick<User, K>>> {
      authorize(actor, 'users.list');
      const base = userListVisibility(actor);
      const v: Visibility = visibility ? (base.kind === 'all' ? visibility : { kind: 'and', parts: [base, visibility] }) : base;
      return store.users.list(request, v, fields);
    },

    /** A page of users in an organization context (`core.orgContext.resolve`), as policy scopes it. */
    listIn: (actor: Actor, request: ListRequest, context: OrgContext) => store.users.list(request, userListVisibilityIn(actor, context)),

    /** A page with a visibility decided by the caller through policy (org-scoped lists). */
    listWithVisibility: <K extends keyof User = keyof User>(request: ListRequest, visibility: Visibility, fields?: readonly K[]) =>
      store.users.list(request, visibility, fields),

    count: () => store.users.count(),
  };
}
