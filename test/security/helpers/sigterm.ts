/**
 * Graceful shutdown (checklist R9): SIGTERM reaches the real server while `n` slow requests
 * (password logins: one argon2 verify each) are in flight; every one must complete normally and
 * the process exit 0. The signal is sent only once the server has received all `n` (its request
 * log says so), so "in flight" is a fact, not a guess.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDialect } from '../../helpers/dialects.ts';
import { startServer } from '../../helpers/server.ts';

const PASSWORD = `Drain-${randomBytes(6).toString('hex')}-pass`;

export interface SigtermReport {
  inFlight: number;
  completed: number;
  /** status → count */
  statuses: Record<number, number>;
  exitCode: number | null;
  /** SIGTERM to exit */
  drainMs: number;
  /** answers after SIGTERM to requests sent after it: 503 or refused, never a hang */
  lateAnswers: string[];
}

async function databaseEnv(dialect: TestDialect): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'roster-sigterm-'));
    return { env: { DATABASE_URL: `sqlite:${join(dir, 'drain.db')}` }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const db = await createTestDatabase('postgres');
  const sep = db.url.includes('?') ? '&' : '?';
  return {
    env: { DATABASE_URL: `${db.url}${sep}options=${encodeURIComponent(`-c search_path=${db.pgSchema}`)}` },
    drop: () => db.drop(),
  };
}

export async function sigtermWithInFlight(dialect: TestDialect, n: number): Promise<SigtermReport> {
  const database = await databaseEnv(dialect);
  try {
    const server = await startServer({
      ...database.env,
      ROSTER_ADMIN_PASSWORD: PASSWORD,
      ROSTER_ADMIN_API_KEY: 'rst_drainadm_0123456789abcdefghijklmnopqrstuv',
      RATE_LIMIT_PER_MINUTE: '1000000',
      LOGIN_MAX_FAILURES: '1000',
      // the request log tells when all n have arrived
      LOG_LEVEL: 'info',
    });
    const arrived = () => (server.stdout().match(/"url":"\/v1\/auth\/login"/g) ?? []).length;
    const before = arrived();
    // Each request sends its headers now and its body only after the signal: the server has
    // received all n (logged them) but can finish none before SIGTERM, so all n are in flight.
    const bodies: ReadableStreamDefaultController<Uint8Array>[] = [];
    const whole = JSON.stringify({ username: 'admin', password: PASSWORD });
    const head = new TextEncoder().encode(whole.slice(0, 12));
    const tail = new TextEncoder().encode(whole.slice(12));
    const requests = Array.from({ length: n }, () => {
      // the first half now (so the request leaves the client), the rest after the signal
      const body = new ReadableStream<Uint8Array>({
        start: (c) => {
          c.enqueue(head);
          bodies.push(c);
        },
      });
      return fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit).then(
        async (r) => ({ status: r.status, body: await r.text() }),
        (err: unknown) => ({ status: 0, body: String(err) }),
      );
    });
    const deadline = Date.now() + 30_000;
    while (arrived() - before < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const inFlight = arrived() - before;
    const exit = server.stop('SIGTERM');
    const signalledAt = Date.now();
    // A request after the signal: refused or 503, never left hanging.
    await new Promise((r) => setTimeout(r, 50));
    const late = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then(
      (r) => `${r.status}`,
      (err: unknown) => `refused: ${(err as { cause?: { code?: string } }).cause?.code ?? String(err)}`,
    );
    for (const c of bodies) {
      c.enqueue(tail);
      c.close();
    }
    const answers = await Promise.all(requests);
    const exitCode = await exit;
    const statuses: Record<number, number> = {};
    for (const a of answers) statuses[a.status] = (statuses[a.status] ?? 0) + 1;
    return {
      inFlight,
      completed: answers.filter((a) => a.status === 200 && a.body.includes('"token"')).length,
      statuses,
      exitCode,
      drainMs: Date.now() - signalledAt,
      lateAnswers: [late],
    };
  } finally {
    await database.drop();
  }
}
