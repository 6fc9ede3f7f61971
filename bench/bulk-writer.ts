/**
 * The fastest honest way to put many rows into each database, under one small interface:
 * multi-row inserts in big transactions, and secondary indexes dropped during the load and rebuilt
 * afterwards (one sort per index instead of a million B-tree insertions). Index definitions are
 * read back from the database itself, so whatever the migrations create is what gets rebuilt.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';

export type Row = (string | number | null)[];

export interface BulkWriter {
  readonly dialect: 'sqlite' | 'postgres';
  /** Inserts `rows` (values in `columns` order) in as few statements as the driver allows. */
  insert(table: string, columns: readonly string[], rows: Row[]): Promise<void>;
  /** Runs `fn` in one transaction. */
  transaction(fn: () => Promise<void>): Promise<void>;
  /** Drops the secondary indexes of `tables`; the returned function rebuilds them. */
  suspendIndexes(tables: readonly string[]): Promise<() => Promise<void>>;
  /** A small query with `?` placeholders on both databases. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** After explicit ids were inserted: moves id sequences past them (PostgreSQL). */
  syncSequences(tables: readonly string[]): Promise<void>;
  /**
   * After the whole load, fixtures included: fresh planner statistics (SQLite ANALYZE; on
   * PostgreSQL VACUUM ANALYZE, which also sets the visibility map so counts can be index-only).
   * Without it the planner saw the api_keys of an empty table and scanned it on every request.
   */
  maintain(): Promise<void>;
  close(): Promise<void>;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export function sqliteWriter(file: string): BulkWriter {
  const db = new SqliteDatabase(file);
  // Loading only: the file is rebuilt from scratch if the machine dies mid-seed.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('temp_store = MEMORY');
  const statements = new Map<string, SqliteDatabase.Statement>();
  // SQLite binds at most 32766 parameters per statement.
  const maxParams = 32000;

  function statement(table: string, columns: readonly string[], count: number): SqliteDatabase.Statement {
    const key = `${table}|${columns.join(',')}|${count}`;
    let stmt = statements.get(key);
    if (!stmt) {
      const tuple = `(${columns.map(() => '?').join(',')})`;
      stmt = db.prepare(`insert into ${quote(table)} (${columns.map(quote).join(',')}) values ${Array(count).fill(tuple).join(',')}`);
      statements.set(key, stmt);
    }
    return stmt;
  }

  return {
    dialect: 'sqlite',
    async insert(table, columns, rows) {
      const per = Math.max(1, Math.floor(maxParams / columns.length));
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        statement(table, columns, chunk.length).run(chunk.flat());
      }
    },
    async transaction(fn) {
      db.exec('begin');
      try {
        await fn();
        db.exec('commit');
      } catch (err) {
        db.exec('rollback');
        throw err;
      }
    },
    async suspendIndexes(tables) {
      const placeholders = tables.map(() => '?').join(',');
      // Indexes created by UNIQUE/PRIMARY KEY constraints have no SQL and cannot be dropped.
      const indexes = db
        .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${placeholders})`)
        .all(...tables) as { name: string; sql: string }[];
      for (const ix of indexes) db.exec(`drop index ${quote(ix.name)}`);
      return async () => {
        for (const ix of indexes) db.exec(ix.sql);
        db.exec('analyze');
      };
    },
    async query(sql, params = []) {
      const stmt = db.prepare(sql);
      if (stmt.reader) return stmt.all(...params) as never[];
      stmt.run(...params);
      return [];
    },
    async syncSequences() {
      // sqlite_sequence follows explicit ids by itself.
    },
    async maintain() {
      // The FTS index filled row by row through the triggers is in many segments; a server merges
      // them in slices as it runs (src/storage/search-index-upkeep.ts). Merging here measures the
      // state it converges to, not the first minutes after a bulk load.
      db.exec("insert into users_fts(users_fts) values ('optimize')");
      db.exec('analyze');
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

export async function postgresWriter(url: string): Promise<BulkWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  const columnTypes = new Map<string, Map<string, string>>();

  async function typesOf(table: string): Promise<Map<string, string>> {
    let types = columnTypes.get(table);
    if (!types) {
      const r = await client.query<{ column_name: string; data_type: string }>(
        'select column_name, data_type from information_schema.columns where table_schema = current_schema() and table_name = $1',
        [table],
      );
      types = new Map(r.rows.map((c) => [c.column_name, c.data_type === 'integer' ? 'int' : c.data_type]));
      columnTypes.set(table, types);
    }
    return types;
  }

  return {
    dialect: 'postgres',
    async insert(table, columns, rows) {
      // One array parameter per column (unnest): a 10k-row insert costs one parse and n binds.
      const types = await typesOf(table);
      const per = 20_000;
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const arrays = columns.map((_, c) => chunk.map((r) => r[c]));
        const casts = columns.map((col, c) => `$${c + 1}::${types.get(col) ?? 'text'}[]`).join(',');
        await client.query(`insert into ${quote(table)} (${columns.map(quote).join(',')}) select * from unnest(${casts})`, arrays);
      }
    },
    async transaction(fn) {
      await client.query('begin');
      try {
        await fn();
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw err;
      }
    },
    async suspendIndexes(tables) {
      const r = await client.query<{ indexname: string; indexdef: string }>(
        `select i.indexname, i.indexdef from pg_indexes i
          where i.schemaname = current_schema() and i.tablename = any($1)
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`,
        [tables],
      );
      for (const ix of r.rows) await client.query(`drop index ${quote(ix.indexname)}`);
      return async () => {
        for (const ix of r.rows) await client.query(ix.indexdef);
        await client.query(`analyze ${tables.map(quote).join(', ')}`);
      };
    },
    async query(sql, params = []) {
      let n = 0;
      return (
        await client.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        )
      ).rows;
    },
    async syncSequences(tables) {
      for (const t of tables) {
        await client.query(`select setval(pg_get_serial_sequence($1, 'id'), (select coalesce(max(id), 1) from ${quote(t)}))`, [t]);
      }
    },
    async maintain() {
      await client.query('vacuum analyze');
    },
    async close() {
      await client.end();
    },
  };
}
