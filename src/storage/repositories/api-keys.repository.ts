import { type Kysely, sql } from 'kysely';
import type { ApiKey, ApiKeysRepository } from '../../core/ports.ts';
import type { ChangeMemo } from '../count-cache.ts';
import { idList } from '../id-list.ts';
import { rowToApiKey, rowToUser } from '../mappers.ts';
import type { DialectName } from '../migrations/context.ts';
import { precompiled } from '../precompiled.ts';
import type { ApiKeyRow, Database, UserRow } from '../schema.ts';

const keyColumns = [
  'id',
  'uuid',
  'user_id',
  'name',
  'prefix',
  'secret_hash',
  'scopes',
  'expires_at',
  'last_used_at',
  'created_at',
  'created_by',
  'revoked_at',
] as const;

export type FoundKey = Awaited<ReturnType<ApiKeysRepository['findBySecretHash']>>;

export interface ApiKeysRepositoryOptions {
  /**
   * Where key lookups may be remembered while the database is unchanged (count-cache.ts): any
   * write anywhere — a revocation, a deactivated owner, another process's commit — forgets them,
   * so a remembered lookup is always the one the database would give. Default: read every time.
   */
  lookups?: ChangeMemo<FoundKey>;
}

export function apiKeysRepository(db: Kysely<Database>, dialect: DialectName, opts: ApiKeysRepositoryOptions = {}): ApiKeysRepository {
  const ids = idList(dialect);
  // The hot path of every key-authenticated request: key, owner and the owner's group names
  // (policy needs no second query), each shape compiled once.
  //
  // PostgreSQL: one round trip, and the key, the owner and the group names each come back as one
  // JSON column. pg handles the row description of every execution field by field (a
  // null-prototype object per query, copied twice): for the 57 columns of key and user joined
  // that cost more than the rest of the lookup. As three JSON columns the same lookup took 51–57 µs
  // of CPU against 102–126 µs (in-process, 10 concurrent, 1M-user bench database). The columns
  // are integers and text, which JSON carries unchanged. SQLite: two point reads, because there a
  // join that returns the user's ~40 columns cost 80–110 µs of CPU per call against 13 µs for the
  // key by hash plus 26 µs for the user by id with its groups as a scalar subquery (the column
  // reads of a joined table are what costs).
  const joined = precompiled(db, (d) =>
    d
      .selectFrom('api_keys as k')
      .innerJoin('users as u', 'u.id', 'k.user_id')
      .select([
        sql<ApiKeyRow>`to_json(k)`.as('k'),
        sql<UserRow>`to_json(u)`.as('u'),
        // group names in id order, as groups.namesOfUser gives them
        sql<
          string[]
        >`coalesce((select json_agg(g.name order by g.id) from user_groups ug join groups g on g.id = ug.group_id where ug.user_id = u.id), '[]'::json)`.as(
          'g',
        ),
      ])
      .where('k.secret_hash', '=', ''),
  );
  const keyByHash = precompiled(db, (d) => d.selectFrom('api_keys').select(keyColumns).where('secret_hash', '=', ''));
  const ownerWithGroups = precompiled(db, (d) =>
    d
      .selectFrom('users')
      .selectAll('users')
      .select(
        sql<string>`(select json_group_array(g.name order by g.id) from user_groups ug join groups g on g.id = ug.group_id where ug.user_id = users.id)`.as(
          'g_names',
        ),
      )
      .where('users.id', '=', 0),
  );

  async function readBySecretHash(hash: string): Promise<FoundKey> {
    if (dialect === 'sqlite') {
      const [keyRow] = await keyByHash([hash]);
      if (!keyRow) return undefined;
      const [owner] = await ownerWithGroups([keyRow.user_id]);
      if (!owner) return undefined;
      const { g_names, ...userRow } = owner;
      return { key: rowToApiKey(keyRow as ApiKeyRow), user: rowToUser(userRow as UserRow), groups: JSON.parse(g_names) as string[] };
    }
    const [row] = await joined([hash]);
    if (!row) return undefined;
    return { key: rowToApiKey(row.k), user: rowToUser(row.u), groups: row.g };
  }

  const lookups = opts.lookups;
  const findBySecretHash = lookups ? (hash: string) => lookups(hash, async () => frozen(await readBySecretHash(hash))) : readBySecretHash;

  return {
    async insert(k) {
      const row = await db
        .insertInto('api_keys')
        .values({
          uuid: k.uuid,
          user_id: k.userId,
          name: k.name,
          prefix: k.prefix,
          secret_hash: k.secretHash,
          scopes: JSON.stringify(k.scopes),
          expires_at: k.expiresAt,
          created_at: k.createdAt,
          created_by: k.createdBy,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToApiKey(row);
    },
    findBySecretHash,
    async findByUuid(uuid) {
      const row = await db.selectFrom('api_keys').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return row ? rowToApiKey(row) : undefined;
    },
    async listByUser(userId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(rowToApiKey);
    },
    async newestActive(userId, now) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row ? rowToApiKey(row) : undefined;
    },
    async newestActiveForUsers(userIds, now) {
      const byUser = new Map<number, ApiKey>();
      if (userIds.length === 0) return byUser;
      // One query for a whole page: rank each user's active keys newest first, keep rank 1.
      const ranked = db
        .selectFrom('api_keys')
        .selectAll()
        .select((eb) =>
          eb.fn
            .agg<number>('row_number')
            .over((ob) => ob.partitionBy('user_id').orderBy('created_at', 'desc').orderBy('id', 'desc'))
            .as('rank'),
        )
        .where(ids.test('user_id', ids.parameter([...new Set(userIds)])))
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      const rows = await db.selectFrom(ranked.as('k')).selectAll().where('k.rank', '=', 1).execute();
      for (const { rank: _rank, ...row } of rows) byUser.set(row.user_id, rowToApiKey(row));
      return byUser;
    },
    async revoke(id, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async setExpiry(id, at) {
      await db.updateTable('api_keys').set({ expires_at: at }).where('id', '=', id).execute();
    },
    async shortenExpiry(id, at, expected) {
      const r = await db
        .updateTable('api_keys')
        .set({ expires_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('expires_at', expected === null ? 'is' : '=', expected)
        // ISO 8601 UTC text with one format on both databases: text order is time order.
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async touchLastUsed(id, at, notAfter) {
      await db
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', notAfter)]))
        .execute();
    },
  };
}

/** A remembered lookup is shared by every request that presents the key: none may change it. */
function frozen(found: FoundKey): FoundKey {
  if (!found) return found;
  Object.freeze(found.key.scopes);
  Object.freeze(found.key);
  Object.freeze(found.user.metadata);
  Object.freeze(found.user);
  Object.freeze(found.groups);
  return Object.freeze(found);
}
