/**
 * The users lookups a login or an admin read makes are index searches, never a scan of every
 * user, on both databases: each statement a lookup sends is captured and EXPLAINed (PostgreSQL
 * with sequential scans disabled, so a small test table does not hide a missing index).
 */
import { type CompiledQuery, type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usersRepository } from '../../src/storage/repositories/users.repository.ts';
import type { Database } from '../../src/storage/schema.ts';
import { seedDatabase } from '../../src/storage/seed.ts';
import { dialects } from '../helpers/dialects.ts';
import { openQueryDb, type QueryDb } from '../query/helpers.ts';

describe.each(dialects)('users lookups on %s use an index', (dialect) => {
  let db: QueryDb;
  const sent: CompiledQuery[] = [];
  let recording: Kysely<Database>;
  beforeAll(async () => {
    db = await openQueryDb(dialect);
    await seedDatabase(db.handle, { users: 300, orgs: 0, seed: 5 });
    recording = db.handle.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => args.result,
    });
    const executor = recording.getExecutor();
    const original = executor.executeQuery.bind(executor);
    (executor as { executeQuery: (q: CompiledQuery) => Promise<unknown> }).executeQuery = (query: CompiledQuery) => {
      sent.push(query);
      return original(query);
    };
  });
  afterAll(async () => db?.close());

  async function plan(query: CompiledQuery): Promise<string> {
    if (dialect === 'sqlite') {
      const r = await db.handle.db.executeQuery<{ detail: string }>({ ...query, sql: `explain query plan ${query.sql}` });
      return r.rows.map((row) => row.detail).join(' | ');
    }
    return db.handle.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const r = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `explain ${query.sql}` });
      return r.rows.map((row) => row['QUERY PLAN']).join(' | ');
    });
  }

  // an index searched by the lookup's own condition (not a whole index read in its order, then filtered)
  const searched = (p: string) => (dialect === 'sqlite' ? /SEARCH users USING/.test(p) : /Index Cond/.test(p));

  for (const [name, lookup] of [
    ['by email (login)', (r: ReturnType<typeof usersRepository>) => r.findByEmail('Someone@Example.org')],
    ['by username (login)', (r: ReturnType<typeof usersRepository>) => r.findByUsername('Someone')],
    ['by id', (r: ReturnType<typeof usersRepository>) => r.findById(7)],
    ['by uuid', (r: ReturnType<typeof usersRepository>) => r.findByUuid('00000000-0000-4000-8000-000000000000')],
    ['by ref', (r: ReturnType<typeof usersRepository>) => r.findByRef('user_nobody')],
  ] as const) {
    it(name, async () => {
      sent.length = 0;
      await lookup(usersRepository(recording, db.handle.dialect));
      expect(sent.length).toBeGreaterThan(0);
      for (const query of sent) {
        const p = await plan(query);
        expect(searched(p), `${query.sql}\n${p}`).toBe(true);
      }
    });
  }
});
