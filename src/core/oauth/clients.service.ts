/**
 * OAuth clients: application clients (authorization code + PKCE, refresh) registered site-wide by
 * admins or for an organization by its owners, and service-account clients (client credentials,
 * acting as the account) managed with the account. The secret is random, shown once, stored as
 * its SHA-256 (it is 256 bits of entropy, so a slow hash would add nothing but latency).
 */
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError, type FieldIssue, validationError } from '../errors.ts';
import { newUuid, randomBase62, sha256Hex } from '../ids.ts';
import { authorize } from '../policy/policy.ts';
import type { Store } from '../ports.ts';
import type { Organization } from '../tenancy/types.ts';
import type { User } from '../users/users.types.ts';
import {
  type ClientAuthMethod,
  clientAuthMethods,
  type GrantType,
  grantTypes,
  type OAuthClient,
  type OAuthScope,
  oauthScopes,
} from './types.ts';

export interface ClientInput {
  name?: unknown;
  redirectUris?: unknown;
  grantTypes?: unknown;
  scopes?: unknown;
  tokenEndpointAuthMethod?: unknown;
}

export interface CreatedClient {
  client: OAuthClient;
  /** shown once; null for public clients */
  secret: string | null;
}

const CLIENT_ID_PREFIX = 'rcl_';
const SECRET_PREFIX = 'rcs_';

function fail(field: string, message: string): never {
  throw validationError([{ field, kind: 'invalid', message }]);
}

function stringList(value: unknown, field: string, max: number): string[] {
  if (!Array.isArray(value) || value.length > max || value.some((v) => typeof v !== 'string')) {
    fail(field, `Give a list of at most ${max} strings.`);
  }
  return [...new Set(value as string[])];
}

/**
 * Redirect URIs are compared exactly by the provider; here they must be absolute, without a
 * fragment or credentials, and https unless they point at the loopback interface (RFC 8252).
 */
function checkRedirectUri(uri: string): FieldIssue | undefined {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return { field: 'redirectUris', kind: 'format', message: `Not an absolute URL: ${uri}` };
  }
  if (uri.length > 2000 || u.hash || u.username || u.password) {
    return { field: 'redirectUris', kind: 'invalid', message: `No fragment or credentials allowed: ${uri}` };
  }
  const loopback = u.hostname === '127.0.0.1' || u.hostname === '[::1]' || u.hostname === 'localhost';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    return { field: 'redirectUris', kind: 'invalid', message: `Use https (http only for loopback): ${uri}` };
  }
  return undefined;
}

export type OAuthClientsService = ReturnType<typeof createOAuthClientsService>;

