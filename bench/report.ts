/** Results: ratios to the reference, the stdout table, the targets verdicts. Pure (unit-tested). */

export interface ScenarioResult {
  id: string;
  title: string;
  status: 'ok' | 'skipped';
  /** why skipped, or what to know when reading the row */
  note?: string;
  requestsPerSec?: number;
  p50Ms?: number;
  p99Ms?: number;
  requests?: number;
  /** connection errors and timeouts (autocannon counts both) */
  errors?: number;
  non2xx?: number;
  /**
   * the server's CPU time (user + system) per completed request, in µs: the work a request costs,
   * independent of how many requests were in flight (it still drifts when other processes
   * contend for the same core's caches)
   */
  cpuUsPerReq?: number;
  /** the server's largest RSS sampled during the measured run */
  rssMb?: number;
  /**
   * For rows measured in alternation with the reference (paired), the reference's req/s over the
   * same stretch of time: their ratio uses it instead of the run-wide reference rate.
   */
  pairedReferenceRps?: number;
  /** the same for CPU µs per request */
  pairedReferenceCpuUs?: number;
  /**
   * Paired rows' rounds, each the scenario and the reference measured back to back. Their ratios
   * are the medians of the per-round ratios: this machine swings a whole run by ±15 %, a round
   * much less, and one noisy round moves a median not at all where it moves a sum.
   */
  pairedRounds?: PairedRound[];
  /** requests/s divided by the reference's (for paired rows the median over the rounds) */
  ratio?: number;
  /** CPU µs per request divided by the reference's (1.15 = 15 % more work per request) */
  cpuRatio?: number;
}

/** One round of a paired row. */
export interface PairedRound {
  requestsPerSec: number;
  referenceRps: number;
  cpuUsPerReq?: number;
  referenceCpuUs?: number;
  /** each core's busy share (0–1) while this row ran, and while the reference ran */
  coreBusy?: number[];
  referenceCoreBusy?: number[];
}

/**
 * How busy each core was, on average over the rounds, while the row ran and while the
 * reference ran, e.g. `cores busy: cpu0 81 % cpu1 77 %, reference 84 % 93 %`; empty without readings.
 */
export function formatCoreBusy(rounds: readonly PairedRound[]): string {
  const mean = (pick: (r: PairedRound) => number[] | undefined) => {
    const readings = rounds.map(pick).filter((c): c is number[] => c !== undefined && c.length > 0);
    if (readings.length !== rounds.length || readings.length === 0) return undefined;
    const cores = Math.min(...readings.map((c) => c.length));
    return Array.from({ length: cores }, (_, i) => readings.reduce((s, c) => s + (c[i] as number), 0) / readings.length);
  };
  const own = mean((r) => r.coreBusy);
  const ref = mean((r) => r.referenceCoreBusy);
  if (!own || !ref) return '';
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  return `cores busy: ${own.map((x, i) => `cpu${i} ${pct(x)}`).join(' ')}, reference ${ref.map(pct).join(' ')}`;
}

export const median = (xs: readonly number[]): number | undefined => {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Rounds of about 2 s (at least 3): long enough that connecting is noise, short enough for several. */
export const pairedRoundCount = (durationS: number) => Math.max(3, Math.round(durationS / 2));

/** Per-round ratios of a paired row: req/s ÷ the reference's, and CPU ÷ the reference's where every round has both. */
export function roundRatios(rounds: readonly PairedRound[]): { rps: number[]; cpu: number[] | undefined } {
  const rps = rounds.filter((r) => r.referenceRps > 0).map((r) => r.requestsPerSec / r.referenceRps);
  const withCpu = rounds.filter((r) => r.cpuUsPerReq !== undefined && (r.referenceCpuUs ?? 0) > 0);
  const cpu = withCpu.length === rounds.length ? withCpu.map((r) => (r.cpuUsPerReq as number) / (r.referenceCpuUs as number)) : undefined;
  return { rps, cpu };
}

/** Reference rows are the ones whose id starts with `reference`; their mean req/s is the denominator. */
export function referenceRate(results: readonly ScenarioResult[]): number | undefined {
  const refs = results.filter((r) => r.id.startsWith('reference') && r.status === 'ok' && (r.requestsPerSec ?? 0) > 0);
  if (refs.length === 0) return undefined;
  return refs.reduce((s, r) => s + (r.requestsPerSec as number), 0) / refs.length;
}

/** Mean CPU µs per request of the reference rows. */
export function referenceCpu(results: readonly ScenarioResult[]): number | undefined {
  const refs = results.filter((r) => r.id.startsWith('reference') && r.status === 'ok' && (r.cpuUsPerReq ?? 0) > 0);
  if (refs.length === 0) return undefined;
  return refs.reduce((s, r) => s + (r.cpuUsPerReq as number), 0) / refs.length;
}

export function withRatios(results: readonly ScenarioResult[]): ScenarioResult[] {
  const runWideRate = referenceRate(results);
  const runWideCpu = referenceCpu(results);
  return results.map((r) => {
    const out = { ...r };
    if (r.status !== 'ok') return out;
    if (r.pairedRounds && r.pairedRounds.length > 0) {
      const { rps, cpu } = roundRatios(r.pairedRounds);
      const rpsMedian = median(rps);
      const cpuMedian = cpu && median(cpu);
      if (rpsMedian !== undefined) out.ratio = rpsMedian;
      if (cpuMedian !== undefined) out.cpuRatio = cpuMedian;
      return out;
    }
    const rate = r.pairedReferenceRps ?? runWideRate;
    if (rate !== undefined && rate > 0 && r.requestsPerSec !== undefined) out.ratio = r.requestsPerSec / rate;
    const cpu = r.pairedReferenceCpuUs ?? runWideCpu;
    if (cpu !== undefined && cpu > 0 && r.cpuUsPerReq !== undefined) out.cpuRatio = r.cpuUsPerReq / cpu;
    return out;
  });
}

/** Several measured segments of one scenario as one row: req/s over the summed time, p50 weighted by requests, worst p99. */
export function mergeSegments(
  segments: readonly {
    requestsPerSec: number;
    p50Ms: number;
    p99Ms: number;
    requests: number;
    errors: number;
    non2xx: number;
    seconds: number;
  }[],
) {
  const seconds = segments.reduce((s, x) => s + x.seconds, 0);
  const requests = segments.reduce((s, x) => s + x.requests, 0);
  return {
    requestsPerSec: seconds > 0 ? requests / seconds : 0,
    p50Ms: requests > 0 ? segments.reduce((s, x) => s + x.p50Ms * x.requests, 0) / requests : 0,
    p99Ms: Math.max(0, ...segments.map((x) => x.p99Ms)),
    requests,
    errors: segments.reduce((s, x) => s + x.errors, 0),
    non2xx: segments.reduce((s, x) => s + x.non2xx, 0),
  };
}

const fmtMs = (v: number | undefined) => (v === undefined ? '' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));
const fmtInt = (v: number | undefined) => (v === undefined ? '' : String(Math.round(v)));

