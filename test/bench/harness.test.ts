/** The bench harness's pure parts: arguments, ratios, table, targets, probes, data. No timing. */
import { describe, expect, it } from 'vitest';
import { BenchArgsError, parseBenchArgs } from '../../bench/args.ts';
import { nthRequest, skipReason } from '../../bench/load.ts';
import { person } from '../../bench/people.ts';
import { affinityMask, coreBusyShares, coreTimes } from '../../bench/processes.ts';
import { renderBar } from '../../bench/progress.ts';
import {
  evaluateTargets,
  formatCoreBusy,
  formatTable,
  formatTargets,
  median,
  mergeSegments,
  pairedRoundCount,
  referenceRate,
  roundRatios,
  type ScenarioResult,
  withRatios,
} from '../../bench/report.ts';
import { scenarios, spreadId, targets } from '../../bench/scenarios.ts';
import { defaultSeedOptions } from '../../bench/seed.ts';
import { prng } from '../../src/storage/prng.ts';

const ok = (id: string, rps: number, extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  id,
  title: id,
  status: 'ok',
  requestsPerSec: rps,
  p50Ms: 1,
  p99Ms: 2,
  ...extra,
});

describe('bench arguments', () => {
  it('defaults to a full SQLite run of one million users, pinned', () => {
    const a = parseBenchArgs([]);
    expect(a).toMatchObject({
      db: 'sqlite',
      users: 1_000_000,
      quick: false,
      durationS: 10,
      warmupS: 2,
      connections: 10,
      pin: true,
      keep: false,
    });
    expect(a.pgUrl).toBe('postgres://postgres@127.0.0.1:5432/test');
  });

  it('--reuse names a kept database and implies --keep', () => {
    expect(parseBenchArgs(['--reuse', '/tmp/x/bench.db'])).toMatchObject({ reuse: '/tmp/x/bench.db', keep: true });
    expect(parseBenchArgs([]).reuse).toBeUndefined();
  });

  it('--quick means 100k users and short runs, each overridable', () => {
    expect(parseBenchArgs(['--quick'])).toMatchObject({ users: 100_000, durationS: 2.5, warmupS: 0.5, maxMinutes: 2 });
    expect(parseBenchArgs(['--quick', '--users', '5000', '--duration', '1'])).toMatchObject({ users: 5000, durationS: 1 });
  });

  it('accepts 1_000_000 and 1e6, --db postgres, --only lists and --no-pin', () => {
    expect(parseBenchArgs(['--users', '1_000_000']).users).toBe(1_000_000);
    expect(parseBenchArgs(['--users', '1e6']).users).toBe(1_000_000);
    const a = parseBenchArgs(['--db', 'postgres', '--only', 'native.me, native.list', '--no-pin']);
    expect(a).toMatchObject({ db: 'postgres', only: ['native.me', 'native.list'], pin: false, serverRoot: undefined });
    expect(parseBenchArgs(['--server-root', '/srv/roster']).serverRoot).toBe('/srv/roster');
  });

  it('--pin-postgres is opt-in, and only with PostgreSQL and pinned cores', () => {
    expect(parseBenchArgs(['--db', 'postgres']).pinPostgres).toBe(false);
    expect(parseBenchArgs(['--db', 'postgres', '--pin-postgres']).pinPostgres).toBe(true);
    expect(() => parseBenchArgs(['--pin-postgres'])).toThrow(/--db postgres/);
    expect(() => parseBenchArgs(['--db', 'postgres', '--pin-postgres', '--no-pin'])).toThrow(/--no-pin/);
  });

  it('refuses bad values with a message naming the option', () => {
    expect(() => parseBenchArgs(['--db', 'mysql'])).toThrow(/--db/);
    expect(() => parseBenchArgs(['--users', '0'])).toThrow(/--users/);
    expect(() => parseBenchArgs(['--users', '1.5'])).toThrow(BenchArgsError);
    expect(() => parseBenchArgs(['--duration', 'soon'])).toThrow(/--duration/);
    expect(() => parseBenchArgs(['--pg-url', 'mysql://x'])).toThrow(/--pg-url/);
    expect(() => parseBenchArgs(['--frobnicate'])).toThrow(BenchArgsError);
  });
});