export function createOAuthClientsService({ store, clock }: { store: Store; clock: Clock }) {
  async function membershipFor(actor: Actor, orgId: number | null) {
    if (orgId === null) return {};
    const org = await store.organizations.findById(orgId);
    if (!org) return {};
    const membership = await store.memberships.find(actor.user.id, org.id);
    return { org, ...(membership ? { membership } : {}) };
  }

  /** Who may manage `client`: its service account's organization managers, or (apps) admins/org owners. */
  async function authorizeManage(actor: Actor, client: Pick<OAuthClient, 'ownerUserId' | 'orgId'>): Promise<void> {
    if (client.ownerUserId !== null) {
      const owner = await store.users.findById(client.ownerUserId);
      authorize(actor, 'serviceAccounts.manage', await membershipFor(actor, owner?.serviceOrgId ?? null));
      return;
    }
    authorize(actor, 'oauthClients.manage', await membershipFor(actor, client.orgId));
  }

  function validate(input: ClientInput, forServiceAccount: boolean, partial: boolean) {
    const out: {
      name?: string;
      redirectUris?: string[];
      grantTypes?: GrantType[];
      scopes?: OAuthScope[];
      tokenEndpointAuthMethod?: ClientAuthMethod;
    } = {};
    if (input.name !== undefined || !partial) {
      if (typeof input.name !== 'string' || input.name.trim().length < 1 || input.name.length > 100)
        fail('name', 'Give a name of 1 to 100 characters.');
      out.name = input.name.trim();
    }
    if (input.grantTypes !== undefined) {
      const list = stringList(input.grantTypes, 'grantTypes', 3);
      if (list.some((g) => !grantTypes.includes(g as GrantType))) fail('grantTypes', `Allowed: ${grantTypes.join(', ')}.`);
      out.grantTypes = list as GrantType[];
    } else if (!partial) {
      out.grantTypes = forServiceAccount ? ['client_credentials'] : ['authorization_code', 'refresh_token'];
    }
    if (out.grantTypes) {
      if (out.grantTypes.length === 0) fail('grantTypes', 'Give at least one grant type.');
      // Client credentials act as a service account: an application client has none to act as.
      if (forServiceAccount !== (out.grantTypes.includes('client_credentials') && out.grantTypes.length === 1)) {
        fail(
          'grantTypes',
          forServiceAccount ? 'A service account client uses client_credentials only.' : 'client_credentials is for service accounts.',
        );
      }
    }
    if (input.redirectUris !== undefined) {
      const list = stringList(input.redirectUris, 'redirectUris', 20);
      const issues = list.map(checkRedirectUri).filter((i): i is FieldIssue => i !== undefined);
      if (issues.length > 0) throw validationError(issues);
      out.redirectUris = list;
    } else if (!partial) out.redirectUris = [];
    if (!forServiceAccount && out.redirectUris?.length === 0)
      fail('redirectUris', 'An application client needs at least one redirect URI.');
    if (forServiceAccount && out.redirectUris && out.redirectUris.length > 0)
      fail('redirectUris', 'A service account client has no redirect URIs.');
    if (input.scopes !== undefined) {
      const list = stringList(input.scopes, 'scopes', oauthScopes.length);
      if (list.some((s) => !oauthScopes.includes(s as OAuthScope))) fail('scopes', `Allowed: ${oauthScopes.join(', ')}.`);
      out.scopes = list as OAuthScope[];
    } else if (!partial) {
      out.scopes = forServiceAccount ? ['read'] : ['openid', 'profile', 'email', 'offline_access', 'read'];
    }
    if (input.tokenEndpointAuthMethod !== undefined) {
      if (!clientAuthMethods.includes(input.tokenEndpointAuthMethod as ClientAuthMethod)) {
        fail('tokenEndpointAuthMethod', `Allowed: ${clientAuthMethods.join(', ')}.`);
      }
      out.tokenEndpointAuthMethod = input.tokenEndpointAuthMethod as ClientAuthMethod;
    } else if (!partial) out.tokenEndpointAuthMethod = 'client_secret_basic';
    if (forServiceAccount && out.tokenEndpointAuthMethod === 'none')
      fail('tokenEndpointAuthMethod', 'A service account client needs a secret.');
    return out;
  }

  /** A client may not ask for more than the one registering it holds: no `admin` scope unless admin-scoped. */
  function boundScopes(actor: Actor, scopes: OAuthScope[]): void {
    for (const s of ['admin', 'write'] as const) {
      if (scopes.includes(s) && !actor.credential.scopes.includes(s) && !actor.credential.scopes.includes('admin')) {
        fail('scopes', `The scope ${s} is beyond your credential's.`);
      }
    }
  }

  async function insert(actor: Actor, v: ReturnType<typeof validate>, owner: { ownerUserId: number | null; orgId: number | null }) {
    const secret = v.tokenEndpointAuthMethod === 'none' ? null : `${SECRET_PREFIX}${randomBase62(43)}`;
    const client = await store.oauthClients.insert({
      uuid: newUuid(),
      clientId: `${CLIENT_ID_PREFIX}${randomBase62(22)}`,
      secretHash: secret === null ? null : sha256Hex(secret),
      name: v.name as string,
      redirectUris: v.redirectUris ?? [],
      grantTypes: v.grantTypes ?? [],
      scopes: v.scopes ?? [],
      tokenEndpointAuthMethod: v.tokenEndpointAuthMethod ?? 'client_secret_basic',
      ownerUserId: owner.ownerUserId,
      orgId: owner.orgId,
      createdBy: actor.user.id,
      createdAt: isoNow(clock),
    });
    return { client, secret };
  }

  async function find(actor: Actor, uuid: string): Promise<OAuthClient> {
    const client = await store.oauthClients.findByUuid(uuid);
    if (!client) throw new AppError('NOT_FOUND', 'No such OAuth client');
    try {
      await authorizeManage(actor, client);
    } catch {
      throw new AppError('NOT_FOUND', 'No such OAuth client');
    }
    return client;
  }

  return {
    /** An application client, site-wide (`org` undefined: admins) or for an organization (its owners). */
    async createApp(actor: Actor, org: Organization | undefined, input: ClientInput): Promise<CreatedClient> {
      const owner = { ownerUserId: null, orgId: org?.id ?? null };
      await authorizeManage(actor, owner);
      const v = validate(input, false, false);
      boundScopes(actor, v.scopes ?? []);
      return insert(actor, v, owner);
    },

    /** A client-credentials client acting as the service account (policy checked by the caller's service). */
    async createForServiceAccount(actor: Actor, account: User, input: ClientInput): Promise<CreatedClient> {
      if (!account.isServiceAccount) throw new AppError('NOT_FOUND', 'No such service account');
      const owner = { ownerUserId: account.id, orgId: account.serviceOrgId };
      await authorizeManage(actor, owner);
      const v = validate({ name: input.name ?? `${account.username} client`, ...input }, true, false);
      boundScopes(actor, v.scopes ?? []);
      if (v.scopes?.includes('admin')) fail('scopes', 'A service account acts inside its organization: no admin scope.');
      return insert(actor, v, owner);
    },

    /** The clients the actor manages: every one for admins, else those of organizations it owns or maintains. */
    async list(actor: Actor, filter: { org?: Organization; ownerUserId?: number } = {}): Promise<OAuthClient[]> {
      const all =
        filter.ownerUserId !== undefined
          ? await store.oauthClients.listByOwner(filter.ownerUserId)
          : filter.org
            ? await store.oauthClients.listByOrg(filter.org.id)
            : await store.oauthClients.listAll();
      const out: OAuthClient[] = [];
      for (const c of all) {
        try {
          await authorizeManage(actor, c);
          out.push(c);
        } catch {
          // not the actor's to see
        }
      }
      return out;
    },

    get: find,

    async update(actor: Actor, uuid: string, input: ClientInput & { disabled?: unknown }): Promise<OAuthClient> {
      const client = await find(actor, uuid);
      const forServiceAccount = client.ownerUserId !== null;
      if (input.tokenEndpointAuthMethod !== undefined)
        fail('tokenEndpointAuthMethod', 'Create a new client to change how it authenticates.');
      const v = validate(input, forServiceAccount, true);
      if (v.scopes) boundScopes(actor, v.scopes);
      if (input.disabled !== undefined && typeof input.disabled !== 'boolean') fail('disabled', 'true or false');
      const disabledAt = input.disabled === undefined ? undefined : input.disabled ? (client.disabledAt ?? isoNow(clock)) : null;
      const updated = await store.oauthClients.update(client.id, {
        ...v,
        ...(disabledAt !== undefined ? { disabledAt } : {}),
        updatedAt: isoNow(clock),
      });
      if (!updated) throw new AppError('NOT_FOUND', 'No such OAuth client');
      return updated;
    },

    /** A new secret; the old one stops working at once, and so does every token issued to the client. */
    async rotateSecret(actor: Actor, uuid: string): Promise<CreatedClient> {
      const client = await find(actor, uuid);
      if (!client.hasSecret) fail('tokenEndpointAuthMethod', 'A public client has no secret.');
      const secret = `${SECRET_PREFIX}${randomBase62(43)}`;
      const updated = await store.transaction(async (tx) => {
        const u = await tx.oauthClients.update(client.id, { secretHash: sha256Hex(secret), updatedAt: isoNow(clock) });
        await tx.providerRecords.revokeByClientId(client.clientId);
        return u;
      });
      return { client: updated ?? client, secret };
    },

    /** Deletes the client and everything issued to it. */
    async delete(actor: Actor, uuid: string): Promise<void> {
      const client = await find(actor, uuid);
      await store.transaction(async (tx) => {
        await tx.providerRecords.revokeByClientId(client.clientId);
        await tx.oauthClients.delete(client.id);
      });
    },
  };
}
