import type { Kysely } from 'kysely';
import type { OrganizationsRepository } from '../../core/ports.ts';
import { rowToOrganization } from '../mappers.ts';
import type { Database } from '../schema.ts';

/** Read access only for now; the tenancy module adds writes, memberships and lists. */
export function organizationsRepository(db: Kysely<Database>): OrganizationsRepository {
  return {
    async findById(id) {
      const row = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToOrganization(row) : undefined;
    },
  };
}
