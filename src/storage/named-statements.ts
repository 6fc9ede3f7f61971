/**
 * PostgreSQL named prepared statements for the precompiled hot lookups (precompiled.ts): pg
 * parses and plans such a statement once per connection and afterwards only binds and executes,
 * as the bench's reference route does. Kysely's PostgresDialect sends every query unnamed, so
 * the pool's clients are given a `query` that names the texts registered here, and only those:
 * a fixed, small set, so the server-side statements per connection stay bounded.
 */
import type pg from 'pg';

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
