/**
 * The core, assembled: every service over one Store. Surfaces receive this object and nothing
 * from storage. Extension points (groups, organizations, OAuth) add their services here.
 */

import { ADMIN_GROUP } from './auth/actor.ts';
import { createApiKeysService } from './auth/api-keys.service.ts';
import { apiKeyVerifier, type CredentialVerifier, createAuthenticator } from './auth/authenticate.ts';
import { type Clock, systemClock } from './clock.ts';
import { createIdempotencyService } from './idempotency/idempotency.service.ts';
import type { Store } from './ports.ts';
import { createTenancy, withActorGroups } from './tenancy/index.ts';
import { createUsersService } from './users/users.service.ts';
import type { User } from './users/users.types.ts';

export interface CoreSettings {
  apiKeyDefaultTtlDays: number;
  registration: 'closed' | 'open' | 'invite';
}

export function createCore(store: Store, settings: CoreSettings, clock: Clock = systemClock) {
  const users = createUsersService({ store, clock });
  const apiKeys = createApiKeysService({ store, clock, defaultTtlDays: settings.apiKeyDefaultTtlDays });
  const idempotency = createIdempotencyService({ store, clock });
  const verifiers: CredentialVerifier[] = [apiKeyVerifier(apiKeys)];
  const tenancy = createTenancy({ store, clock });
  const authenticate = withActorGroups(createAuthenticator(verifiers), (userId) => store.groups.namesOfUser(userId));
  return {
    store,
    clock,
    settings,
    users,
    apiKeys,
    /** organizations, memberships, orgContext, invitations, projects, groups, roles: src/core/tenancy/README.md */
    ...tenancy,
    /** Idempotency-Key replay for any surface's POSTs */
    idempotency,
    /** API key, then any further verifiers (sessions, OAuth tokens) registered by their modules */
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
