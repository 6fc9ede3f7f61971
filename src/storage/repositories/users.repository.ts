import { type Kysely, type SqlBool, sql } from 'kysely';
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
  sortColumn,
} from '../query-compiler.ts';
import type { Database } from '../schema.ts';
import { mapUniqueViolation } from '../unique-violation.ts';
import { orgMembersJoin } from '../visibility-plan.ts';

export function usersRepository(db: Kysely<Database>, dialect: DialectName): UsersRepository {
  const one = async (q: Promise<import('../schema.ts').UserRow | undefined>): Promise<User | undefined> => {
    const row = await q;
    return row ? rowToUser(row) : undefined;
  };
  const base = () => db.selectFrom('users').selectAll();

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
    async update(id, patch) {
      const row = patchToRow(patch);
      if (Object.keys(row).length === 0) return one(base().where('id', '=', id).executeTakeFirst());
      try {
        return await one(db.updateTable('users').set(row).where('id', '=', id).returningAll().executeTakeFirst());
      } catch (err) {
        mapUniqueViolation(err);
      }
    },
    async delete(id) {
      const r = await db.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
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
    async list(request: ListRequest, visibility: Visibility): Promise<ListResult<User>> {
      const keys = fullSort(request.sort);
      const join = orgMembersJoin(visibility, keys);
      const from = join
        ? (db
            .selectFrom('users')
            // `+ 0` keeps the join a nested loop driven by the memberships index, in its order
            // (PostgreSQL would otherwise merge-join along users_pkey from the first user on).
            .innerJoin('memberships as vm', (j) => j.on(sql<SqlBool>`users.id = vm.user_id + 0`).on('vm.org_id', '=', join.orgId))
            .selectAll('users') as unknown as ReturnType<typeof base>)
        : base();
      let q = from.where((eb) => compileVisibility(eb, join ? join.rest : visibility));
      if (request.filter) {
        const filter = request.filter;
        q = q.where((eb) => compileFilter(eb, filter, dialect));
      }
      const filtered = q;
      const page = request.page;
      if (page.kind === 'cursor' && page.after) {
        const values = decodeCursor(page.after, keys.length);
        // Ordered by id alone when joined: the bound goes on the driving index, so its scan starts at the cursor.
        if (join) q = q.where(sql.ref('vm.user_id'), keys[0]?.direction === 'desc' ? '<' : '>', values[0]);
        else q = q.where((eb) => compileKeyset(eb, keys, values));
      }
      for (const k of keys) q = q.orderBy(sql.ref(join && k.field === 'id' ? 'vm.user_id' : sortColumn(k.field)), k.direction);
      let limit: number | undefined;
      if (page.kind === 'offset') {
        limit = page.limit;
        q = q.limit(page.limit + 1).offset(page.offset);
      } else if (page.kind === 'cursor') {
        limit = page.limit;
        q = q.limit(page.limit + 1);
      }
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
        nextCursor: hasMore && last ? encodeCursor(cursorValues(last as Record<string, unknown>, keys)) : null,
      };
    },
  };
}
