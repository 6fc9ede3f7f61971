import { type Kysely, sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { Visibility } from '../../core/policy/visibility.ts';
import type { UsersRepository } from '../../core/ports.ts';
import type { ListRequest, ListResult } from '../../core/query/model.ts';
import type { User } from '../../core/users/users.types.ts';
import { patchToRow, recordToRow, rowToUser } from '../mappers.ts';
import type { DialectName } from '../migrations/context.ts';
import {
  compileFilter,
  compileKeyset,
  compileVisibility,
  cursorValues,
  decodeCursor,
  encodeCursor,
  fullSort,
  orderItems,
} from '../query-compiler.ts';
import type { Database } from '../schema.ts';
import { mapUniqueViolation, preconditionFailed } from '../unique-violation.ts';

export function usersRepository(db: Kysely<Database>, dialect: DialectName): UsersRepository {
  const one = async (q: Promise<import('../schema.ts').UserRow | undefined>): Promise<User | undefined> => {
    const row = await q;
    return row ? rowToUser(row) : undefined;
  };
  const base = () => db.selectFrom('users').selectAll();
  const exists = async (id: number) => (await db.selectFrom('users').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;

  return {
    async insert(record) {
      try {
        const row = await db.insertInto('users').values(recordToRow(record)).returningAll().executeTakeFirstOrThrow();
        return rowToUser(row);
      } catch (err) {
        mapUniqueViolation(err);
      }
    },
    findById: (id) => one(base().where('id', '=', id).executeTakeFirst()),
    findByUuid: (uuid) => one(base().where('uuid', '=', uuid).executeTakeFirst()),
    findByRef: (ref) => one(base().where('ref', '=', ref).executeTakeFirst()),
    findByUsername: (username) => one(base().where(sql`lower(username)`, '=', username.toLowerCase()).executeTakeFirst()),
    findByEmail: (email) => one(base().where(sql`lower(email)`, '=', email.toLowerCase()).executeTakeFirst()),
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
    async list(request: ListRequest, visibility: Visibility): Promise<ListResult<User>> {
      const keys = fullSort(request.sort);
      const filter = request.filter;
      const page = request.page;
      const after = page.kind === 'cursor' && page.after ? decodeCursor(page.after, keys) : undefined;
      // No predicate at all for unrestricted lists: `WHERE 1 = 1` stops SQLite's fast count(*) path.
      let filtered = visibility.kind === 'all' ? base() : base().where((eb) => compileVisibility(eb, visibility));
      if (filter) filtered = filtered.where((eb) => compileFilter(eb, filter, dialect));
      let q = after ? filtered.where((eb) => compileKeyset(eb, keys, after, dialect)) : filtered;
      for (const item of orderItems(keys, dialect)) q = q.orderBy(item);
      const limit = page.kind === 'all' ? undefined : page.limit;
      if (page.kind === 'offset') q = q.limit(page.limit + 1).offset(page.offset);
      else if (page.kind === 'cursor') q = q.limit(page.limit + 1);
      const rows = await q.execute();
      const hasMore = limit !== undefined && rows.length > limit;
      const pageRows = hasMore ? rows.slice(0, limit) : rows;
      let total: number | undefined;
      if (request.withTotal) {
        const r = await filtered
          .clearSelect()
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        total = Number(r.n);
      }
      const last = pageRows[pageRows.length - 1];
      return {
        items: pageRows.map(rowToUser),
        total,
        hasMore,
        nextCursor:
          page.kind === 'cursor' && hasMore && last ? encodeCursor(keys, cursorValues(last as Record<string, unknown>, keys)) : null,
      };
    },
  };
}
