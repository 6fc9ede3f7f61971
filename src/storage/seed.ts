/**
 * Bulk fill of a database with realistic users, organizations and memberships, for benchmarks and
 * manual testing (`roster seed --users N`). It bypasses core on purpose: rows are generated here
 * and written through multi-row statements in large transactions (SQLite: multi-row INSERTs of
 * 2,000 rows in one transaction, indexes rebuilt once at the end; PostgreSQL:
 * `INSERT … SELECT FROM unnest(arrays)` of 10,000 rows), which is what makes a million users take
 * seconds rather than hours.
 *
 * Seeded users have no password (they cannot log in) and are otherwise ordinary rows: the FTS
 * triggers of migration 0004 index them like any other user. Usernames and emails carry a
 * sequence number so seeding twice into the same database never collides.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import type { DbHandle } from './db.ts';
import { prng } from './prng.ts';
import type { Database } from './schema.ts';
import { optimizeSearchIndex } from './search-index-upkeep.ts';

export interface SeedOptions {
  users: number;
  /** organizations to create (default: one per 100 users, at least 1 when users > 0) */
  orgs?: number;
  /** distinct members per organization (default 20, at most `users`) */
  membersPerOrg?: number;
  /** seed of the name generator, so two runs produce the same people (default 1) */
  seed?: number;
  /** drop the users indexes for the load and rebuild them after (default: from 50,000 users on) */
  rebuildIndexes?: boolean;
  onProgress?: (p: SeedProgress) => void;
}

export interface SeedProgress {
  phase: 'users' | 'organizations' | 'memberships';
  done: number;
  total: number;
}

export interface SeedResult {
  users: number;
  orgs: number;
  memberships: number;
  /** the id range of the users created */
  firstUserId: number | null;
  lastUserId: number | null;
  ms: number;
}

const FIRST = (
  'James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William Barbara Richard Susan Joseph Jessica ' +
  'Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy Matthew Betty Anthony Margaret Mark Sandra Donald Ashley ' +
  'Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Dorothy George Melissa ' +
  'Timothy Deborah Ronald Stephanie Edward Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy ' +
  'Nicholas Angela Eric Shirley Jonathan Anna Stephen Brenda Larry Pamela Justin Emma Scott Nicole Brandon Helen ' +
  'Benjamin Samantha Samuel Katherine Gregory Christine Alexander Debra Frank Rachel Patrick Carolyn Raymond Janet ' +
  'Ada Grace Alan Linus Margit Yuki Hiroshi Mei Wei Priya Arjun Fatima Omar Sofia Mateo Lucia Noah Olivia Liam Ava ' +
  'Chloe Lukas Jonas Elif Mehmet Ana Joao Ines Pierre Camille Zoe Ingrid Sven Astrid Nikolai Olga Dmitri Chen Aiko'
).split(' ');
const LAST = (
  'Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson ' +
  'Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker ' +
  'Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell ' +
  'Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy ' +
  'Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson ' +
  'Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross ' +
  'Lovelace Hopper Turing Torvalds Knuth Muller Schmidt Schneider Fischer Weber Tanaka Suzuki Sato Wang Li Zhang ' +
  'Kowalski Novak Dubois Moreau Rossi Russo Silva Santos Ivanov Petrov Larsen Hansen Jensen Nielsen Yilmaz Kaya'
).split(' ');
const DOMAINS = ['example.com', 'example.org', 'mail.test', 'corp.example', 'acme.test', 'globex.example', 'initech.test'];
const COMPANIES = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Stark Industries', 'Wayne Enterprises', 'Soylent', null];
const TITLES = ['Engineer', 'Designer', 'Manager', 'Analyst', 'Researcher', 'Annotator', 'QA Lead', 'Director', null];
const ZONES = ['UTC', 'Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Kolkata'];
const ORG_WORDS = (
  'alpha beta gamma delta nova orbit pixel vector quantum cedar maple river stone falcon tiger lotus ember atlas ' +
  'zenith apex harbor summit prairie aurora comet nebula quartz cobalt indigo saffron'
).split(' ');
const ORG_ROLES = ['maintainer', 'supervisor', 'worker', 'worker', 'worker'];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `count` Overplane-style refs from one CSPRNG draw (bytes ≥ 248 are skipped: no modulo bias). */
function refs(count: number): string[] {
  const out: string[] = [];
  let bytes = randomBytes(count * 16);
  let i = 0;
  let cur = '';
  while (out.length < count) {
    if (i >= bytes.length) {
      bytes = randomBytes(count * 2);
      i = 0;
    }
    const b = bytes[i++] as number;
    if (b >= 248) continue;
    cur += BASE62[b % 62];
    if (cur.length === 14) {
      out.push(`user_${cur}`);
      cur = '';
    }
  }
  return out;
}

