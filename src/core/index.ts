/**
 * The core, assembled: every service over one Store. Surfaces receive this object and nothing
 * from storage. Extension points (groups, organizations, OAuth) add their services here.
 */

import { ADMIN_GROUP } from './auth/actor.ts';
import { createApiKeysService } from './auth/api-keys.service.ts';
import { apiKeyVerifier, type CredentialVerifier, createAuthenticator } from './auth/authenticate.ts';
import { createCredentialsService } from './auth/credentials.service.ts';
import { createLoginThrottle } from './auth/login-throttle.ts';
import { memoryAttemptStore } from './auth/memory-attempts.ts';
import { createSessionsService } from './auth/sessions.service.ts';
import { type Clock, systemClock } from './clock.ts';
import { createIdempotencyService } from './idempotency/idempotency.service.ts';
import { createOAuthClientsService } from './oauth/clients.service.ts';
import { createServiceAccountsService } from './oauth/service-accounts.service.ts';
import { accessTokenVerifier } from './oauth/verifier.ts';
import type { AttemptCounterStore, Store } from './ports.ts';
import { createTenancy, invitationRedeemer, withActorGroups } from './tenancy/index.ts';
import { createUsersService } from './users/users.service.ts';
import type { User } from './users/users.types.ts';

export interface CoreSettings {
  apiKeyDefaultTtlDays: number;
  registration: 'closed' | 'open' | 'invite';
  /** a session ends after this long unused (default 60) */
  sessionIdleMinutes?: number;
  /** and this long after login whatever happens (default 24) */
  sessionMaxHours?: number;
  /** failed logins per account and client address before delays start (default 10) */
  loginMaxFailures?: number;
}

/** Infrastructure core uses besides the Store; each has an in-process default. */
export interface CorePorts {
  /** failed-login counters; Redis when several instances run */
  attempts?: AttemptCounterStore;
}

export function createCore(store: Store, settings: CoreSettings, clock: Clock = systemClock, ports: CorePorts = {}) {
  const users = createUsersService({ store, clock });
  const apiKeys = createApiKeysService({ store, clock, defaultTtlDays: settings.apiKeyDefaultTtlDays });
  const idempotency = createIdempotencyService({ store, clock });
  const tenancy = createTenancy({ store, clock });
  const sessions = createSessionsService({
    store,
    clock,
    settings: { idleSeconds: (settings.sessionIdleMinutes ?? 60) * 60, absoluteSeconds: (settings.sessionMaxHours ?? 24) * 3600 },
  });
  const throttle = createLoginThrottle(ports.attempts ?? memoryAttemptStore(clock), { maxFailures: settings.loginMaxFailures ?? 10 });
  const credentials = createCredentialsService({ store, clock, users, sessions, throttle, registration: settings.registration });
  credentials.useInvitationRedeemer(invitationRedeemer(clock));
  const oauthClients = createOAuthClientsService({ store, clock });
  const serviceAccounts = createServiceAccountsService({ store, users, apiKeys, clients: oauthClients, clock });
  // Session tokens carry their own prefix and OAuth access tokens their own shape, so those
  // verifiers answer "not mine" without a query; an API key then costs one lookup, a token one.
  const verifiers: CredentialVerifier[] = [sessions.verifier, accessTokenVerifier(store, clock), apiKeyVerifier(apiKeys)];
  const authenticate = withActorGroups(createAuthenticator(verifiers), (userId) => store.groups.namesOfUser(userId));
  return {
    store,
    clock,
    settings,
    users,
    apiKeys,
    /** organizations, memberships, orgContext, invitations, projects, groups, roles: src/core/tenancy/README.md */
    ...tenancy,
    /** OAuth clients (applications and service accounts'); the provider itself is src/oidc */
    oauthClients,
    /** service accounts of an organization, their API keys and OAuth clients */
    serviceAccounts,
    /** Idempotency-Key replay for any surface's POSTs */
    idempotency,
    /** login sessions: start, verify, list, revoke */
    sessions,
    /** password login, password change, registration (every surface's login uses this) */
    credentials,
    /** session token, API key, OAuth access token, API key, then any further verifiers modules push onto `verifiers` */
    authenticate,
    verifiers,
    /** runs after the bootstrap admin exists: it joins the `admin` group (CVAT shows it there) */
    async afterBootstrap(admin: User): Promise<void> {
      await tenancy.groups.addUser(admin.id, ADMIN_GROUP);
    },
    ping: () => store.ping(),
  };
}

export type Core = ReturnType<typeof createCore>;
