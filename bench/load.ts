/** One HTTP load run with autocannon, and the single probe that decides whether a route is served. */
import autocannon from 'autocannon';
import { coreBusyShares, coreTimes, cpuSeconds } from './processes.ts';

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  headers: Record<string, string>;
  /** JSON body (sent with content-type application/json) */
  body?: unknown;
  /** a form body instead (application/x-www-form-urlencoded: the OAuth token endpoint) */
  form?: Record<string, string>;
  /** A fresh path or body per request (unique emails, rotating ids); `n` counts from 0. */
  vary?: (n: number) => { path?: string; body?: unknown };
}

export interface LoadSummary {
  /** measured seconds (autocannon's own clock) */
  seconds: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
}

function headersOf(spec: RequestSpec): Record<string, string> {
  if (spec.form) return { 'content-type': 'application/x-www-form-urlencoded', ...spec.headers };
  return spec.body !== undefined || spec.vary ? { 'content-type': 'application/json', ...spec.headers } : spec.headers;
}

/** The request `vary` makes for `n`, or the spec itself. */
export function nthRequest(spec: RequestSpec, n: number): { path: string; body?: string } {
  if (spec.form) return { path: spec.path, body: new URLSearchParams(spec.form).toString() };
  const v = spec.vary?.(n) ?? {};
  const body = v.body ?? spec.body;
  return { path: v.path ?? spec.path, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) };
}

export interface ProbeResult {
  status: number;
  excerpt: string;
}

/** One request, to learn whether the route exists and answers 2xx before spending seconds on it. */
export async function probe(baseUrl: string, spec: RequestSpec, n: number): Promise<ProbeResult> {
  const req = nthRequest(spec, n);
  try {
    const r = await fetch(`${baseUrl}${req.path}`, {
      method: spec.method,
      headers: headersOf(spec),
      ...(req.body !== undefined ? { body: req.body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(30_000),
    });
    const text = await r.text();
    return { status: r.status, excerpt: text.replace(/\s+/g, ' ').slice(0, 160) };
  } catch (err) {
    return { status: 0, excerpt: (err as Error).message };
  }
}

/** Why a probe means "do not measure", or undefined when the route answered 2xx. */
export function skipReason(p: ProbeResult): string | undefined {
  if (p.status >= 200 && p.status < 300) return undefined;
  if (p.status === 404 || p.status === 405) return 'not served yet';
  if (p.status === 0) return `no answer (${p.excerpt})`;
  return `probe answered ${p.status}: ${p.excerpt}`;
}

/** Runs `spec` for `durationS` seconds on `connections` connections; `counter` numbers requests across runs. */
export async function runLoad(
  baseUrl: string,
  spec: RequestSpec,
  opts: { durationS: number; connections: number; counter: { n: number } },
): Promise<LoadSummary> {
  const { counter } = opts;
  const result = await autocannon({
    url: baseUrl,
    connections: opts.connections,
    duration: opts.durationS,
    timeout: 10,
    requests: [
      {
        method: spec.method,
        path: spec.path,
        headers: headersOf(spec),
        ...(spec.form ? { body: new URLSearchParams(spec.form).toString() } : {}),
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        ...(spec.vary
          ? {
              setupRequest: (req) => {
                const next = nthRequest(spec, counter.n++);
                return { ...req, path: next.path, ...(next.body !== undefined ? { body: next.body } : {}) };
              },
            }
          : {}),
      },
    ],
  });
  return {
    seconds: result.duration,
    requestsPerSec: result.duration > 0 ? result.requests.total / result.duration : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    // autocannon counts timeouts among errors already
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/**
 * A load run with the server's CPU time (user + system, seconds) over it, undefined where /proc
 * cannot tell, and each core's busy share (empty without /proc): a saturated load generator's
 * core would cap both servers alike and flatter the ratio, and this is where it shows.
 */
export async function measuredLoad(
  server: { url: string; pid: number },
  spec: RequestSpec,
  opts: { durationS: number; connections: number; counter: { n: number } },
): Promise<{ load: LoadSummary; cpuS: number | undefined; coreBusy: number[] }> {
  const before = cpuSeconds(server.pid);
  const coresBefore = coreTimes();
  const load = await runLoad(server.url, spec, opts);
  const after = cpuSeconds(server.pid);
  const coreBusy = coreBusyShares(coresBefore, coreTimes());
  return { load, cpuS: before !== undefined && after !== undefined ? after - before : undefined, coreBusy };
}

/** The server's CPU µs per completed request, or undefined without a reading or a request. */
export const cpuUsPerRequest = (cpuS: number | undefined, requests: number): number | undefined =>
  cpuS !== undefined && requests > 0 ? (cpuS * 1e6) / requests : undefined;
