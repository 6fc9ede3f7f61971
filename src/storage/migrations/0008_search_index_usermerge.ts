/**
 * SQLite: FTS5's `usermerge` for users_fts from 4 (the default) to 2. The server's fold pass
 * (search-index-upkeep.ts) runs FTS5 `merge` with a positive page count, which merges the
 * segments of a level only once that level holds `usermerge` of them; at 4 a fold left 8 of the
 * 18 segments a few thousand writes had made, at 2 it leaves 2–4, and a search over them costs
 * nearly what it does over one. A setting of the FTS table, stored in its config table.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') await sql`insert into users_fts(users_fts, rank) values ('usermerge', 2)`.execute(db);
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') await sql`insert into users_fts(users_fts, rank) values ('usermerge', 4)`.execute(db);
}
