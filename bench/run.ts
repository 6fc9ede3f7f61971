/**
 * `npm run bench`: seed a database, start the real server and the reference as separate
 * processes, run every scenario of `scenarios.ts` for a fixed time after a warm-up, print a table
 * and write `bench/results/<timestamp>.json`. See docs/benchmarks.md.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { generateApiKeySecret } from '../src/core/auth/api-keys.service.ts';
import { type BenchArgs, BenchArgsError, parseBenchArgs, usage } from './args.ts';
import { type BulkWriter, postgresWriter, sqliteWriter } from './bulk-writer.ts';
import { cpuUsPerRequest, type LoadSummary, measuredLoad, probe, runLoad, skipReason } from './load.ts';
import { prepareOAuth } from './oauth.ts';
import {
  type Pinning,
  type PostgresPinning,
  pinCores,
  pinLocalPostgres,
  rssMb,
  type Started,
  sampleRss,
  startProcess,
  stopAllChildren,
} from './processes.ts';
import { progressReporter } from './progress.ts';
import {
  evaluateTargets,
  formatCoreBusy,
  formatTable,
  formatTargets,
  mergeSegments,
  type PairedRound,
  pairedRoundCount,
  roundRatios,
  type ScenarioResult,
  withRatios,
} from './report.ts';
import { type BenchContext, type CustomScenario, type HttpScenario, type Scenario, scenarios, targets } from './scenarios.ts';
import { type BenchFixtures, defaultSeedOptions, seedBench } from './seed.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const defaultRoot = root;
const LOGIN_PASSWORD = 'bench-password-4711';
const log = (line: string) => process.stderr.write(`${line}\n`);

interface Database {
  url: string;
  describe: string;
  /** where `--keep` leaves what the scenarios need (keys, cursors) for a later `--reuse` */
  fixturesFile: string;
  drop(): Promise<void>;
}

function reuseDatabase(args: BenchArgs, name: string): Database {
  if (args.db === 'sqlite') {
    return { url: `sqlite:${name}`, describe: name, fixturesFile: `${name}.fixtures.json`, drop: async () => void log(`kept ${name}`) };
  }
  const url = new URL(args.pgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    describe: `database ${name} on ${url.host}`,
    fixturesFile: join(tmpdir(), `${name}.fixtures.json`),
    drop: async () => void log(`kept database ${name}`),
  };
}

