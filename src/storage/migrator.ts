/**
 * Migrations are imported statically (not scanned from a folder), so the program runs the same
 * from any working directory and from a bundle.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import * as m0001 from './migrations/0001_initial.ts';
import type { MigrationContext } from './migrations/context.ts';

type MigrationModule = {
  up: (db: Kysely<unknown>, ctx: MigrationContext) => Promise<void>;
  down?: (db: Kysely<unknown>, ctx: MigrationContext) => Promise<void>;
};

/** Ordered by name; add new migrations here. */
export const migrationModules: Record<string, MigrationModule> = {
  '0001_initial': m0001,
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
 * On PostgreSQL, Kysely looks for its bookkeeping tables in every schema unless told which one;
 * a second Roster schema in the same database (tests, several deployments) would then make it skip
 * creating them in its own. Pin them to the connection's current schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
async function bookkeepingSchema(db: Kysely<any>, ctx: MigrationContext): Promise<string | undefined> {
  if (ctx.dialect !== 'postgres') return undefined;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function createMigrator(db: Kysely<any>, ctx: MigrationContext): Promise<Migrator> {
  const schema = await bookkeepingSchema(db, ctx);
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
