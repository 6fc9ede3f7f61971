/**
 * Indexes for the list query engine (issue 7): one `(field, id)` index per sortable text field,
 * and substring search through an index — SQLite FTS5 with the trigram tokenizer (an
 * external-content table over `users`, kept in sync by triggers), PostgreSQL pg_trgm GIN indexes
 * over `lower(column)`.
 *
 * On PostgreSQL every text index is declared `COLLATE "C"` because the query compiler compares
 * and sorts text in "C" (byte/code-point order, the order SQLite uses), so both databases return
 * rows in the same order whatever the database's default collation is. The 0001 text sort
 * indexes are replaced by their "C" twins for that reason.
 */
import { type Kysely, sql } from 'kysely';
import type { MigrationContext } from './context.ts';

/** The user columns free-text search covers, in FTS column order. */
const searchColumns = ['username', 'email', 'first_name', 'last_name', 'display_name'] as const;
/** Text columns lists sort on (with `id` as the tie-breaker). */
const sortColumns = ['username', 'email', 'first_name', 'last_name', 'display_name', 'created_at'] as const;
/** 0001 sort indexes on text columns, rebuilt "C"-collated on PostgreSQL. */
const replacedOnPostgres = ['users_first_name_idx', 'users_last_name_idx', 'users_created_at_idx'] as const;

const cols = searchColumns.join(', ');
const newCols = searchColumns.map((c) => `new.${c}`).join(', ');
const oldCols = searchColumns.map((c) => `old.${c}`).join(', ');

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') {
    for (const c of ['username', 'email', 'display_name']) {
      await sql.raw(`create index users_${c}_sort_idx on users (${c}, id)`).execute(db);
    }
    await sql
      .raw(`create virtual table users_fts using fts5(${cols}, content='users', content_rowid='id', tokenize='trigram')`)
      .execute(db);
    await sql
      .raw(`create trigger users_fts_ai after insert on users begin
        insert into users_fts(rowid, ${cols}) values (new.id, ${newCols});
      end`)
      .execute(db);
    await sql
      .raw(`create trigger users_fts_ad after delete on users begin
        insert into users_fts(users_fts, rowid, ${cols}) values ('delete', old.id, ${oldCols});
      end`)
      .execute(db);
    await sql
      .raw(`create trigger users_fts_au after update of ${cols} on users begin
        insert into users_fts(users_fts, rowid, ${cols}) values ('delete', old.id, ${oldCols});
        insert into users_fts(rowid, ${cols}) values (new.id, ${newCols});
      end`)
      .execute(db);
    await sql.raw(`insert into users_fts(users_fts) values ('rebuild')`).execute(db);
    return;
  }

  // Extensions are database-wide: install into `public` so dropping one schema never drops the
  // extension under another. Creating it takes a database-wide lock, and parallel migrations
  // (test schemas, several instances starting) would queue on it: so the lock is taken only when
  // the extension is missing, and the check repeated under it.
  const extensionSchema = async () =>
    (
      await sql<{ nspname: string }>`
        select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db)
    ).rows[0]?.nspname;
  let extSchema = await extensionSchema();
  if (extSchema === undefined) {
    await sql`select pg_advisory_xact_lock(hashtext('roster:pg_trgm'))`.execute(db);
    await sql`create extension if not exists pg_trgm with schema public`.execute(db);
    extSchema = (await extensionSchema()) ?? 'public';
  }
  const opclass = `${sql.id(extSchema).compile(db).sql}.gin_trgm_ops`;
  for (const c of searchColumns) {
    await sql.raw(`create index users_${c}_trgm_idx on users using gin (lower(${c}) ${opclass})`).execute(db);
  }
  for (const name of replacedOnPostgres) await sql.raw(`drop index if exists ${name}`).execute(db);
  for (const c of sortColumns) {
    await sql.raw(`create index users_${c}_sort_idx on users (${c} collate "C", id)`).execute(db);
  }
}

export async function down(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  if (ctx.dialect === 'sqlite') {
    for (const t of ['users_fts_ai', 'users_fts_ad', 'users_fts_au']) await sql.raw(`drop trigger if exists ${t}`).execute(db);
    await sql.raw('drop table if exists users_fts').execute(db);
    for (const c of ['username', 'email', 'display_name']) await sql.raw(`drop index if exists users_${c}_sort_idx`).execute(db);
    return;
  }
  for (const c of searchColumns) await sql.raw(`drop index if exists users_${c}_trgm_idx`).execute(db);
  for (const c of sortColumns) await sql.raw(`drop index if exists users_${c}_sort_idx`).execute(db);
  await sql.raw('create index users_created_at_idx on users (created_at, id)').execute(db);
  await sql.raw('create index users_first_name_idx on users (first_name, id)').execute(db);
  await sql.raw('create index users_last_name_idx on users (last_name, id)').execute(db);
}