async function createDatabase(args: BenchArgs): Promise<Database> {
  if (args.reuse) return reuseDatabase(args, args.reuse);
  if (args.db === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'roster-bench-'));
    const file = join(dir, 'bench.db');
    return {
      url: `sqlite:${file}`,
      describe: file,
      fixturesFile: `${file}.fixtures.json`,
      drop: async () => {
        if (args.keep) log(`kept ${file}`);
        else rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `roster_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: args.pgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(args.pgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    describe: `database ${name} on ${url.host}`,
    fixturesFile: join(tmpdir(), `${name}.fixtures.json`),
    async drop() {
      if (args.keep) {
        log(`kept database ${name}`);
        return;
      }
      const c = new pg.Client({ connectionString: args.pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

function openWriter(db: Database): Promise<BulkWriter> | BulkWriter {
  return db.url.startsWith('sqlite:') ? sqliteWriter(db.url.slice('sqlite:'.length)) : postgresWriter(db.url);
}

/**
 * Migrations and the bootstrap admin through the measured checkout's own CLI (any command but
 * `serve` migrates and bootstraps first), then the bulk seed.
 */
type Prepared = Awaited<ReturnType<typeof prepare>>;

async function prepare(db: Database, args: BenchArgs, adminKey: string, serverRoot: string) {
  const t0 = performance.now();
  execFileSync(process.execPath, [join(serverRoot, 'bin', 'roster.js'), 'keys', 'list', '--user', 'admin'], {
    cwd: serverRoot,
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: db.url, ROSTER_ADMIN_API_KEY: adminKey, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  const bootstrapS = (performance.now() - t0) / 1000;

  const progress = progressReporter();
  const writer = await openWriter(db);
  try {
    const fixtures = await seedBench(writer, {
      ...defaultSeedOptions(args.users, LOGIN_PASSWORD),
      onProgress: (phase, done, total) => progress.update(phase, done, total),
    });
    progress.end();
    const span = fixtures.lastSeededId - fixtures.firstSeededId + 1;
    const deepById = Math.floor(fixtures.totalUsers * 0.9);
    const [created] = await writer.query<{ created_at: string; id: number }>('select created_at, id from users where id = ?', [
      fixtures.firstSeededId + Math.floor(span * 0.1),
    ]);
    const cursor = await cursorEncoder(serverRoot);
    return {
      fixtures,
      bootstrapS,
      deepCursorById: cursor([{ field: 'id', direction: 'asc' }], [deepById]),
      deepCursorByCreated: cursor([{ field: 'createdAt', direction: 'desc' }], [created?.created_at, Number(created?.id)]),
    };
  } finally {
    await writer.close();
  }
}

type SortKey = { field: string; direction: 'asc' | 'desc' };

/**
 * Cursors are opaque to clients, so the bench mints its deep ones with the measured checkout's own
 * encoder (base64url JSON of the last row's sort values; newer versions also sign the sort keys).
 */
async function cursorEncoder(serverRoot: string): Promise<(sort: SortKey[], values: unknown[]) => string> {
  const qc = (await import(join(serverRoot, 'src', 'storage', 'query-compiler.ts'))) as {
    encodeCursor: (...a: unknown[]) => string;
    fullSort: (s: SortKey[]) => SortKey[];
  };
  return (sort, values) => (qc.encodeCursor.length >= 2 ? qc.encodeCursor(qc.fullSort(sort), values) : qc.encodeCursor(values));
}

/** The bundle (`dist/cli.js`) is what production runs; build it when a source is newer. */
function ensureBundle(root: string): string {
  const bundle = join(root, 'dist', 'cli.js');
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { withFileTypes: true }).map((e) =>
        e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs,
      ),
    );
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < newest(join(root, 'src'))) {
    execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  }
  return root === defaultRoot ? 'dist/cli.js (esbuild bundle)' : `${root}/dist/cli.js (esbuild bundle)`;
}

function argon2Rate(durationS: number, cpu: number | undefined): Promise<{ perSec: number; p50Ms: number; p99Ms: number }> {
  const nodeArgs = ['--import', 'tsx', join(root, 'bench', 'argon2-rate.ts')];
  const [cmd, argv] = cpu !== undefined ? ['taskset', ['-c', String(cpu), process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    execFile(
      cmd as string,
      argv as string[],
      { cwd: root, env: { ...process.env, DURATION_S: String(durationS) }, timeout: 60_000 },
      (err, out) => (err ? reject(err) : resolve(JSON.parse(out.trim().split('\n').pop() as string))),
    );
  });
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value !== undefined ? { [key]: value } : {}) as { [P in K]?: V };

const referenceScenario = scenarios.find((s): s is HttpScenario => s.id === 'reference.me') as HttpScenario;

function fromLoad(s: Omit<LoadSummary, 'seconds'>): Partial<ScenarioResult> {
  // With nothing completed autocannon reports 0 ms latencies: leave them out rather than flatter.
  const latency = s.requests > 0 ? { p50Ms: s.p50Ms, p99Ms: s.p99Ms } : {};
  return { requestsPerSec: s.requestsPerSec, ...latency, requests: s.requests, errors: s.errors, non2xx: s.non2xx };
}

/**
 * Requests that timed out on the client may still be running in the server (on SQLite a slow
 * query holds the event loop). Waits, boundedly, until the server answers /readyz quickly again,
 * so the next scenario does not inherit the backlog; returns the seconds waited.
 */
async function drain(server: Started, limitS: number): Promise<number> {
  const started = performance.now();
  while ((performance.now() - started) / 1000 < limitS) {
    const t = performance.now();
    try {
      const r = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(limitS * 1000) });
      if (r.ok && performance.now() - t < 500) break;
    } catch {
      // still busy
    }
  }
  return (performance.now() - started) / 1000;
}

async function runHttp(
  s: HttpScenario,
  ctx: BenchContext,
  servers: { roster: Started; reference: Started },
  args: BenchArgs,
): Promise<ScenarioResult> {
  const server = servers[s.server];
  const spec = s.request(ctx);
  const counter = { n: 0 };
  const base = { id: s.id, title: s.title };
  const reason = skipReason(await probe(server.url, spec, counter.n++));
  if (reason) return { ...base, status: 'skipped', note: reason };
  const background = s.background?.(ctx);
  const bgCounter = { n: 0 };
  if (background) {
    const bgReason = skipReason(await probe(server.url, background, bgCounter.n++));
    if (bgReason) return { ...base, status: 'skipped', note: `background load ${background.method} ${background.path}: ${bgReason}` };
  }
  const connections = s.connections ?? args.connections;
  if (args.warmupS > 0) await runLoad(server.url, spec, { durationS: args.warmupS, connections, counter });
  const notes = [s.note, connections !== args.connections ? `${connections} connections` : undefined];
  const rss = sampleRss(server.pid);
  if (s.paired) {
    // Rounds of the reference and this row back to back, the order swapped every round so
    // neither always runs first; the ratios are the medians of the rounds' (see PairedRound).
    const refSpec = referenceScenario.request(ctx);
    const refCounter = { n: 0 };
    const rounds = pairedRoundCount(args.durationS);
    const segment = args.durationS / rounds;
    const mine: LoadSummary[] = [];
    const theirs: LoadSummary[] = [];
    const pairedRounds: PairedRound[] = [];
    let myCpu = 0;
    let theirCpu = 0;
    for (let i = 0; i < rounds; i++) {
      const runReference = () => measuredLoad(servers.reference, refSpec, { durationS: segment, connections, counter: refCounter });
      const runMine = () => measuredLoad(server, spec, { durationS: segment, connections, counter });
      const referenceFirst = i % 2 === 0;
      const first = await (referenceFirst ? runReference() : runMine());
      const second = await (referenceFirst ? runMine() : runReference());
      const [r, m] = referenceFirst ? [first, second] : [second, first];
      theirs.push(r.load);
      mine.push(m.load);
      theirCpu += r.cpuS ?? Number.NaN;
      myCpu += m.cpuS ?? Number.NaN;
      pairedRounds.push({
        requestsPerSec: m.load.requestsPerSec,
        referenceRps: r.load.requestsPerSec,
        ...optional('cpuUsPerReq', cpuUsPerRequest(m.cpuS, m.load.requests)),
        ...optional('referenceCpuUs', cpuUsPerRequest(r.cpuS, r.load.requests)),
        ...(m.coreBusy.length > 0 ? { coreBusy: m.coreBusy } : {}),
        ...(r.coreBusy.length > 0 ? { referenceCoreBusy: r.coreBusy } : {}),
      });
    }
    const peak = rss.stop();
    const ref = mergeSegments(theirs);
    const own = mergeSegments(mine);
    const { rps, cpu } = roundRatios(pairedRounds);
    const range = (xs: number[] | undefined) => (xs && xs.length > 0 ? `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}` : '–');
    const refCpu = cpuUsPerRequest(Number.isNaN(theirCpu) ? undefined : theirCpu, ref.requests);
    const ownCpu = cpuUsPerRequest(Number.isNaN(myCpu) ? undefined : myCpu, own.requests);
    // The sums too, so a reader sees what the medians replaced.
    const summed =
      ownCpu !== undefined && refCpu
        ? `, summed ${(own.requestsPerSec / ref.requestsPerSec).toFixed(2)} and ${(ownCpu / refCpu).toFixed(2)}`
        : '';
    notes.push(
      `paired: ${rounds} rounds of ${segment.toFixed(1)} s with the reference (${Math.round(ref.requestsPerSec)} req/s); ` +
        `ratios are medians of rounds ranging × ref ${range(rps)}, CPU × ref ${range(cpu)}${summed}`,
      formatCoreBusy(pairedRounds),
    );
    return {
      ...base,
      status: 'ok',
      ...fromLoad(own),
      ...optional('cpuUsPerReq', ownCpu),
      pairedReferenceRps: ref.requestsPerSec,
      ...optional('pairedReferenceCpuUs', refCpu),
      pairedRounds,
      ...(peak !== undefined ? { rssMb: peak } : {}),
      note: notes.filter(Boolean).join('; '),
    };
  }
  const [main, bg] = await Promise.all([
    measuredLoad(server, spec, { durationS: args.durationS, connections, counter }),
    background
      ? runLoad(server.url, background, { durationS: args.durationS, connections: background.connections, counter: bgCounter })
      : undefined,
  ]);
  const peak = rss.stop();
  if (main.load.requests === 0) notes.push(`no request completed in ${args.durationS} s`);
  if (bg) notes.push(`background ${Math.round(bg.requestsPerSec)} req/s, p99 ${bg.p99Ms} ms, non-2xx ${bg.non2xx}`);
  return {
    ...base,
    status: 'ok',
    ...fromLoad(main.load),
    // with background load the server's CPU is shared, so a per-request figure would mislead
    ...(bg ? {} : optional('cpuUsPerReq', cpuUsPerRequest(main.cpuS, main.load.requests))),
    ...(peak !== undefined ? { rssMb: peak } : {}),
    note: notes.filter(Boolean).join('; '),
  };
}

async function runCustom(s: CustomScenario, args: BenchArgs, pinning: Pinning): Promise<ScenarioResult> {
  const r = await argon2Rate(Math.max(1, args.durationS), pinning.serverCpu);
  return {
    id: s.id,
    title: s.title,
    status: 'ok',
    requestsPerSec: r.perSec,
    p50Ms: r.p50Ms,
    p99Ms: r.p99Ms,
    ...(s.note ? { note: s.note } : {}),
  };
}

function selected(s: Scenario, only: string[]): boolean {
  return only.length === 0 || s.id.startsWith('reference') || only.some((o) => s.id.startsWith(o));
}

function machine() {
  const cpuList = cpus();
  return {
    cpus: cpuList.length || availableParallelism(),
    cpuModel: cpuList[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

async function main(): Promise<number> {
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof BenchArgsError) {
      log(`bench: ${err.message}\n${usage}`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const startedAt = new Date();
  const deadline = Date.now() + args.maxMinutes * 60_000;
  const host = machine(); // before pinning: afterwards this process sees one core
  const pinning = pinCores(args.pin);
  log(
    `roster bench: ${args.db}, ${args.users} users, ${args.warmupS}s warm-up + ${args.durationS}s per scenario, ${args.connections} connections; ` +
      (pinning.pinned
        ? `pinned: load generator on cpu ${pinning.loadCpu}, servers on cpu ${pinning.serverCpu}`
        : `not pinned (${pinning.reason})`),
  );

  const db = await createDatabase(args);
  const cleanup: (() => Promise<void>)[] = [() => db.drop()];
  let pgPinning: PostgresPinning | undefined;
  const onSignal = () => {
    stopAllChildren();
    pgPinning?.restore();
    void db.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const serverRoot = args.serverRoot ?? root;
    const entry = ensureBundle(serverRoot);
    let adminKey: string;
    let prepared: Prepared;
    if (args.reuse) {
      ({ adminKey, prepared } = JSON.parse(readFileSync(db.fixturesFile, 'utf8')) as { adminKey: string; prepared: Prepared });
      log(`reusing ${db.describe} (${prepared.fixtures.totalUsers} users, seeded earlier)`);
    } else {
      adminKey = generateApiKeySecret().secret;
      log(`seeding ${db.describe}`);
      prepared = await prepare(db, args, adminKey, serverRoot);
      log(
        `seeded ${prepared.fixtures.totalUsers} users in ${prepared.fixtures.seconds.toFixed(1)} s (migrations + bootstrap ${prepared.bootstrapS.toFixed(1)} s)`,
      );
      if (args.keep) writeFileSync(db.fixturesFile, JSON.stringify({ adminKey, prepared }));
    }
    const f: BenchFixtures = prepared.fixtures;

    // After seeding (which wants every core), before the servers connect.
    pgPinning = args.pinPostgres ? pinLocalPostgres(args.pgUrl, pinning) : undefined;
    if (pgPinning) {
      const restore = pgPinning.restore;
      cleanup.unshift(async () => restore());
      // Whatever ends the run, PostgreSQL gets its cores back (restore is idempotent and synchronous).
      process.once('exit', restore);
      log(
        pgPinning.pinned
          ? `PostgreSQL's ${pgPinning.processes} processes moved to cpu ${pinning.loadCpu}`
          : `PostgreSQL not pinned (${pgPinning.reason})`,
      );
    }

    const roster = await startProcess({
      args: [join(serverRoot, 'bin', 'roster.js'), 'serve'],
      env: {
        DATABASE_URL: db.url,
        LOG_LEVEL: 'warn',
        ROSTER_ADMIN_API_KEY: adminKey,
        // The bench measures the request path, not the limiter refusing it.
        RATE_LIMIT_PER_MINUTE: '1000000',
        PLANE_RATE_LIMIT_PER_MINUTE: '1000000',
      },
      readyPath: '/readyz',
      ...(pinning.serverCpu !== undefined ? { cpu: pinning.serverCpu } : {}),
      timeoutMs: 120_000,
    });
    cleanup.unshift(() => roster.stop());
    const idleRss = rssMb(roster.pid);
    log(`roster ready in ${roster.startupMs.toFixed(0)} ms (${entry}), RSS ${idleRss?.toFixed(0)} MB`);
    const reference = await startProcess({
      args: ['--import', 'tsx', join(root, 'bench', 'reference-server.ts')],
      env: { DATABASE_URL: db.url },
      readyPath: '/readyz',
      ...(pinning.serverCpu !== undefined ? { cpu: pinning.serverCpu } : {}),
      timeoutMs: 60_000,
    });
    cleanup.unshift(() => reference.stop());

    const ctx: BenchContext = {
      adminKey,
      userKey: (f.keys[0] as { secret: string }).secret,
      userId: (f.keys[0] as { userId: number }).userId,
      firstSeededId: f.firstSeededId,
      lastSeededId: f.lastSeededId,
      largeOrg: f.largeOrg,
      smallOrg: f.smallOrg,
      loginUsers: f.loginUsers,
      loginPassword: LOGIN_PASSWORD,
      deepCursorById: prepared.deepCursorById,
      deepCursorByCreated: prepared.deepCursorByCreated,
      deepOffset: Math.floor(f.totalUsers * 0.9),
      searchTerm: 'maria',
      runTag: startedAt.getTime().toString(36),
    };
    try {
      ctx.oauth = await prepareOAuth(roster.url, adminKey, ctx.runTag);
    } catch (err) {
      // A server without the OAuth provider (--server-root of an older checkout): those rows are skipped.
      log(`oauth setup skipped: ${(err as Error).message.slice(0, 120)}`);
    }

    const results: ScenarioResult[] = [];
    for (const s of scenarios) {
      if (!selected(s, args.only)) continue;
      // Keep time for the closing reference row: it shows how far the machine drifted.
      const need = (args.warmupS + args.durationS + 3) * 1000;
      const reserve = s.id === 'reference.me.end' ? 0 : need;
      if (Date.now() + need + reserve > deadline) {
        results.push({ id: s.id, title: s.title, status: 'skipped', note: `time budget of ${args.maxMinutes} min used up` });
        continue;
      }
      log(`▸ ${s.id}: ${s.title}`);
      const r = 'custom' in s ? await runCustom(s, args, pinning) : await runHttp(s, ctx, { roster, reference }, args);
      if (r.status === 'skipped') log(`  skipped: ${r.note}`);
      const waited = await drain(roster, 120);
      if (waited > 1) r.note = [r.note, `server busy ${waited.toFixed(0)} s after the run`].filter(Boolean).join('; ');
      results.push(r);
      if (rssMb(roster.pid) === undefined) throw new Error(`the server died during ${s.id}:\n${roster.output()}`);
    }

    const rows = withRatios(results);
    const peakRssMb = rows.reduce<number | undefined>((m, r) => (r.rssMb !== undefined ? Math.max(m ?? 0, r.rssMb) : m), undefined);
    const verdicts = evaluateTargets(targets, rows, { peakRssMb });
    const report = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: host,
      args,
      pinning,
      ...(pgPinning ? { postgresPinning: { pinned: pgPinning.pinned, processes: pgPinning.processes, reason: pgPinning.reason } } : {}),
      database: args.db,
      seed: { users: f.totalUsers, seconds: f.seconds, bootstrapSeconds: prepared.bootstrapS, largeOrg: f.largeOrg, smallOrg: f.smallOrg },
      servers: {
        roster: { entry, startupMs: roster.startupMs, idleRssMb: idleRss, peakRssMb },
        reference: { startupMs: reference.startupMs },
      },
      scenarios: rows,
      targets: verdicts,
    };
    const outDir = join(root, 'bench', 'results');
    mkdirSync(outDir, { recursive: true });
    const outFile = join(outDir, `${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);

    const header = [
      `Roster bench ${startedAt.toISOString()}: ${args.db}, ${f.totalUsers} users (seeded in ${f.seconds.toFixed(1)} s)`,
      `machine: ${host.cpus} cores (${host.cpuModel}), ${host.memoryGiB} GiB, Node ${host.node}, load average at start ${host.loadAverage.join(' ')}`,
      pinning.pinned
        ? `pinned: server and reference on cpu ${pinning.serverCpu}, load generator on cpu ${pinning.loadCpu} (taskset)`
        : `not pinned: ${pinning.reason}`,
      ...(pgPinning
        ? [pgPinning.pinned ? `PostgreSQL pinned to cpu ${pinning.loadCpu} (--pin-postgres)` : `PostgreSQL not pinned: ${pgPinning.reason}`]
        : []),
      `server: ${entry}, ready in ${roster.startupMs.toFixed(0)} ms, RSS ${idleRss?.toFixed(0) ?? '?'} MB idle, ${peakRssMb?.toFixed(0) ?? '?'} MB peak under load; reference ready in ${reference.startupMs.toFixed(0)} ms`,
      `each scenario: ${args.warmupS} s warm-up, ${args.durationS} s measured, ${args.connections} connections unless noted; × ref = req/s ÷ mean reference req/s`,
    ];
    process.stdout.write(`\n${header.join('\n')}\n\n${formatTable(rows)}\n\n${formatTargets(verdicts)}\n\nresults: ${outFile}\n`);
    return 0;
  } finally {
    for (const step of cleanup) await step().catch((err) => log(`cleanup: ${(err as Error).message}`));
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    stopAllChildren();
    log(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
