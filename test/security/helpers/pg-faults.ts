/**
 * PostgreSQL faults against the real server (checklist R3, R4): every app connection killed with
 * pg_terminate_backend under load, and the database "stopped" for a while. The machine's shared
 * PostgreSQL cannot be stopped, so the server reaches it through a TCP proxy in this process that
 * the test cuts (open sockets destroyed, the port closed: connection refused) and restores.
 */
import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../helpers/dialects.ts';
import { freePort, type RunningServer, startServer } from '../../helpers/server.ts';

export const FAULT_KEY = 'rst_faultadm_0123456789abcdefghijklmnopqrstuv';

/** A TCP proxy to PostgreSQL that can be cut and restored on the same port. */
export class PgProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  /** The database "goes down": every open connection drops, new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export interface FaultServer {
  server: RunningServer;
  /** application_name of this server's backends, unique to this test */
  appName: string;
  proxy?: PgProxy;
  admin: pg.Client;
  close(): Promise<void>;
}

function withParams(url: string, params: Record<string, string>): string {
  const q = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return `${url}${url.includes('?') ? '&' : '?'}${q}`;
}

/** The real server on a fresh schema, directly or through a proxy. */
export async function startFaultServer(opts: { proxy: boolean }): Promise<FaultServer> {
  const database: TestDatabase = await createTestDatabase('postgres');
  const appName = `roster-fault-${randomBytes(4).toString('hex')}`;
  let url = database.url;
  let proxy: PgProxy | undefined;
  if (opts.proxy) {
    const target = new URL(database.url);
    proxy = new PgProxy(await freePort(), { host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    url = target.toString();
  }
  const server = await startServer({
    DATABASE_URL: withParams(url, { application_name: appName, options: `-c search_path=${database.pgSchema}` }),
    ROSTER_ADMIN_API_KEY: FAULT_KEY,
    RATE_LIMIT_PER_MINUTE: '1000000',
    DB_POOL_MAX: '8',
    DB_CONNECT_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'fatal',
  });
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  return {
    server,
    appName,
    ...(proxy ? { proxy } : {}),
    admin,
    async close() {
      await server.stop('SIGTERM');
      await proxy?.cut();
      await admin.end();
      await database.drop();
    },
  };
}

/** Terminates every backend of this server; how many there were. */
export async function terminateBackends(f: FaultServer): Promise<number> {
  const r = await f.admin.query<{ n: number }>(
    'select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = $1',
    [f.appName],
  );
  return r.rows[0]?.n ?? 0;
}

export interface Tally {
  requests: number;
  ok: number;
  unavailable: number;
  /** 5xx other than 503 */
  otherServerErrors: number;
  /** 4xx: a database failure must never look like the client's fault (401 included) */
  clientErrors: number;
  /** 503 bodies not in the surface's own error format */
  badBodies: number;
  /** transport failures: the process did not answer at all */
  networkErrors: number;
  samples: string[];
}

export const newTally = (): Tally => ({
  requests: 0,
  ok: 0,
  unavailable: 0,
  otherServerErrors: 0,
  clientErrors: 0,
  badBodies: 0,
  networkErrors: 0,
  samples: [],
});

/** Requests across three surfaces, each with its own error format to check on a 503. */
const probes = [
  {
    name: 'native',
    path: '/v1/users?limit=5',
    headers: { authorization: `Bearer ${FAULT_KEY}` },
    wellFormed: (b: Record<string, unknown>) => b.status === 503 && b.code === 'UNAVAILABLE',
  },
  {
    name: 'overplane',
    path: '/api/core/user?limit=5',
    headers: { authorization: `Bearer ${FAULT_KEY}` },
    wellFormed: (b: Record<string, unknown>) => typeof (b.error as { type?: unknown })?.type === 'string',
  },
  {
    name: 'cvat',
    path: '/api/users/self',
    headers: { authorization: `Token ${FAULT_KEY}` },
    wellFormed: (b: Record<string, unknown>) => typeof b.detail === 'string',
  },
];

export async function probe(url: string, tally: Tally, i: number): Promise<number> {
  const p = probes[i % probes.length] as (typeof probes)[number];
  tally.requests += 1;
  try {
    const r = await fetch(`${url}${p.path}`, { headers: p.headers });
    const text = await r.text();
    if (r.status < 300) tally.ok += 1;
    else if (r.status === 503) {
      tally.unavailable += 1;
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text);
      } catch {}
      if (!p.wellFormed(body)) {
        tally.badBodies += 1;
        if (tally.samples.length < 5) tally.samples.push(`${p.name} 503 ${text.slice(0, 200)}`);
      }
    } else {
      if (r.status >= 500) tally.otherServerErrors += 1;
      else tally.clientErrors += 1;
      if (tally.samples.length < 5) tally.samples.push(`${p.name} ${r.status} ${text.slice(0, 200)}`);
    }
    return r.status;
  } catch (err) {
    tally.networkErrors += 1;
    if (tally.samples.length < 5) tally.samples.push(`${p.name} ${String(err)}`);
    return 0;
  }
}

/** `clients` loops of probes until `stop()` says so. */
export async function load(url: string, tally: Tally, clients: number, stop: () => boolean): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = c; !stop(); i++) {
        await probe(url, tally, i);
        // a little breathing room: a failing request returns at once, and the loop must not spin
        await new Promise((r) => setTimeout(r, 5));
      }
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until a probe of every surface succeeds; ms it took, or -1 past `limitMs`. */
export async function timeToRecover(url: string, limitMs: number): Promise<number> {
  const start = Date.now();
  const scratch = newTally();
  while (Date.now() - start < limitMs) {
    const statuses = await Promise.all(probes.map((_, i) => probe(url, scratch, i)));
    if (statuses.every((s) => s === 200)) return Date.now() - start;
    await sleep(25);
  }
  return -1;
}
