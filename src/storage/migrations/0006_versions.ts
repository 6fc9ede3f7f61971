/**
 * Row versions for optimistic concurrency (ETag / If-Match on the native API): every update of a
 * user or a membership adds one to `version`, and a conditional update names the version it read
 * in its WHERE clause, so of two writers holding the same ETag exactly one changes the row.
 * A version counter, not `updated_at`: two writes in one millisecond would share a timestamp.
 */
import type { Kysely } from 'kysely';
import type { MigrationContext } from './context.ts';

const tables = ['users', 'memberships'] as const;

export async function up(db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {
  for (const t of tables) {
    await db.schema
      .alterTable(t)
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of tables) await db.schema.alterTable(t).dropColumn('version').execute();
}
