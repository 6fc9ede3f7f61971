/**
 * Migrations are imported statically (not scanned from a folder), so the program runs the same
 * from any working directory and from a bundle.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import * as m0001 from './migrations/0001_initial.ts';
import * as m0003 from './migrations/0003_tenancy.ts';
import * as m0004 from './migrations/0004_list_indexes.ts';
import * as m0005 from './migrations/0005_oauth.ts';
import * as m0006 from './migrations/0006_versions.ts';
import * as m0007 from './migrations/0007_users_id_index.ts';
import * as m0008 from './migrations/0008_search_index_usermerge.ts';
import type { MigrationContext } from './migrations/context.ts';

type MigrationModule = {
  up: (db: Kysely<unknown>, ctx: MigrationContext) => Promise<void>;
  down?: (db: Kysely<unknown>, ctx: MigrationContext) => Promise<void>;
};

/** Ordered by name; add new migrations here. */
export const migrationModules: Record<string, MigrationModule> = {
  '0001_initial': m0001,
  '0003_tenancy': m0003,
  '0004_list_indexes': m0004,
  '0005_oauth': m0005,
  '0006_versions': m0006,
  '0007_users_id_index': m0007,
  '0008_search_index_usermerge': m0008,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, mod] of Object.entries(migrationModules)) {
      const down = mod.down;
      out[name] = {
        up: (db) => mod.up(db, this.ctx),
        ...(down ? { down: (db: Kysely<unknown>) => down(db, this.ctx) } : {}),
      };
    }
    return out;
  }
}

/**
 * On PostgreSQL the bookkeeping tables live in the connection's current schema, named explicitly:
 * without it Kysely looks for `kysely_migration` in every schema of the database and, finding
 * another schema's copy (parallel test schemas, a second deployment), never creates its own.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function createMigrator(db: Kysely<any>, ctx: MigrationContext): Promise<Migrator> {
  if (ctx.dialect !== 'postgres') return new Migrator({ db, provider: new StaticProvider(ctx) });
  const r = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = r.rows[0]?.schema;
  return new Migrator({ db, provider: new StaticProvider(ctx), ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Applies every pending migration; throws with the failing migration's name. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>, ctx: MigrationContext): Promise<string[]> {
  const { error, results } = await (await createMigrator(db, ctx)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrationsApplied(db: Kysely<any>, ctx: MigrationContext): Promise<boolean> {
  const list = await (await createMigrator(db, ctx)).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