describe('cores and affinity', () => {
  it("reads the mask from taskset's answer", () => {
    expect(affinityMask("pid 4711's current affinity mask: 3\n")).toBe('3');
    expect(affinityMask("pid 12's current affinity mask: ff,ffffffff")).toBe('ff,ffffffff');
    expect(affinityMask('taskset: failed to get pid 1 affinity')).toBeUndefined();
  });

  it("gives each core's busy share between two /proc/stat readings, idle and iowait counting as not busy", () => {
    const before = coreTimes('cpu  10 0 10 80 0 0 0 0 0 0\ncpu0 5 0 5 40 0 0 0 0 0 0\ncpu1 5 0 5 40 0 0 0 0 0 0\nintr 1 2\n');
    // cpu0: 60 more busy (user 40, system 10, softirq 10) of 100; cpu1: 20 busy, 70 idle, 10 iowait
    const after = coreTimes('cpu  0\ncpu0 45 0 15 80 0 0 10 0 0 0\ncpu1 20 0 10 110 10 0 0 0 0 0\n');
    const shares = coreBusyShares(before, after);
    expect(shares[0]).toBeCloseTo(0.6);
    expect(shares[1]).toBeCloseTo(0.2);
    expect(coreBusyShares([], after)).toEqual([0, 0]);
  });

  it("says how busy each core was in a paired row's runs and the reference's, or nothing without every reading", () => {
    const round = (own: number[], ref: number[]) => ({ requestsPerSec: 1, referenceRps: 1, coreBusy: own, referenceCoreBusy: ref });
    expect(formatCoreBusy([round([0.8, 0.7], [0.9, 0.9]), round([0.82, 0.84], [0.78, 0.96])])).toBe(
      'cores busy: cpu0 81 % cpu1 77 %, reference 84 % 93 %',
    );
    expect(formatCoreBusy([round([0.8, 0.7], [0.9, 0.9]), { requestsPerSec: 1, referenceRps: 1 }])).toBe('');
    expect(formatCoreBusy([])).toBe('');
  });
});

describe('ratios to the reference', () => {
  it('divides by the mean of the reference rows', () => {
    const rows = [ok('reference.me', 1000), ok('native.me', 600), ok('reference.me.end', 800)];
    expect(referenceRate(rows)).toBe(900);
    const r = withRatios(rows);
    expect(r[1]?.ratio).toBeCloseTo(600 / 900);
  });

  it('uses the paired reference rate when the row has one', () => {
    const r = withRatios([ok('reference.me', 1000), ok('native.me', 600, { pairedReferenceRps: 750 })]);
    expect(r[1]?.ratio).toBeCloseTo(0.8);
  });

  it('divides CPU per request by the reference, paired or run-wide', () => {
    const r = withRatios([
      ok('reference.me', 1000, { cpuUsPerReq: 200 }),
      ok('native.me', 600, { cpuUsPerReq: 300, pairedReferenceCpuUs: 250 }),
      ok('native.list.first', 100, { cpuUsPerReq: 1000 }),
    ]);
    expect(r[1]?.cpuRatio).toBeCloseTo(1.2);
    expect(r[2]?.cpuRatio).toBeCloseTo(5);
  });

  it("takes a paired row's ratios as the medians of its rounds, so one disturbed round does not move them", () => {
    const round = (rps: number, refRps: number, cpu: number, refCpu: number) => ({
      requestsPerSec: rps,
      referenceRps: refRps,
      cpuUsPerReq: cpu,
      referenceCpuUs: refCpu,
    });
    const rounds = [round(900, 1000, 110, 100), round(300, 1000, 400, 100), round(950, 1000, 105, 100), round(880, 1000, 112, 100)];
    // the summed rows alone would say 0.76 and 1.82
    const [, row] = withRatios([
      ok('reference.me', 1000),
      ok('native.me', 757, { cpuUsPerReq: 182, pairedReferenceCpuUs: 100, pairedRounds: rounds }),
    ]);
    expect(row?.ratio).toBeCloseTo((0.88 + 0.9) / 2);
    expect(row?.cpuRatio).toBeCloseTo((1.1 + 1.12) / 2);
  });

  it('gives a paired row no CPU ratio when a round lacks a CPU reading, and counts rounds of about 2 s', () => {
    const ratios = roundRatios([
      { requestsPerSec: 500, referenceRps: 1000, cpuUsPerReq: 120, referenceCpuUs: 100 },
      { requestsPerSec: 400, referenceRps: 1000 },
    ]);
    expect(ratios.rps).toEqual([0.5, 0.4]);
    expect(ratios.cpu).toBeUndefined();
    expect([pairedRoundCount(2.5), pairedRoundCount(10), pairedRoundCount(20)]).toEqual([3, 5, 10]);
    expect([median([3, 1, 2]), median([4, 1, 2, 3]), median([])]).toEqual([2, 2.5, undefined]);
  });

  it('leaves skipped rows and runs without a reference without a ratio', () => {
    const skipped: ScenarioResult = { id: 'plane.me', title: 'x', status: 'skipped', note: 'not served yet' };
    expect(withRatios([ok('reference.me', 1000), skipped])[1]?.ratio).toBeUndefined();
    expect(withRatios([ok('native.me', 10)])[0]?.ratio).toBeUndefined();
  });

  it('merges segments: req/s over the summed time, p50 weighted by requests, worst p99', () => {
    const m = mergeSegments([
      { requestsPerSec: 100, p50Ms: 10, p99Ms: 30, requests: 100, errors: 0, non2xx: 1, seconds: 1 },
      { requestsPerSec: 300, p50Ms: 2, p99Ms: 50, requests: 300, errors: 2, non2xx: 0, seconds: 1 },
    ]);
    expect(m).toEqual({ requestsPerSec: 200, p50Ms: 4, p99Ms: 50, requests: 400, errors: 2, non2xx: 1 });
  });
});

