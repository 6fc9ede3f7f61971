import { CompiledQuery, type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { Visibility } from '../../core/policy/visibility.ts';
import type { UsersRepository } from '../../core/ports.ts';
import type { ListRequest, ListResult, SortKey } from '../../core/query/model.ts';
import type { User } from '../../core/users/users.types.ts';
import { type ChangeMemo, type CountCache, uncachedCount } from '../count-cache.ts';
import { columnsOfUserFields, patchToRow, recordToRow, rowToUser, userPicker } from '../mappers.ts';
import type { DialectName } from '../migrations/context.ts';
import { precompiled } from '../precompiled.ts';
import {
  compileFilter,
  compileKeyset,
  compileVisibility,
  cursorColumns,
  cursorValues,
  decodeCursor,
  encodeCursor,
  type FilterOptions,
  fullSort,
  orderItems,
} from '../query-compiler.ts';
import type { Database } from '../schema.ts';
import { broadSearchProbe, countIndex, drivingMatch, matchedIds, pureSearchMatch, searchMatches } from '../sqlite-list-plan.ts';
import { mapUniqueViolation, preconditionFailed } from '../unique-violation.ts';
import { orgMembersJoin } from '../visibility-plan.ts';

/** Deeper offset pages read every match anyway: walking to them would cost more. */
const WALK_MAX_OFFSET = 1000;
/**
 * From this offset on, an offset page is a deferred join: the ids of the page first (skipping the
 * offset in an index that holds the sort columns and the id, not in the table's full rows), then
 * those rows. At 1M users, 90 % deep: by created_at 816 -> 16 ms, by id 255 -> 55 ms on SQLite.
 */
const DEFERRED_FROM_OFFSET = 1000;

type UsersEB = ExpressionBuilder<Database, 'users'>;
/** A select whose column list can be replaced (lists that read only some fields). */
interface Reselectable {
  clearSelect(): { select(columns: never): unknown };
}

/** `users.<column>` for the fields a list reads, and the sort keys' columns its cursor carries. */
function selectedColumns(fields: readonly (keyof User)[], keys: SortKey[]): string[] {
  return [...new Set([...columnsOfUserFields(fields), ...cursorColumns(keys)])].map((c) => `users.${c}`);
}
/** A select that can take one more WHERE over the users columns. */
interface Narrowable {
  where(f: (eb: never) => Expression<SqlBool>): unknown;
}

export interface UsersRepositoryOptions {
  /** FTS matches from which a search term counts as broad on SQLite (tests lower it to reach the walking plan) */
  broadMatches?: number;
  /** where list totals may be remembered (count-cache.ts); default: always counted */
  totals?: CountCache;
  /**
   * SQLite: where the ids a broad search matches may be remembered (`matchedIds`), so the
   * sort-index walk tests rows against a list instead of evaluating the FTS match again; default:
   * evaluated every time
   */
  matchSets?: ChangeMemo<string | null>;
  /** called with the time at every list (the store merges the SQLite search index now and then) */
  upkeep?: (nowMs: number) => void;
}

export function usersRepository(db: Kysely<Database>, dialect: DialectName, opts: UsersRepositoryOptions = {}): UsersRepository {
  const one = async (q: Promise<import('../schema.ts').UserRow | undefined>): Promise<User | undefined> => {
    const row = await q;
    return row ? rowToUser(row) : undefined;
  };
  const base = () => db.selectFrom('users').selectAll();
  const exists = async (id: number) => (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  // The most frequent point read (user by id: admin reads, patches, memberships), compiled once.
  const byId = precompiled(db, () => base().where('id', '=', 0));
  const isBroad = dialect === 'sqlite' ? broadSearchProbe(db, opts.broadMatches) : undefined;
  const totals = opts.totals ?? uncachedCount;
  /** Runs a compiled count, or answers it from `totals` while the database is unchanged. */
  async function total(query: CompiledQuery<{ n: number }>): Promise<number> {
    const key = `${query.sql}\u0000${JSON.stringify(query.parameters)}`;
    return totals(key, async () => Number((await db.executeQuery(query)).rows[0]?.n ?? 0));
  }
  /**
   * SQLite: walk the sort index (see sqlite-list-plan.ts) when every indexed search term is
   * broad; then the options to compile the filter with, else undefined.
   */
  async function walkSortIndex(request: ListRequest, keys: SortKey[]): Promise<FilterOptions | undefined> {
    const page = request.page;
    if (!isBroad || keys[0]?.field === 'id' || (page.kind === 'offset' && page.offset > WALK_MAX_OFFSET) || page.kind === 'all')
      return undefined;
    const matches = searchMatches(request.filter);
    if (matches.length === 0) return undefined;
    for (const m of matches) if (!(await isBroad(m))) return undefined;
    const sets = opts.matchSets;
    if (!sets) return { walk: true };
    const known = new Map<string, string>();
    for (const m of matches) {
      const ids = await sets(m, () => matchedIds(db, m));
      if (ids !== null) known.set(m, ids);
    }
    return { walk: true, matchedIds: known };
  }

  /**
   * The total of a filtered list; on SQLite through the FTS table or a covering index when the
   * filter allows it (sqlite-list-plan.ts), the same number either way.
   */
  async function countFiltered(
    count: { compile(): CompiledQuery<{ n: number }> },
    request: ListRequest,
    visibility: Visibility,
  ): Promise<number> {
    if (dialect !== 'sqlite') return total(count.compile());
    const pure = visibility.kind === 'all' ? pureSearchMatch(request.filter) : undefined;
    if (pure !== undefined) return total(sql<{ n: number }>`select count(*) as n from users_fts where users_fts match ${pure}`.compile(db));
    const index = countIndex(request.filter);
    const compiled = count.compile();
    // Kysely has no INDEXED BY: it goes right after the outer table name of the compiled count.
    const head = 'select count(*) as "n" from "users" where ';
    if (index === undefined || !compiled.sql.startsWith(head)) return total(compiled);
    const text = `select count(*) as "n" from "users" indexed by "${index}" where ${compiled.sql.slice(head.length)}`;
    return total(CompiledQuery.raw(text, [...compiled.parameters]));
  }

  return {
    async insert(record) {
      try {
        const row = await db.insertInto('users').values(recordToRow(record)).returningAll().executeTakeFirstOrThrow();
        return rowToUser(row);
      } catch (err) {
        mapUniqueViolation(err);
      }
    },
    findById: (id) => one(byId([id]).then((rows) => rows[0])),
    findByUuid: (uuid) => one(base().where('uuid', '=', uuid).executeTakeFirst()),
    findByRef: (ref) => one(base().where('ref', '=', ref).executeTakeFirst()),
    findByUsername: (username) => one(base().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst()),
    // `email <> ''` is the predicate of the partial unique index users_email_key (migration 0005):
    // without it neither database may use the index, and a login by email scans every user.
    findByEmail: (email) => one(base().where(sql`lower(email)`, '=', email.toLowerCase()).where('email', '<>', '').executeTakeFirst()),
    /**
     * Every update adds one to `version`. With `expectedVersion` the WHERE clause names it, so the
     * compare and the set are one statement: of concurrent writers holding one version exactly one
     * matches. A miss on a row that exists is PRECONDITION_FAILED; a missing row is undefined.
     */
    async update(id, patch, expectedVersion) {
      const row = patchToRow(patch);
      if (Object.keys(row).length === 0) {
        const current = await one(base().where('id', '=', id).executeTakeFirst());
        if (current && expectedVersion !== undefined && current.version !== expectedVersion) throw preconditionFailed();
        return current;
      }
      let q = db
        .updateTable('users')
        .set({ ...row, version: sql<number>`version + 1` })
        .where('id', '=', id);
      if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
      try {
        const updated = await one(q.returningAll().executeTakeFirst());
        if (!updated && expectedVersion !== undefined && (await exists(id))) throw preconditionFailed();
        return updated;
      } catch (err) {
        if (err instanceof AppError) throw err;
        mapUniqueViolation(err);
      }
    },
    async delete(id, expectedVersion) {
      let q = db.deleteFrom('users').where('id', '=', id);
      if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
      const r = await q.executeTakeFirst();
      const deleted = Number(r.numDeletedRows) > 0;
      if (!deleted && expectedVersion !== undefined && (await exists(id))) throw preconditionFailed();
      return deleted;
    },
    async listServiceAccounts(orgId) {
      const rows = await base().where('is_service_account', '=', 1).where('service_org_id', '=', orgId).orderBy('id').execute();
      return rows.map(rowToUser);
    },
    async count() {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async passwordHash(id) {
      const r = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
      return r?.password_hash ?? null;
    },
    /**
     * One page: visibility ∧ filter, the sort with its `id` tie-breaker, then offset, keyset
     * cursor or everything. One row more than asked tells whether there is a next page; the total
     * is a separate count, run only when asked for.
     */
    async list<K extends keyof User = keyof User>(
      request: ListRequest,
      visibility: Visibility,
      fields?: readonly K[],
    ): Promise<ListResult<Pick<User, K>>> {
      opts.upkeep?.(Date.now());
      const keys = fullSort(request.sort);
      // With `fields`, the page reads their columns and the cursor's instead of whole rows.
      const columns = fields ? selectedColumns(fields, keys) : undefined;
      const rowsOf = <Q extends Reselectable>(q: Q): Q => (columns ? (q.clearSelect().select(columns as never) as Q) : q);
      const listBase = () => rowsOf(base());
      const filter = request.filter;
      const page = request.page;
      const after = page.kind === 'cursor' && page.after ? decodeCursor(page.after, keys) : undefined;
      const withFilter = <Q extends Narrowable>(q: Q, v: Visibility, opts: FilterOptions = {}): Q => {
        // No predicate at all for unrestricted lists: `WHERE 1 = 1` stops SQLite's fast count(*) path.
        let r = v.kind === 'all' ? q : (q.where((eb) => compileVisibility(eb as unknown as UsersEB, v)) as Q);
        if (filter) r = r.where((eb) => compileFilter(eb as unknown as UsersEB, filter, dialect, opts)) as Q;
        return r;
      };
      const filtered = withFilter(listBase(), visibility);
      const join = orgMembersJoin(visibility, keys);
      const walk = join ? undefined : await walkSortIndex(request, keys);
      let q: typeof filtered;
      if (join) {
        // One organization's members in id order: walk the memberships index (org_id, user_id)
        // and read each member's row, instead of scanning users and probing memberships per row
        // (SQLite: CROSS JOIN fixes memberships as the outer loop; the order and the keyset are
        // on memberships.user_id so the index answers both).
        const dir = (keys[0] as { direction: 'asc' | 'desc' }).direction;
        let m = withFilter(
          db
            .selectFrom('memberships')
            .crossJoin('users')
            .whereRef('users.id', '=', 'memberships.user_id')
            .where('memberships.org_id', '=', join.orgId)
            .selectAll('users')
            .$call(rowsOf),
          join.rest,
        );
        if (after) m = m.where('memberships.user_id', dir === 'asc' ? '>' : '<', after[0] as number);
        q = m.orderBy('memberships.user_id', dir) as unknown as typeof filtered;
      } else if (!walk && dialect === 'sqlite' && drivingMatch(filter, keys) !== undefined) {
        // Search sorted by id: the FTS table drives, in rowid order (sqlite-list-plan.ts).
        const dir = (keys[0] as SortKey).direction;
        let d = withFilter(
          db
            .selectFrom(sql`users_fts`.as('users_fts'))
            .crossJoin('users')
            .whereRef('users.id', '=', sql<number>`users_fts.rowid` as never)
            .selectAll('users')
            .$call(rowsOf),
          visibility,
          { ftsJoined: true },
        );
        // The keyset twice: on users for its meaning, on the rowid so the FTS scan starts there.
        if (after) d = d.where(sql<boolean>`users_fts.rowid ${sql.raw(dir === 'asc' ? '>' : '<')} ${after[0] as number}`);
        q = (after ? d.where((eb) => compileKeyset(eb as never, keys, after, dialect)) : d).orderBy(
          sql`users_fts.rowid ${sql.raw(dir)}`,
        ) as unknown as typeof filtered;
      } else {
        const source = walk ? withFilter(listBase(), visibility, walk) : filtered;
        q = after ? source.where((eb) => compileKeyset(eb, keys, after, dialect)) : source;
        for (const item of orderItems(keys, dialect)) q = q.orderBy(item);
      }
      const limit = page.kind === 'all' ? undefined : page.limit;
      if (page.kind === 'offset' && page.offset >= DEFERRED_FROM_OFFSET) {
        const ids = q
          .clearSelect()
          .select('users.id')
          .limit(page.limit + 1)
          .offset(page.offset);
        q = listBase().where('users.id', 'in', ids);
        for (const item of orderItems(keys, dialect)) q = q.orderBy(item);
      } else if (page.kind === 'offset') q = q.limit(page.limit + 1).offset(page.offset);
      else if (page.kind === 'cursor') q = q.limit(page.limit + 1);
      const rows = await q.execute();
      const hasMore = limit !== undefined && rows.length > limit;
      const pageRows = hasMore ? rows.slice(0, limit) : rows;
      let count: number | undefined;
      if (request.withTotal) {
        // Every membership row has its user (foreign key, cascade), so with nothing else to test
        // the members are counted in the memberships index alone.
        count =
          join && !filter && join.rest.kind === 'all'
            ? await total(
                db
                  .selectFrom('memberships')
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .where('org_id', '=', join.orgId)
                  .compile(),
              )
            : await countFiltered(
                filtered.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')),
                request,
                visibility,
              );
      }
      const last = pageRows[pageRows.length - 1];
      return {
        items: fields ? pageRows.map(userPicker(fields)) : pageRows.map(rowToUser),
        total: count,
        hasMore,
        nextCursor:
          page.kind === 'cursor' && hasMore && last ? encodeCursor(keys, cursorValues(last as Record<string, unknown>, keys)) : null,
      };
    },
  };
}
