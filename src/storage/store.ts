/** The Store port of core, implemented over one Kysely instance (or one transaction). */
import type { Kysely } from 'kysely';
import type { Store } from '../core/ports.ts';
import { type CountCache, countCache, uncachedCount, whileUnchanged } from './count-cache.ts';
import { type DbHandle, ping } from './db.ts';
import { guardLookups } from './lookup-guard.ts';
import type { DialectName } from './migrations/context.ts';
import { type ApiKeysRepositoryOptions, apiKeysRepository, type FoundKey } from './repositories/api-keys.repository.ts';
import { groupsRepository } from './repositories/groups.repository.ts';
import { idempotencyRepository } from './repositories/idempotency.repository.ts';
import { invitationsRepository } from './repositories/invitations.repository.ts';
import { membershipsRepository } from './repositories/memberships.repository.ts';
import { oauthClientsRepository } from './repositories/oauth-clients.repository.ts';
import { organizationsRepository } from './repositories/organizations.repository.ts';
import { projectsRepository } from './repositories/projects.repository.ts';
import { providerRecordsRepository } from './repositories/provider-records.repository.ts';
import { rolesRepository } from './repositories/roles.repository.ts';
import { sessionsRepository } from './repositories/sessions.repository.ts';
import { signingKeysRepository } from './repositories/signing-keys.repository.ts';
import { type UsersRepositoryOptions, usersRepository } from './repositories/users.repository.ts';
import type { Database } from './schema.ts';
import { searchIndexUpkeep } from './search-index-upkeep.ts';

/** Broad searches whose matched ids are remembered for the sort-index walk (each at most MATCH_SET_MAX ids). */
const MATCH_SETS_KEPT = 64;

/** API-key lookups remembered on SQLite (the most recently used keys). */
const KEY_LOOKUPS_KEPT = 4096;

/** What a store outside transactions remembers while the database is unchanged (count-cache.ts). */
interface Memories {
  lists: UsersRepositoryOptions;
  keys: ApiKeysRepositoryOptions;
}

function storeOver(db: Kysely<Database>, dialect: DialectName, inTransaction: boolean, memories: Memories): Store {
  return {
    users: guardLookups(usersRepository(db, dialect, memories.lists)),
    apiKeys: guardLookups(apiKeysRepository(db, dialect, memories.keys)),
    organizations: guardLookups(organizationsRepository(db, dialect)),
    memberships: guardLookups(membershipsRepository(db, dialect)),
    invitations: guardLookups(invitationsRepository(db)),
    projects: guardLookups(projectsRepository(db, dialect)),
    groups: guardLookups(groupsRepository(db, dialect)),
    roles: guardLookups(rolesRepository(db, dialect)),
    idempotency: idempotencyRepository(db),
    sessions: guardLookups(sessionsRepository(db)),
    oauthClients: guardLookups(oauthClientsRepository(db)),
    providerRecords: guardLookups(providerRecordsRepository(db)),
    signingKeys: signingKeysRepository(db),
    async transaction(fn) {
      // Nested calls join the enclosing transaction.
      if (inTransaction) return fn(this);
      // A transaction sees its own uncommitted writes: its totals are never remembered.
      return db.transaction().execute((trx) => fn(storeOver(trx, dialect, true, { lists: { totals: uncachedCount }, keys: {} })));
    },
    ping: () => ping(db),
  };
}

export function createStore(handle: DbHandle): Store {
  const totals: CountCache = handle.changeMark ? countCache(handle.changeMark) : uncachedCount;
  const sqlite = handle.dialect === 'sqlite';
  const upkeep = sqlite ? searchIndexUpkeep(handle.db) : undefined;
  // SQLite's change mark costs a microsecond; PostgreSQL's is a round trip, as dear as a key lookup.
  const mark = sqlite ? handle.changeMark : undefined;
  const matchSets = mark ? whileUnchanged<string | null>(mark, MATCH_SETS_KEPT) : undefined;
  // Found keys only: unknown secrets (anyone can send those) never push a good key out.
  const lookups = mark ? whileUnchanged<FoundKey>(mark, KEY_LOOKUPS_KEPT, (found) => found !== undefined) : undefined;
  return storeOver(handle.db, handle.dialect, false, {
    lists: { totals, ...(upkeep ? { upkeep } : {}), ...(matchSets ? { matchSets } : {}) },
    keys: lookups ? { lookups } : {},
  });
}
