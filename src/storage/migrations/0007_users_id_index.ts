/**
 * SQLite: an index on `users(id)` alone. The rowid table keeps each user's whole row in its
 * leaves, so skipping the first 900,000 users of an id-ordered page (CVAT's `page=` 90 % deep,
 * the deferred join of users.repository.ts) read the pages of 900k full rows: 55–60 ms at 1M
 * users. The same skip over this index's entries takes 8 ms; it costs about 12 MB at 1M users
 * and one more B-tree insert per new user. PostgreSQL's primary key index already is that index.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') await sql`create index users_id_idx on users (id)`.execute(db);
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') await sql`drop index if exists users_id_idx`.execute(db);
}