const USER_COLUMNS = [
  'uuid',
  'ref',
  'username',
  'email',
  'first_name',
  'last_name',
  'display_name',
  'company',
  'job_title',
  'timezone',
  'is_active',
  'is_staff',
  'created_at',
  'updated_at',
  'last_login_at',
] as const;
const INT_COLUMNS = new Set(['is_active', 'is_staff']);

type Row = (string | number | null)[];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** One plausible person; `seq` makes username and email unique. */
function userRow(rand: () => number, seq: number, ref: string, createdMs: number, nowMs: number): Row {
  const first = pick(rand, FIRST);
  const last = pick(rand, LAST);
  const style = rand();
  const f = first.toLowerCase();
  const l = last.toLowerCase();
  const handle = style < 0.4 ? `${f}.${l}` : style < 0.7 ? `${f[0]}${l}` : style < 0.85 ? `${f}_${l}` : `${l}${f[0]}`;
  const username = `${handle}${seq}`;
  const created = new Date(createdMs).toISOString();
  const login = rand() < 0.7 ? new Date(createdMs + Math.floor(rand() * (nowMs - createdMs))).toISOString() : null;
  return [
    randomUUID(),
    ref,
    username,
    `${username}@${pick(rand, DOMAINS)}`,
    first,
    last,
    `${first} ${last}`,
    pick(rand, COMPANIES),
    pick(rand, TITLES),
    pick(rand, ZONES),
    rand() < 0.93 ? 1 : 0,
    rand() < 0.01 ? 1 : 0,
    created,
    created,
    login,
  ];
}

/** Writes a batch of rows into one table and returns the ids the database assigned. */
type BulkInsert = (table: string, columns: readonly string[], intColumns: Set<string>, rows: Row[]) => Promise<number[]>;

function sqliteInsert(db: Kysely<Database>): BulkInsert {
  return async (table, columns, _ints, rows) => {
    if (rows.length === 0) return [];
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const text = `insert into ${table} (${columns.join(', ')}) values ${rows.map(() => tuple).join(', ')} returning id`;
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, rows.flat()));
    return result.rows.map((r) => r.id);
  };
}

function postgresInsert(db: Kysely<Database>): BulkInsert {
  return async (table, columns, ints, rows) => {
    if (rows.length === 0) return [];
    const arrays = columns.map((_, c) => rows.map((r) => r[c] ?? null));
    const casts = columns.map((col, c) => `$${c + 1}::${ints.has(col) ? 'integer' : 'text'}[]`).join(', ');
    const text = `insert into ${table} (${columns.join(', ')}) select * from unnest(${casts}) returning id`;
    const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, arrays));
    return result.rows.map((r) => r.id);
  };
}

/** Rows per INSERT statement: SQLite caps bound parameters (32766), PostgreSQL takes arrays. */
const CHUNK = { sqlite: 2000, postgres: 10000 } as const;
/** Rows per progress report. */
const REPORT_EVERY = 100_000;
/** From this many users on, the load drops the users indexes and rebuilds them at the end. */
const REBUILD_FROM = 50_000;

/** An index or trigger of `users` to drop before a big load and recreate after it. */
interface SavedDdl {
  drop: string;
  create: string;
}

