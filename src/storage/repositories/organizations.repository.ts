import { type Kysely, sql } from 'kysely';
import type { OrganizationsRepository } from '../../core/ports.ts';
import type { DialectName } from '../migrations/context.ts';
import type { Database } from '../schema.ts';
import { rowToOrganization } from '../tenancy-mappers.ts';
import { mapUniqueViolation } from '../unique-violation.ts';

const slugTaken = {
  organizations_slug_key: { code: 'SLUG_TAKEN', field: 'slug' },
} as const;

export function organizationsRepository(db: Kysely<Database>, dialect: DialectName): OrganizationsRepository {
  const base = () => db.selectFrom('organizations').selectAll();
  return {
    async insert(o) {
      try {
        const row = await db
          .insertInto('organizations')
          .values({
            uuid: o.uuid,
            slug: o.slug,
            name: o.name,
            created_by: o.createdBy,
            created_at: o.createdAt,
            updated_at: o.updatedAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return rowToOrganization(row);
      } catch (err) {
        mapUniqueViolation(err, slugTaken);
      }
    },
    async findById(id) {
      const row = await base().where('id', '=', id).executeTakeFirst();
      return row ? rowToOrganization(row) : undefined;
    },
    async findByUuid(uuid) {
      const row = await base().where('uuid', '=', uuid).executeTakeFirst();
      return row ? rowToOrganization(row) : undefined;
    },
    async findBySlug(slug) {
      // lower(slug) is the unique index, so this is an index lookup on both databases.
      const row = await base().where(sql`lower(slug)`, '=', slug.toLowerCase()).executeTakeFirst();
      return row ? rowToOrganization(row) : undefined;
    },
    async listForUser(userId) {
      const rows = await db
        .selectFrom('organizations')
        .innerJoin('memberships', 'memberships.org_id', 'organizations.id')
        .selectAll('organizations')
        .where('memberships.user_id', '=', userId)
        .where('memberships.is_active', '=', 1)
        .orderBy('organizations.slug')
        .orderBy('organizations.id')
        .execute();
      return rows.map(rowToOrganization);
    },
    async listAll() {
      const rows = await base().orderBy('slug').orderBy('id').execute();
      return rows.map(rowToOrganization);
    },
    async update(id, patch) {
      const set: { slug?: string; name?: string; updated_at: string } = { updated_at: patch.updatedAt };
      if (patch.slug !== undefined) set.slug = patch.slug;
      if (patch.name !== undefined) set.name = patch.name;
      try {
        const row = await db.updateTable('organizations').set(set).where('id', '=', id).returningAll().executeTakeFirst();
        return row ? rowToOrganization(row) : undefined;
      } catch (err) {
        mapUniqueViolation(err, slugTaken);
      }
    },
    async delete(id) {
      const r = await db.deleteFrom('organizations').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async lockForUpdate(id) {
      // SQLite runs one transaction at a time on its single connection, so there is nothing to lock.
      if (dialect === 'postgres') await db.selectFrom('organizations').select('id').where('id', '=', id).forUpdate().execute();
    },
  };
}
