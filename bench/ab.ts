/**
 * `npm run bench:ab -- <kept database> <checkout A> <checkout B> [rounds] [seconds]`: the CPU per
 * request of two checkouts of Roster and the reference, started side by side on the server core
 * and loaded in short interleaved rounds (the order rotates each round). A shared machine's noise
 * swings a 10 s scenario by ±15 %, more than most changes are worth; a ratio taken inside one
 * round, where all three saw the same neighbours, and its median over the rounds, does not.
 *
 * The database is one `npm run bench -- --db postgres --keep` left behind (its fixtures file in
 * the temp directory names the keys); run it from the directory that seeded it, as `--reuse`
 * wants (its ./data holds the secret the database's OpenID keys are sealed with), with each
 * checkout built (`npm run build`). Scenarios: SCENARIOS=native,plane,zenml (the default);
 * PG_URL names another PostgreSQL server, as `--pg-url` does for the bench; PIN_POSTGRES=1 moves
 * a local PostgreSQL's processes onto the load generator's core for the run, as `--pin-postgres` does.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpuUsPerRequest, measuredLoad } from './load.ts';
import { pinCores, pinLocalPostgres, type Started, startProcess, stopAllChildren } from './processes.ts';
import { median as medianOf } from './report.ts';

const median = (xs: number[]) => medianOf(xs) ?? Number.NaN;

const [dbName, rootA, rootB, roundsArg = '12', secondsArg = '2'] = process.argv.slice(2);
if (!dbName || !rootA || !rootB) {
  console.error('usage: npm run bench:ab -- <kept database> <checkout A> <checkout B> [rounds] [seconds]');
  process.exit(2);
}
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
// The server of `--pg-url` (PG_URL here), the kept database on it.
const server = new URL(process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test');
server.pathname = `/${dbName}`;
const url = server.toString();
const fixtures = JSON.parse(readFileSync(join(tmpdir(), `${dbName}.fixtures.json`), 'utf8')) as {
  adminKey: string;
  prepared: { fixtures: { keys: { secret: string }[] } };
};
const userKey = fixtures.prepared.fixtures.keys[0]?.secret ?? '';
const pinning = pinCores(true);
const cpu = pinning.serverCpu !== undefined ? { cpu: pinning.serverCpu } : {};
const pgPinning = process.env.PIN_POSTGRES === '1' ? pinLocalPostgres(server.toString(), pinning) : undefined;
if (pgPinning) {
  // Whatever ends the run, PostgreSQL gets its cores back (restore is idempotent and synchronous).
  process.once('exit', pgPinning.restore);
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      stopAllChildren();
      process.exit(130);
    });
  console.log(
    pgPinning.pinned
      ? `PostgreSQL's ${pgPinning.processes} processes moved to cpu ${pinning.loadCpu}`
      : `PostgreSQL not pinned: ${pgPinning.reason}`,
  );
}
const rosterEnv = {
  DATABASE_URL: url,
  LOG_LEVEL: 'warn',
  ROSTER_ADMIN_API_KEY: fixtures.adminKey,
  RATE_LIMIT_PER_MINUTE: '1000000',
  PLANE_RATE_LIMIT_PER_MINUTE: '1000000',
};
const startRoster = (root: string) =>
  startProcess({ args: [join(root, 'bin', 'roster.js'), 'serve'], env: rosterEnv, readyPath: '/readyz', ...cpu, timeoutMs: 120_000 });

const bearer = { authorization: `Bearer ${userKey}` };
const scenarios: Record<string, { path: string; headers: Record<string, string> }> = {
  native: { path: '/v1/users/me', headers: bearer },
  plane: { path: '/api/v1/users/me/', headers: { 'x-api-key': userKey } },
  zenml: { path: '/users/me', headers: bearer },
};

/** Server CPU µs per request over one load of `durationS`. */
async function cpuPerRequest(server: Started, path: string, headers: Record<string, string>, durationS: number): Promise<number> {
  const { load, cpuS } = await measuredLoad(server, { method: 'GET', path, headers }, { durationS, connections: 10, counter: { n: 0 } });
  if (load.non2xx || load.errors) throw new Error(`${load.non2xx} non-2xx and ${load.errors} errors from ${server.url}${path}`);
  return cpuUsPerRequest(cpuS, load.requests) ?? Number.NaN;
}

try {
  const reference = await startProcess({
    args: ['--import', 'tsx', join(import.meta.dirname, 'reference-server.ts')],
    env: { DATABASE_URL: url },
    readyPath: '/readyz',
    ...cpu,
    timeoutMs: 60_000,
  });
  const a = await startRoster(rootA);
  const b = await startRoster(rootB);
  const requestOf = (server: Started, name: string) =>
    server === reference ? { path: '/me', headers: bearer } : (scenarios[name] as { path: string; headers: Record<string, string> });
  console.log(`A ${rootA}, B ${rootB}: ${rounds} rounds of ${seconds} s each, µs of server CPU per request`);
  for (const name of (process.env.SCENARIOS ?? 'native,plane,zenml').split(',')) {
    if (!scenarios[name]) throw new Error(`unknown scenario ${name}`);
    const servers = [reference, a, b];
    for (const s of servers) await cpuPerRequest(s, requestOf(s, name).path, requestOf(s, name).headers, 2); // warm-up
    const rows: number[][] = [];
    for (let round = 0; round < rounds; round++) {
      const row = [0, 0, 0];
      for (let k = 0; k < servers.length; k++) {
        const i = (k + round) % servers.length;
        const s = servers[i] as Started;
        row[i] = await cpuPerRequest(s, requestOf(s, name).path, requestOf(s, name).headers, seconds);
      }
      rows.push(row);
    }
    const col = (i: number) => rows.map((r) => r[i] as number);
    const ratio = (i: number, j: number) => median(rows.map((r) => (r[i] as number) / (r[j] as number)));
    const bBetter = rows.filter((r) => (r[2] as number) < (r[1] as number)).length;
    console.log(
      `${name.padEnd(7)} reference ${median(col(0)).toFixed(1)}, A ${median(col(1)).toFixed(1)}, B ${median(col(2)).toFixed(1)} | ` +
        `median ratio A/ref ${ratio(1, 0).toFixed(3)}, B/ref ${ratio(2, 0).toFixed(3)}, B/A ${ratio(2, 1).toFixed(3)} | B below A in ${bBetter}/${rounds} rounds`,
    );
  }
} finally {
  stopAllChildren();
  pgPinning?.restore();
}