describe('the table', () => {
  it('prints one aligned Markdown row per scenario, skips with their reason', () => {
    const text = formatTable(
      withRatios([
        ok('reference.me', 1000.4, { errors: 0, non2xx: 0, rssMb: 80.2, cpuUsPerReq: 400 }),
        ok('native.me', 750, { p50Ms: 12.345, p99Ms: 250.5, cpuUsPerReq: 600 }),
        { id: 'plane.me', title: 'x', status: 'skipped', note: 'not served yet' },
      ]),
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(5);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(
      /^\| scenario +\| req\/s \| p50 ms \| p99 ms \| errors \| non-2xx \| × ref \| CPU µs\/req \| CPU × ref \| RSS MB \| note/,
    );
    expect(lines[2]).toMatch(/\| reference\.me +\| +1000 \| +1\.00 \| +2\.00 \| +0 \| +0 \| +1\.00 \| +400 \| +1\.00 \| +80 \|/);
    expect(lines[3]).toMatch(/\| native\.me +\| +750 \| +12\.3 \| +251 \|.*\| +0\.75 \| +600 \| +1\.50 \|/);
    expect(lines[4]).toContain('skipped: not served yet');
  });
});

describe('targets', () => {
  it('says met, missed or not measured', () => {
    const rows = withRatios([
      ok('reference.me', 1000),
      ok('native.me', 800),
      ok('native.list.filter', 50, { p99Ms: 35 }),
      ok('native.list.first', 100, { p50Ms: 4 }),
      ok('native.list.deep-cursor', 100, { p50Ms: 5 }),
    ]);
    const byName = Object.fromEntries(evaluateTargets(targets, rows, { peakRssMb: 120 }).map((v) => [v.name, v]));
    expect(byName['/v1/users/me vs reference (req/s)']).toMatchObject({ verdict: 'met', value: 0.8 });
    expect(byName['API-key auth overhead: reference req/s ÷ /v1/users/me req/s']).toMatchObject({ verdict: 'missed', value: 1.25 });
    expect(byName['filtered list page p99 (ms)']).toMatchObject({ verdict: 'missed', value: 35 });
    expect(byName['deep cursor page p50 ÷ first page p50']).toMatchObject({ verdict: 'met', value: 1.25 });
    expect(byName['server RSS peak under load (MB)']).toMatchObject({ verdict: 'met' });
    expect(byName['Plane /api/v1/users/me/ vs reference (req/s)']).toMatchObject({ verdict: 'not measured', value: undefined });
  });

  it('counts a row where no request completed as a miss, not as 0 ms', () => {
    const timedOut: ScenarioResult = { id: 'native.list.filter', title: 'x', status: 'ok', requestsPerSec: 0, requests: 0, errors: 2 };
    const [v] = evaluateTargets(
      targets.filter((t) => t.name === 'filtered list page p99 (ms)'),
      [timedOut],
      { peakRssMb: undefined },
    );
    expect(v).toMatchObject({ verdict: 'missed', value: Number.POSITIVE_INFINITY });
    expect(formatTargets(v ? [v] : [])).toContain('timed out');
  });
});

describe('probes', () => {
  it('skips 404 and 405 as not served yet, other failures with the answer, runs 2xx', () => {
    expect(skipReason({ status: 200, excerpt: '' })).toBeUndefined();
    expect(skipReason({ status: 201, excerpt: '' })).toBeUndefined();
    expect(skipReason({ status: 404, excerpt: 'Not Found' })).toBe('not served yet');
    expect(skipReason({ status: 405, excerpt: '' })).toBe('not served yet');
    expect(skipReason({ status: 400, excerpt: '{"code":"VALIDATION_FAILED"}' })).toBe('probe answered 400: {"code":"VALIDATION_FAILED"}');
    expect(skipReason({ status: 0, excerpt: 'ECONNREFUSED' })).toContain('no answer');
  });

  it('varies path and body per request number', () => {
    const spec = { method: 'POST' as const, path: '/v1/users', headers: {}, vary: (n: number) => ({ body: { email: `u${n}@x.io` } }) };
    expect(nthRequest(spec, 7)).toEqual({ path: '/v1/users', body: '{"email":"u7@x.io"}' });
    expect(nthRequest({ method: 'GET', path: '/a', headers: {} }, 3)).toEqual({ path: '/a' });
  });
});

describe('the scenario table', () => {
  it('has unique ids, starts and ends with the reference, and keeps ids of spread users in range', () => {
    const ids = scenarios.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toBe('reference.me');
    expect(ids[ids.length - 1]).toBe('reference.me.end');
    for (let n = 0; n < 300; n++) {
      const id = spreadId({ firstSeededId: 2, lastSeededId: 1001 }, n);
      expect(id).toBeGreaterThanOrEqual(2);
      expect(id).toBeLessThanOrEqual(1001);
    }
  });

  it('every target names scenarios that exist', () => {
    const known = new Set(scenarios.map((s) => s.id));
    const asked = new Set<string>();
    const record = (id: string) => {
      asked.add(id);
      return undefined;
    };
    for (const t of targets) t.measure(record, { peakRssMb: undefined });
    for (const id of asked) expect(known.has(id), id).toBe(true);
  });
});

describe('seed data', () => {
  it('is deterministic, unique by number, and lower-case in emails and usernames', () => {
    const a = prng(42);
    const b = prng(42);
    const p1 = person(1, a, 0);
    expect(person(1, b, 0)).toEqual(p1);
    expect(p1.email).toBe(p1.email.toLowerCase());
    expect(p1.email.startsWith(`${p1.username}@`)).toBe(true);
    const r = prng(1);
    const names = new Set(Array.from({ length: 5000 }, (_, i) => person(i + 1, r, 0).username));
    expect(names.size).toBe(5000);
  });

  it('sizes organizations from the user count: one holds 10 % of users', () => {
    expect(defaultSeedOptions(1_000_000, 'pw')).toMatchObject({ orgs: 100, largeOrgMembers: 100_000, membersPerOrg: 50 });
    expect(defaultSeedOptions(10, 'pw')).toMatchObject({ orgs: 2, largeOrgMembers: 1, membersPerOrg: 2, apiKeyUsers: 1 });
  });

  it('draws a bar', () => {
    expect(renderBar('users', 50, 100, 2)).toBe('users        [###############...............]  50% 50/100 2.0s 25/s');
  });
});
