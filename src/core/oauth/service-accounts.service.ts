/**
 * Service accounts: principals with `is_service_account`, bound to one organization
 * (`service_org_id`), without a password or an email. Their organization's owners and
 * maintainers manage them (and admins); each may hold API keys and client-credentials OAuth
 * clients, whose secrets are shown once.
 */
import type { Actor, Scope } from '../auth/actor.ts';
import type { ApiKeysService, CreatedApiKey } from '../auth/api-keys.service.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError, validationError } from '../errors.ts';
import { type Action, authorize } from '../policy/policy.ts';
import type { ApiKey, Store } from '../ports.ts';
import type { Organization } from '../tenancy/types.ts';
import type { UsersService } from '../users/users.service.ts';
import type { User, UserInput } from '../users/users.types.ts';
import type { ClientInput, CreatedClient, OAuthClientsService } from './clients.service.ts';
import type { OAuthClient } from './types.ts';

export interface ServiceAccountDeps {
  store: Store;
  users: UsersService;
  apiKeys: ApiKeysService;
  clients: OAuthClientsService;
  clock: Clock;
}

export interface ServiceAccountInput {
  username?: unknown;
  name?: unknown;
  isActive?: unknown;
}

export type ServiceAccountsService = ReturnType<typeof createServiceAccountsService>;

const notFound = () => new AppError('NOT_FOUND', 'No such service account');

export function createServiceAccountsService({ store, users, apiKeys, clients, clock }: ServiceAccountDeps) {
  async function authorizeIn(actor: Actor, action: Action, org: Organization): Promise<void> {
    const membership = await store.memberships.find(actor.user.id, org.id);
    authorize(actor, action, { org, ...(membership ? { membership } : {}) });
  }

  /** The account and its organization, if the actor may `action` it; NOT_FOUND alike otherwise. */
  async function load(actor: Actor, uuid: string, action: Action): Promise<{ account: User; org: Organization }> {
    const account = await store.users.findByUuid(uuid);
    if (!account?.isServiceAccount || account.serviceOrgId === null) throw notFound();
    const org = await store.organizations.findById(account.serviceOrgId);
    if (!org) throw notFound();
    try {
      await authorizeIn(actor, action, org);
    } catch (err) {
      // Someone who may read but not change it learns it exists; others do not.
      if (action !== 'serviceAccounts.read' && (await readable(actor, org))) throw err;
      throw notFound();
    }
    return { account, org };
  }

  async function readable(actor: Actor, org: Organization): Promise<boolean> {
    try {
      await authorizeIn(actor, 'serviceAccounts.read', org);
      return true;
    } catch {
      return false;
    }
  }

  function profileOf(input: ServiceAccountInput): UserInput {
    const out: UserInput = {};
    if (input.username !== undefined) {
      if (typeof input.username !== 'string') throw validationError([{ field: 'username', kind: 'type', message: 'A string.' }]);
      out.username = input.username;
    }
    if (input.name !== undefined) {
      if (typeof input.name !== 'string') throw validationError([{ field: 'displayName', kind: 'type', message: 'A string.' }]);
      out.displayName = input.name;
    }
    return out;
  }

  return {
    async create(actor: Actor, org: Organization, input: ServiceAccountInput): Promise<User> {
      await authorizeIn(actor, 'serviceAccounts.manage', org);
      if (input.username === undefined)
        throw validationError([{ field: 'username', kind: 'required', message: 'A service account needs a username.' }]);
      const profile = profileOf(input);
      return users.createTrusted(
        { ...profile, email: '', displayName: profile.displayName || (profile.username as string) },
        { isServiceAccount: true, serviceOrgId: org.id },
        actor.user.id,
      );
    },

    async list(actor: Actor, org: Organization): Promise<User[]> {
      await authorizeIn(actor, 'serviceAccounts.read', org);
      return store.users.listServiceAccounts(org.id);
    },

    get: async (actor: Actor, uuid: string) => (await load(actor, uuid, 'serviceAccounts.read')).account,

    /** name, username, and `isActive`: disabling stops its keys and tokens on the next request. */
    async update(actor: Actor, uuid: string, input: ServiceAccountInput): Promise<User> {
      const { account } = await load(actor, uuid, 'serviceAccounts.manage');
      const patch = profileOf(input);
      if (input.isActive !== undefined) {
        if (typeof input.isActive !== 'boolean') throw validationError([{ field: 'isActive', kind: 'type', message: 'true or false' }]);
        patch.isActive = input.isActive;
      }
      return users.updateTrusted(account, patch);
    },

    /** Deletes the account with its keys and clients (and so every token they were issued). */
    async delete(actor: Actor, uuid: string): Promise<void> {
      const { account } = await load(actor, uuid, 'serviceAccounts.manage');
      await store.transaction(async (tx) => {
        for (const c of await tx.oauthClients.listByOwner(account.id)) await tx.providerRecords.revokeByClientId(c.clientId);
        await tx.users.delete(account.id);
      });
    },

    async createKey(
      actor: Actor,
      uuid: string,
      opts: { name?: string; scopes?: readonly string[]; expiresAt?: string | null },
    ): Promise<CreatedApiKey> {
      const { account } = await load(actor, uuid, 'serviceAccounts.manage');
      // Never broader than the caller's own credential, and never `admin`: the account acts inside its organization.
      const held = actor.credential.scopes;
      const scopes = (opts.scopes ?? ['read', 'write']).filter(
        (s) => s !== 'admin' && (held.includes(s as Scope) || held.includes('admin') || (s === 'read' && held.includes('write'))),
      );
      if (scopes.length === 0) throw validationError([{ field: 'scopes', kind: 'invalid', message: 'No grantable scope requested.' }]);
      return apiKeys.mintTrusted(account, { ...opts, scopes });
    },

    async listKeys(actor: Actor, uuid: string): Promise<ApiKey[]> {
      const { account } = await load(actor, uuid, 'serviceAccounts.read');
      return store.apiKeys.listByUser(account.id);
    },

    async revokeKey(actor: Actor, uuid: string, keyUuid: string): Promise<void> {
      const { account } = await load(actor, uuid, 'serviceAccounts.manage');
      const key = await store.apiKeys.findByUuid(keyUuid);
      if (!key || key.userId !== account.id) throw new AppError('KEY_NOT_FOUND');
      if (!key.revokedAt) await store.apiKeys.revoke(key.id, isoNow(clock));
    },

    async createClient(actor: Actor, uuid: string, input: ClientInput): Promise<CreatedClient> {
      const { account } = await load(actor, uuid, 'serviceAccounts.manage');
      return clients.createForServiceAccount(actor, account, input);
    },

    async listClients(actor: Actor, uuid: string): Promise<OAuthClient[]> {
      const { account } = await load(actor, uuid, 'serviceAccounts.read');
      return clients.list(actor, { ownerUserId: account.id });
    },
  };
}
