import type { Kysely } from 'kysely';
import type { RolesRepository } from '../../core/ports.ts';
import { idList } from '../id-list.ts';
import type { DialectName } from '../migrations/context.ts';
import { precompiled } from '../precompiled.ts';
import type { Database } from '../schema.ts';
import { rowToRole } from '../tenancy-mappers.ts';
import { mapUniqueViolation } from '../unique-violation.ts';

const nameTaken = {
  roles_name_key: { code: 'NAME_TAKEN', field: 'name' },
  'roles.name': { code: 'NAME_TAKEN', field: 'name' },
} as const;

export function rolesRepository(db: Kysely<Database>, dialect: DialectName): RolesRepository {
  const idsOf = idList(dialect);
  const rolesAmong = precompiled(db, (db) =>
    db
      .selectFrom('roles')
      .selectAll()
      .where(idsOf.test('id', idsOf.parameter([])))
      .orderBy('id'),
  );
  return {
    async list() {
      const rows = await db.selectFrom('roles').selectAll().orderBy('id').execute();
      return rows.map(rowToRole);
    },
    async findById(id) {
      const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToRole(row) : undefined;
    },
    async findByName(name) {
      const row = await db.selectFrom('roles').selectAll().where('name', '=', name).executeTakeFirst();
      return row ? rowToRole(row) : undefined;
    },
    async insert(name, createdAt) {
      try {
        const row = await db.insertInto('roles').values({ name, created_at: createdAt }).returningAll().executeTakeFirstOrThrow();
        return rowToRole(row);
      } catch (err) {
        mapUniqueViolation(err, nameTaken);
      }
    },
    async getMany(ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const rows = await rolesAmong([idsOf.parameter(unique)]);
      return rows.map(rowToRole);
    },
  };
}
