/**
 * A query of fixed shape compiled once and then executed with new parameters: the hot point
 * reads (API key by hash, session by hash, user by id) run on every request, and building and
 * compiling them with Kysely's builder each time cost about 8 % of the server's CPU on `/me`.
 * The SQL text stays the same, so on SQLite the statement cache (statement-cache.ts) also keeps
 * the prepared statement, and on PostgreSQL it is sent as a named statement (named-statements.ts),
 * from the root instance straight to the pool.
 *
 * The builder is given placeholder values; the caller passes the real ones in the same order
 * (compile once and look at `parameters` when in doubt). Compiled lazily, on first use, so a
 * repository built over a transaction that never runs the query compiles nothing.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { directRunOf, registerNamedStatement } from './named-statements.ts';
import type { Database } from './schema.ts';

export type Precompiled<R> = (parameters: readonly unknown[]) => Promise<R[]>;

export function precompiled<R>(db: Kysely<Database>, build: (db: Kysely<Database>) => Compilable<R>): Precompiled<R> {
  let compiled: CompiledQuery<R> | undefined;
  // PostgreSQL, outside a transaction: straight to the pool (named-statements.ts).
  const direct = directRunOf(db);
  return async (parameters) => {
    if (!compiled) {
      compiled = build(db).compile();
      registerNamedStatement(compiled.sql);
    }
    if (parameters.length !== compiled.parameters.length) {
      throw new Error(`precompiled query takes ${compiled.parameters.length} parameters, got ${parameters.length}`);
    }
    if (direct) return (await direct(compiled.sql, parameters)) as R[];
    const r = await db.executeQuery<R>({ ...compiled, parameters });
    return r.rows;
  };
}