async function savedUsersDdl(trx: Kysely<Database>, dialect: DbHandle['dialect']): Promise<SavedDdl[]> {
  if (dialect === 'sqlite') {
    const r = await sql<{ type: string; name: string; sql: string }>`
      select type, name, sql from sqlite_master
      where tbl_name = 'users' and type in ('index', 'trigger') and sql is not null`.execute(trx);
    return r.rows.map((o) => ({ drop: `drop ${o.type} "${o.name}"`, create: o.sql }));
  }
  // every index of users in the current schema except those backing a constraint (the key)
  const r = await sql<{ name: string; def: string }>`
    select i.relname as name, pg_get_indexdef(i.oid) as def
    from pg_index x
    join pg_class i on i.oid = x.indexrelid
    join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where t.relname = 'users' and n.nspname = current_schema()
      and not exists (select 1 from pg_constraint c where c.conindid = i.oid)`.execute(trx);
  return r.rows.map((o) => ({ drop: `drop index "${o.name}"`, create: o.def }));
}

/**
 * Everything happens in one transaction. For big loads the users indexes (and on SQLite the FTS
 * triggers) are dropped first and rebuilt at the end — a sort-based build is several times faster
 * than a million random B-tree inserts — and the SQLite FTS index is filled in one statement.
 * DDL is transactional on both databases, so a failure (say a unique index that no longer
 * builds) rolls everything back, and concurrent readers keep seeing the old, complete schema.
 */
export async function seedDatabase(handle: DbHandle, opts: SeedOptions): Promise<SeedResult> {
  const restore = await tuneForBulk(handle);
  let result: SeedResult;
  try {
    result = await handle.db.transaction().execute(async (trx) => {
      const insert = handle.dialect === 'sqlite' ? sqliteInsert(trx) : postgresInsert(trx);
      const scoped = { ...handle, db: trx };
      if (!(opts.rebuildIndexes ?? opts.users >= REBUILD_FROM)) return seed(insert, scoped, opts);
      if (handle.dialect === 'postgres') await sql`set local maintenance_work_mem = '256MB'`.execute(trx);
      const saved = await savedUsersDdl(trx, handle.dialect);
      for (const o of saved) await sql.raw(o.drop).execute(trx);
      return seed(insert, scoped, opts, async (firstId) => {
        for (const o of saved) await sql.raw(o.create).execute(trx);
        if (handle.dialect === 'sqlite' && firstId !== null) {
          await sql
            .raw(`insert into users_fts(rowid, ${FTS_COLUMNS}) select id, ${FTS_COLUMNS} from users where id >= ${Number(firstId)}`)
            .execute(trx);
        }
      });
    });
  } finally {
    await restore();
  }
  // Fresh planner statistics for what was loaded (and on PostgreSQL the visibility map, so
  // counts over the new rows can be index-only scans); outside the load's transaction, since
  // VACUUM cannot run inside one.
  // On SQLite the search index is merged into one segment too: what the server's upkeep
  // (search-index-upkeep.ts) would otherwise do in slices after the load.
  if (handle.dialect === 'sqlite') {
    await optimizeSearchIndex(handle.db);
    await sql`analyze`.execute(handle.db);
  } else await sql`vacuum analyze users, memberships, organizations`.execute(handle.db);
  return result;
}

/** SQLite: a 256 MiB page cache, in-memory temp storage and sorter threads while loading. */
async function tuneForBulk(handle: DbHandle): Promise<() => Promise<void>> {
  if (handle.dialect !== 'sqlite') return async () => {};
  const settings = { cache_size: -262144, temp_store: 2, threads: 4 } as const;
  const before: [string, number][] = [];
  for (const [name, value] of Object.entries(settings)) {
    const r = await sql<Record<string, number>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(handle.db);
    before.push([name, Number(Object.values(r.rows[0] ?? {})[0] ?? 0)]);
    await sql.raw(`pragma ${name} = ${value}`).execute(handle.db);
  }
  return async () => {
    for (const [name, value] of before) await sql.raw(`pragma ${name} = ${value}`).execute(handle.db);
  };
}

/** The columns of the SQLite FTS table of migration 0004. */
const FTS_COLUMNS = 'username, email, first_name, last_name, display_name';