const columns: { head: string; right: boolean; cell: (r: ScenarioResult) => string }[] = [
  { head: 'scenario', right: false, cell: (r) => r.id },
  { head: 'req/s', right: true, cell: (r) => fmtInt(r.requestsPerSec) },
  { head: 'p50 ms', right: true, cell: (r) => fmtMs(r.p50Ms) },
  { head: 'p99 ms', right: true, cell: (r) => fmtMs(r.p99Ms) },
  { head: 'errors', right: true, cell: (r) => fmtInt(r.errors) },
  { head: 'non-2xx', right: true, cell: (r) => fmtInt(r.non2xx) },
  { head: '× ref', right: true, cell: (r) => (r.ratio === undefined ? '' : r.ratio.toFixed(2)) },
  { head: 'CPU µs/req', right: true, cell: (r) => fmtInt(r.cpuUsPerReq) },
  { head: 'CPU × ref', right: true, cell: (r) => (r.cpuRatio === undefined ? '' : r.cpuRatio.toFixed(2)) },
  { head: 'RSS MB', right: true, cell: (r) => fmtInt(r.rssMb) },
  { head: 'note', right: false, cell: (r) => (r.status === 'skipped' ? `skipped: ${r.note ?? ''}` : (r.note ?? '')) },
];

/** A plain-text table (also valid Markdown), one row per scenario, in run order. */
export function formatTable(results: readonly ScenarioResult[]): string {
  const cells = results.map((r) => columns.map((c) => c.cell(r)));
  const widths = columns.map((c, i) => Math.max(c.head.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]) =>
    `| ${row.map((v, i) => ((columns[i] as (typeof columns)[number]).right ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => ((columns[i] as (typeof columns)[number]).right ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(columns.map((c) => c.head)), rule, ...cells.map(line)].join('\n');
}

export interface Target {
  name: string;
  /** the issue that sets it */
  source: string;
  /** what is wanted, as text, e.g. `≥ 0.70` */
  wants: string;
  /** undefined when a scenario it needs did not run */
  measure: (get: (id: string) => ScenarioResult | undefined, run: { peakRssMb: number | undefined }) => number | undefined;
  pass: (value: number) => boolean;
  unit?: string;
}

export interface TargetVerdict {
  name: string;
  source: string;
  wants: string;
  value: number | undefined;
  verdict: 'met' | 'missed' | 'not measured';
}

export function evaluateTargets(
  targets: readonly Target[],
  results: readonly ScenarioResult[],
  run: { peakRssMb: number | undefined },
): TargetVerdict[] {
  const get = (id: string) => results.find((r) => r.id === id && r.status === 'ok');
  return targets.map((t) => {
    const value = t.measure(get, run);
    // Infinity stands for "no request completed": a measurement, and a miss for any upper bound.
    const verdict = value === undefined || Number.isNaN(value) ? 'not measured' : t.pass(value) ? 'met' : 'missed';
    return { name: t.name, source: t.source, wants: t.wants, value: verdict === 'not measured' ? undefined : value, verdict };
  });
}

export function formatTargets(verdicts: readonly TargetVerdict[]): string {
  const rows = verdicts.map((v) => [
    v.name,
    v.source,
    v.wants,
    v.value === undefined
      ? '–'
      : v.value === Number.POSITIVE_INFINITY
        ? 'timed out'
        : Math.abs(v.value) >= 100
          ? v.value.toFixed(0)
          : v.value.toFixed(2),
    v.verdict,
  ]);
  const head = ['target', 'from', 'wants', 'measured', 'verdict'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]) => `| ${r.map((v, i) => v.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
