/**
 * PostgreSQL named prepared statements for the precompiled hot lookups (precompiled.ts): pg
 * parses and plans such a statement once per connection and afterwards only binds and executes,
 * as the bench's reference route does. Kysely's PostgresDialect sends every query unnamed, so
 * the pool's clients are given a `query` that names the texts registered here, and only those:
 * a fixed, small set, so the server-side statements per connection stay bounded.
 */
import type pg from 'pg';

/** Runs a registered SQL text straight on the pool, as a named statement. */
export type DirectRun = (text: string, values: readonly unknown[]) => Promise<unknown[]>;

const names = new Map<string, string>();

/** Marks a SQL text (compiled once, run often) to be sent as a named statement. */
export function registerNamedStatement(text: string): void {
  if (!names.has(text)) names.set(text, `roster_${names.size + 1}`);
}

/** Installs the naming on every client the pool creates. */
export function nameRegisteredStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) => {
      const name = typeof text === 'string' ? names.get(text) : undefined;
      return name !== undefined && Array.isArray(rest[0]) ? query({ name, text, values: rest[0] }, ...rest.slice(1)) : query(text, ...rest);
    };
  });
}

// The root Kysely of each pool, and how to run its registered texts without Kysely.
const direct = new WeakMap<object, DirectRun>();

/**
 * Lets the precompiled lookups of `db` (the root instance, never a transaction: that is another
 * object and keeps its connection) skip Kysely's executor and go to the pool as `pool.query`
 * does. Kysely adds an async provider, driver and connection layer per query (about 5–10 µs of
 * CPU per lookup, measured against `pool.query` on the 1M-user bench database, 10 concurrent),
 * 5–10 % of an API-key request on PostgreSQL; the SQL, its parameters and the rows are the same.
 */
export function runRegisteredDirectly(db: object, pool: pg.Pool): void {
  // A text and its values, as Kysely sends them: the clients' `query` above names it.
  direct.set(db, async (text, values) => (await pool.query(text, values as unknown[])).rows);
}

/** The direct runner of `db`, when it is a root instance over a PostgreSQL pool. */
export const directRunOf = (db: object): DirectRun | undefined => direct.get(db);