async function seed(
  insert: BulkInsert,
  handle: DbHandle,
  opts: SeedOptions,
  afterUsers: (firstId: number | null) => Promise<void> = async () => {},
): Promise<SeedResult> {
  const started = Date.now();
  const total = Math.max(0, Math.floor(opts.users));
  const orgCount = Math.max(0, Math.floor(opts.orgs ?? (total > 0 ? Math.max(1, Math.floor(total / 100)) : 0)));
  const perOrg = Math.min(total, Math.max(0, Math.floor(opts.membersPerOrg ?? 20)));
  const rand = prng(opts.seed ?? 1);
  const chunk = CHUNK[handle.dialect];
  const progress = opts.onProgress ?? (() => {});

  const maxRow = await handle.db
    .selectFrom('users')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst();
  let seq = Number(maxRow?.m ?? 0) + 1;
  // Sign-up dates spread over the three years before now, ascending with the id like real data.
  const span = 3 * 365 * 86_400_000;
  const startMs = started - span;

  const userIds: number[] = [];
  for (let done = 0; done < total; ) {
    const n = Math.min(chunk, total - done);
    const refList = refs(n);
    const rows: Row[] = [];
    for (let i = 0; i < n; i++) {
      const at = startMs + Math.floor(((done + i) / Math.max(1, total)) * span);
      rows.push(userRow(rand, seq++, refList[i] as string, at, started));
    }
    for (const id of await insert('users', USER_COLUMNS, INT_COLUMNS, rows)) userIds.push(id);
    done += n;
    if (done % REPORT_EVERY < n || done === total) progress({ phase: 'users', done, total });
  }
  await afterUsers(userIds[0] ?? null);

  const now = new Date().toISOString();
  const orgIds: number[] = [];
  const orgSeq = seq;
  for (let done = 0; done < orgCount; ) {
    const n = Math.min(chunk, orgCount - done);
    const rows: Row[] = [];
    for (let i = 0; i < n; i++) {
      const a = pick(rand, ORG_WORDS);
      const b = pick(rand, ORG_WORDS);
      const k = orgSeq + done + i;
      rows.push([randomUUID(), `${a}-${b}-${k}`, `${capitalise(a)} ${capitalise(b)} ${k}`, now]);
    }
    for (const id of await insert('organizations', ['uuid', 'slug', 'name', 'created_at'], new Set(), rows)) orgIds.push(id);
    done += n;
  }
  progress({ phase: 'organizations', done: orgCount, total: orgCount });

  // Members are drawn per organization, then written in user-id order so the index and
  // foreign-key lookups walk the B-trees sequentially instead of at random.
  const memberRows: Row[] = [];
  for (const orgId of orgIds) {
    const chosen = new Set<number>();
    while (chosen.size < perOrg) chosen.add(userIds[Math.floor(rand() * userIds.length)] as number);
    let first = true;
    for (const userId of chosen) {
      memberRows.push([userId, orgId, first ? 'owner' : pick(rand, ORG_ROLES), 1, now]);
      first = false;
    }
  }
  memberRows.sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number));
  const memberCols = ['user_id', 'org_id', 'role', 'is_active', 'joined_at'] as const;
  const memberInts = new Set(['user_id', 'org_id', 'is_active']);
  let memberships = 0;
  while (memberships < memberRows.length) {
    const batch = memberRows.slice(memberships, memberships + chunk);
    await insert('memberships', memberCols, memberInts, batch);
    memberships += batch.length;
    if (memberships % REPORT_EVERY < batch.length || memberships === memberRows.length) {
      progress({ phase: 'memberships', done: memberships, total: memberRows.length });
    }
  }

  return {
    users: userIds.length,
    orgs: orgIds.length,
    memberships,
    firstUserId: userIds[0] ?? null,
    lastUserId: userIds[userIds.length - 1] ?? null,
    ms: Date.now() - started,
  };
}

function capitalise(w: string): string {
  return `${w.charAt(0).toUpperCase()}${w.slice(1)}`;
}
