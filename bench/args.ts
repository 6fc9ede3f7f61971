/** `npm run bench -- [options]`: parsing and defaults, no I/O (unit-tested). */
import { parseArgs } from 'node:util';

export interface BenchArgs {
  db: 'sqlite' | 'postgres';
  users: number;
  quick: boolean;
  /** measured seconds per scenario */
  durationS: number;
  /** unmeasured seconds before each */
  warmupS: number;
  connections: number;
  /** scenario ids (or id prefixes) to run; empty: all */
  only: string[];
  /** keep the seeded database after the run */
  keep: boolean;
  /** a database kept by an earlier `--keep` run (SQLite file or PostgreSQL database name): no seeding */
  reuse: string | undefined;
  /** PostgreSQL server; the bench creates and drops its own database there */
  pgUrl: string;
  /** pin server and load generator to different cores (when taskset exists) */
  pin: boolean;
  /** move a local PostgreSQL's processes onto the load generator's core for the run */
  pinPostgres: boolean;
  /** the checkout whose server is measured (default: this one) */
  serverRoot: string | undefined;
  /** time budget for the whole run; scenarios that would not fit are skipped, not run */
  maxMinutes: number;
  help: boolean;
}

export class BenchArgsError extends Error {}

export const usage = `usage: npm run bench -- [options]
  --db sqlite|postgres   database to seed and serve from (default sqlite)
  --users N              users to seed (default 1000000; 100000 with --quick); 1_000_000 and 1e6 work
  --quick                100k users, short runs: the whole run in under 2 minutes
  --duration S           measured seconds per scenario (default 10; 2.5 with --quick)
  --warmup S             unmeasured seconds before each scenario (default 2; 0.5 with --quick)
  --connections N        concurrent connections (default 10)
  --only a,b             run only scenarios whose id starts with one of these (reference always runs)
  --keep                 keep the seeded database (its path is printed) and its fixtures
  --reuse DB             measure a database kept by an earlier --keep run (the printed SQLite file
                         or PostgreSQL database name) instead of seeding; implies --keep
  --pg-url URL           PostgreSQL server (default postgres://postgres@127.0.0.1:5432/test)
  --no-pin               do not pin server and load generator to separate cores
  --pin-postgres         with --db postgres on this machine: move PostgreSQL's processes onto the
                         load generator's core for the run (restored after), so the servers' core
                         runs the servers alone, as with the database on another host; needs the
                         right to change their affinity (root or the postgres user)
  --server-root DIR      measure the server of another checkout (its migrations, bootstrap and
                         bin/roster.js); the harness and seeder stay this one's
  --max-minutes M        time budget for the whole run (default 20; 2 with --quick): scenarios that
                         would not fit are skipped and say so
  --help`;

function positiveNumber(name: string, raw: string, integer: boolean): number {
  const n = Number(raw.replace(/_/g, ''));
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new BenchArgsError(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export function parseBenchArgs(argv: string[]): BenchArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: argv,
      options: {
        db: { type: 'string', default: 'sqlite' },
        users: { type: 'string' },
        quick: { type: 'boolean', default: false },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string' },
        only: { type: 'string' },
        keep: { type: 'boolean', default: false },
        reuse: { type: 'string' },
        'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
        'no-pin': { type: 'boolean', default: false },
        'pin-postgres': { type: 'boolean', default: false },
        'server-root': { type: 'string' },
        'max-minutes': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new BenchArgsError((err as Error).message);
  }
  const db = values.db as string;
  if (db !== 'sqlite' && db !== 'postgres') throw new BenchArgsError(`--db must be sqlite or postgres, got ${JSON.stringify(db)}`);
  const quick = values.quick === true;
  const str = (k: string) => values[k] as string | undefined;
  const pgUrl = str('pg-url') as string;
  if (!/^postgres(ql)?:\/\//.test(pgUrl)) throw new BenchArgsError(`--pg-url must be a postgres:// URL`);
  if (values['pin-postgres'] === true && db !== 'postgres') throw new BenchArgsError('--pin-postgres needs --db postgres');
  if (values['pin-postgres'] === true && values['no-pin'] === true)
    throw new BenchArgsError('--pin-postgres needs pinned cores (drop --no-pin)');
  return {
    db,
    quick,
    users: str('users') !== undefined ? positiveNumber('users', str('users') as string, true) : quick ? 100_000 : 1_000_000,
    durationS: str('duration') !== undefined ? positiveNumber('duration', str('duration') as string, false) : quick ? 2.5 : 10,
    warmupS: str('warmup') !== undefined ? positiveNumber('warmup', str('warmup') as string, false) : quick ? 0.5 : 2,
    connections: str('connections') !== undefined ? positiveNumber('connections', str('connections') as string, true) : 10,
    only: (str('only') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    keep: values.keep === true || str('reuse') !== undefined,
    reuse: str('reuse'),
    pgUrl,
    pin: values['no-pin'] !== true,
    pinPostgres: values['pin-postgres'] === true,
    serverRoot: str('server-root'),
    maxMinutes: str('max-minutes') !== undefined ? positiveNumber('max-minutes', str('max-minutes') as string, false) : quick ? 2 : 20,
    help: values.help === true,
  };
}
