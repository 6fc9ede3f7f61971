/**
 * Tenancy seeds and indexes: the site groups CVAT knows (`admin`, `user`, `worker`), the site
 * roles Testmo exposes as `role_id` (ids 1..4 on a fresh database, in this order; see
 * src/core/tenancy/README.md), existing superuser staff in `admin`, and the index pending
 * invitations are looked up by.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './context.ts';

export const seededGroups = ['admin', 'user', 'worker'] as const;
export const seededRoles = ['Guest', 'Tester', 'Lead', 'Admin'] as const;

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  const now = new Date().toISOString();
  // One row at a time, in order, so ids follow the list on both databases.
  for (const name of seededGroups) {
    await sql`insert into groups (name, created_at) select ${name}, ${now} where not exists (select 1 from groups where name = ${name})`.execute(
      db,
    );
  }
  for (const name of seededRoles) {
    await sql`insert into roles (name, created_at) select ${name}, ${now} where not exists (select 1 from roles where name = ${name})`.execute(
      db,
    );
  }
  // CVAT: staff superusers are members of `admin`.
  await sql`insert into user_groups (user_id, group_id)
    select u.id, g.id from users u, groups g
    where g.name = 'admin' and u.is_superuser = 1 and u.is_staff = 1
      and not exists (select 1 from user_groups ug where ug.user_id = u.id and ug.group_id = g.id)`.execute(db);
  await db.schema.createIndex('invitations_org_email_idx').on('invitations').columns(['org_id', 'email']).execute();
  await db.schema.createIndex('memberships_org_role_idx').on('memberships').columns(['org_id', 'role', 'is_active']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('memberships_org_role_idx').ifExists().execute();
  await db.schema.dropIndex('invitations_org_email_idx').ifExists().execute();
}
