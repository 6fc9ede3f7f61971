/**
 * Runs generated hostile requests against a real app and counts what matters: requests sent,
 * answers ≥ 500, and canary secrets seen in response bodies or log lines. Most requests go
 * through `inject` (no sockets, so tens of thousands fit the CI budget); a slice goes over real
 * HTTP with keep-alive to exercise Node's parser and the listening server too.
 */
import { Agent, request as httpRequest } from 'node:http';
import { Writable } from 'node:stream';
import type { FastifyServerOptions } from 'fastify';
import { redactedPaths } from '../../src/app.ts';
import type { TestApp } from '../helpers/app.ts';
import type { HostileRequest } from './generator.ts';
import { canaryHits } from './world.ts';

/** Every log line the app writes, kept for the canary scan. */
export function logCapture(): { logger: FastifyServerOptions['logger']; lines: string[] } {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      const text = partial + String(chunk);
      const parts = text.split('\n');
      partial = parts.pop() ?? '';
      for (const p of parts) if (p) lines.push(p);
      done();
    },
  });
  // The production options (src/app.ts), at the most verbose level, into the buffer.
  return { logger: { level: 'trace', redact: { paths: redactedPaths, censor: '[redacted]' }, stream }, lines };
}

export interface Tally {
  requests: number;
  fiveHundreds: number;
  canaryHits: number;
  /** the first few failures, for the assertion message */
  examples: string[];
  statuses: Map<number, number>;
  /** responses missing part of the K1 security header set */
  headerFaults: number;
  headerExamples: string[];
  /** time spent per method and path head (inject only), for finding what is slow */
  ms: Map<string, number>;
}

export const newTally = (): Tally => ({
  requests: 0,
  fiveHundreds: 0,
  canaryHits: 0,
  examples: [],
  statuses: new Map(),
  ms: new Map(),
  headerFaults: 0,
  headerExamples: [],
});

type Headers = Record<string, string | string[] | number | undefined>;

/** What the K1 header set lacks on one response (helmet's headers, no-store, no X-Powered-By, JSON with a charset). */
export function headerFaults(headers: Headers): string[] {
  const faults: string[] = [];
  if (headers['x-content-type-options'] !== 'nosniff') faults.push('x-content-type-options');
  if (headers['referrer-policy'] !== 'no-referrer') faults.push('referrer-policy');
  if (headers['cache-control'] !== 'no-store') faults.push('cache-control');
  if (!/max-age=(\d{8,}|3153[6-9]\d{3})/.test(String(headers['strict-transport-security'] ?? ''))) faults.push('strict-transport-security');
  if (!headers['content-security-policy']) faults.push('content-security-policy');
  if (headers['x-powered-by'] !== undefined) faults.push('x-powered-by');
  const type = String(headers['content-type'] ?? '');
  if (/json/.test(type) && !/charset=utf-8/i.test(type)) faults.push('json without charset');
  return faults;
}

function record(tally: Tally, req: HostileRequest, status: number, body: string, secrets: readonly string[], headers: Headers = {}): void {
  tally.requests++;
  const faults = status === 599 ? [] : headerFaults(headers);
  if (faults.length > 0) {
    tally.headerFaults++;
    if (tally.headerExamples.length < 5)
      tally.headerExamples.push(`${status} ${req.method} ${req.url.slice(0, 120)}: ${faults.join(', ')}`);
  }
  tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
  const hits = canaryHits(body, secrets);
  if (status >= 500) tally.fiveHundreds++;
  if (hits.length > 0) tally.canaryHits += hits.length;
  if ((status >= 500 || hits.length > 0) && tally.examples.length < 15) {
    tally.examples.push(
      `${status} ${req.method} ${req.url.slice(0, 200)} [${req.note}] body=${(req.body ?? '').slice(0, 160)} → ${body.slice(0, 200)}${hits.length ? ` LEAK ${hits.join(',')}` : ''}`,
    );
  }
}

const op = (url: string) => url.split('?')[0]?.split('/').slice(0, 4).join('/');

/** Sends `count` requests from `next`, `concurrency` at a time, through inject. */
export async function runInject(
  t: TestApp,
  next: (i: number) => HostileRequest,
  from: number,
  count: number,
  secrets: readonly string[],
  tally: Tally,
  concurrency = Number(process.env.ROSTER_HOSTILE_CONCURRENCY ?? 16),
): Promise<void> {
  let i = from;
  const end = from + count;
  async function worker(): Promise<void> {
    while (i < end) {
      const req = next(i++);
      const started = performance.now();
      const res = await t.app.inject({
        method: req.method,
        url: req.url,
        headers: req.headers,
        ...(req.body !== undefined ? { payload: req.body } : {}),
      });
      record(tally, req, res.statusCode, res.body, secrets, res.headers);
      const key =
        process.env.ROSTER_HOSTILE_DEBUG === 'note'
          ? req.note.replace(/^[^,]*/, '') + (req.headers.authorization?.startsWith('Basic') ? ' basic' : '')
          : `${req.method} ${op(req.url)}`;
      tally.ms.set(key, (tally.ms.get(key) ?? 0) + performance.now() - started);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The same over real HTTP to a listening app, keep-alive, `concurrency` sockets. */
export async function runHttp(
  baseUrl: string,
  next: (i: number) => HostileRequest,
  from: number,
  count: number,
  secrets: readonly string[],
  tally: Tally,
  concurrency = 16,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const { hostname, port } = new URL(baseUrl);
  let i = from;
  const end = from + count;
  const send = (req: HostileRequest) =>
    new Promise<{ status: number; body: string; headers: Headers }>((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      // Node's client sends a GET/DELETE body without framing unless told its length.
      if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
      // Node's server answers oversized headers with 431 and drops the socket: don't pool it.
      const big = req.url.length + Object.values(headers).reduce((n, v) => n + v.length, 0) > 8 * 1024;
      const r = httpRequest({ agent: big ? false : agent, hostname, port, method: req.method, path: req.url, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
        res.on('error', reject);
      });
      r.on('error', reject);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  async function worker(): Promise<void> {
    while (i < end) {
      const req = next(i++);
      try {
        const res = await send(req);
        record(tally, req, res.status, res.body, secrets, res.headers);
      } catch (err) {
        // A request Node's client refuses to send (e.g. an invalid header) is not counted; a
        // server that drops the connection is a failure like a 5xx.
        const code = (err as { code?: string }).code ?? '';
        if (code === 'ERR_INVALID_CHAR' || code === 'ERR_UNESCAPED_CHARACTERS' || code === 'ERR_INVALID_HTTP_TOKEN') continue;
        record(tally, req, 599, `connection error ${code} ${(err as Error).message}`, secrets);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
}

/** Canary hits in the captured log lines (and the list of lines that hit, for the message). */
export function scanLogs(lines: readonly string[], secrets: readonly string[]): { hits: number; examples: string[] } {
  let hits = 0;
  const examples: string[] = [];
  for (const line of lines) {
    const found = canaryHits(line, secrets);
    if (found.length === 0) continue;
    hits += found.length;
    if (examples.length < 5) examples.push(`${found.join(',')} in ${line.slice(0, 300)}`);
  }
  return { hits, examples };
}
