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

/** Each registered text's name and text, the prototype of every query config sent for it. */
const statements = new Map<string, { readonly name: string; readonly text: string }>();

/** Marks a SQL text (compiled once, run often) to be sent as a named statement. */
export function registerNamedStatement(text: string): void {
  if (!statements.has(text)) statements.set(text, Object.freeze({ name: `roster_${statements.size + 1}`, text }));
}

/** Installs the naming on every client the pool creates. */
export function nameRegisteredStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, ...rest: unknown[]) => {
      const statement = typeof text === 'string' ? statements.get(text) : undefined;
      if (statement === undefined || !Array.isArray(rest[0])) return query(text, ...rest);
      // pg copies a config's own properties on every query (getOwnPropertyDescriptors, then
      // defineProperties); with name and text inherited only `values` is copied: about 1.5 µs
      // less per query in a loop of `new Query(config)` (pg 8.23), and pg reads the rest through
      // the prototype it keeps.
      const config = Object.create(statement) as { values: unknown[] };
      config.values = rest[0];
      return query(config, ...rest.slice(1));
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
