/**
 * Every scenario the bench measures, as one table: add a row to measure something new. A row
 * whose route answers 404 or 405 is skipped with "not served yet" (surfaces land over time), and
 * any other non-2xx probe answer skips it with that answer, so no row ever times error pages.
 */
import type { RequestSpec } from './load.ts';
import type { ScenarioResult, Target } from './report.ts';

/** What the scenarios know about the seeded database and the running servers. */
export interface BenchContext {
  adminKey: string;
  /** an API key of an ordinary seeded user (a member of the large organization) */
  userKey: string;
  userId: number;
  firstSeededId: number;
  lastSeededId: number;
  largeOrg: { id: number; slug: string };
  smallOrg: { id: number; slug: string };
  loginUsers: { username: string; email: string }[];
  loginPassword: string;
  /** native cursors 90 % deep into the list, sorted by id and by -created_at */
  deepCursorById: string;
  deepCursorByCreated: string;
  /** 90 % of the users, for offset and page styles */
  deepOffset: number;
  /** a search term that matches about 1 in 200 users */
  searchTerm: string;
  /** unique per run, so created emails never collide with an earlier run on a kept database */
  runTag: string;
  /** a service account's client-credentials client and a token it was issued (see bench/oauth.ts) */
  oauth?: { clientId: string; clientSecret: string; accessToken: string };
}

export interface HttpScenario {
  id: string;
  title: string;
  server: 'reference' | 'roster';
  request: (ctx: BenchContext) => RequestSpec;
  /** load that runs at the same time on other connections; only the main request is reported */
  background?: (ctx: BenchContext) => RequestSpec & { connections: number };
  connections?: number;
  /**
   * Measure in alternation with the reference (three rounds of reference then this row, a third
   * of the duration each) and take the ratio over the same stretch of time: on a shared machine
   * the load from other processes drifts, and this keeps the drift out of the ratio.
   */
  paired?: boolean;
  /** what to keep in mind reading the row */
  note?: string;
}

/** A measurement that is not an HTTP run (e.g. raw argon2id speed on the server's core). */
export interface CustomScenario {
  id: string;
  title: string;
  custom: 'argon2id';
  note?: string;
}

export type Scenario = HttpScenario | CustomScenario;

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const get = (path: string, headers: Record<string, string>): RequestSpec => ({ method: 'GET', path, headers });

/** A seeded user id chosen by request number, spread over the whole table. */
export function spreadId(ctx: Pick<BenchContext, 'firstSeededId' | 'lastSeededId'>, n: number): number {
  const span = ctx.lastSeededId - ctx.firstSeededId + 1;
  return ctx.firstSeededId + ((n * 7919) % span);
}

const loginRequest = (ctx: BenchContext): RequestSpec => ({
  method: 'POST',
  path: '/v1/auth/login',
  headers: {},
  vary: (n) => {
    const u = ctx.loginUsers[n % ctx.loginUsers.length] as { email: string };
    return { body: { email: u.email, password: ctx.loginPassword } };
  },
});

const cvatActive = encodeURIComponent(JSON.stringify({ '==': [{ var: 'is_active' }, true] }));

export const scenarios: Scenario[] = [
  {
    id: 'reference.me',
    title: 'bare Fastify: SHA-256 key → api_keys ⋈ users → JSON',
    server: 'reference',
    request: (c) => get('/me', bearer(c.userKey)),
  },
  {
    id: 'native.me',
    title: 'GET /v1/users/me (Bearer)',
    server: 'roster',
    paired: true,
    request: (c) => get('/v1/users/me', bearer(c.userKey)),
  },
  // The current user on the foreign surfaces, in the credential style each one's clients send
  {
    id: 'plane.me',
    title: 'GET /api/v1/users/me/ (X-Api-Key)',
    server: 'roster',
    paired: true,
    request: (c) => get('/api/v1/users/me/', { 'x-api-key': c.userKey }),
  },
  { id: 'zenml.me', title: 'GET /users/me (Bearer)', server: 'roster', paired: true, request: (c) => get('/users/me', bearer(c.userKey)) },
  {
    id: 'testmo.me',
    title: 'GET /api/v1/user (Bearer)',
    server: 'roster',
    paired: true,
    request: (c) => get('/api/v1/user', bearer(c.userKey)),
  },
  {
    id: 'cvat.self',
    title: 'GET /api/users/self (Authorization: Token)',
    server: 'roster',
    paired: true,
    request: (c) => get('/api/users/self', { authorization: `Token ${c.userKey}` }),
  },
  // Roster's own API: reads, lists, writes, login
  {
    id: 'oauth.client-credentials',
    title: 'POST /oidc/token (client credentials, Basic)',
    server: 'roster',
    request: (c) => ({
      method: 'POST',
      path: '/oidc/token',
      headers: { authorization: `Basic ${Buffer.from(`${c.oauth?.clientId}:${c.oauth?.clientSecret}`).toString('base64')}` },
      form: { grant_type: 'client_credentials', scope: 'read' },
    }),
    note: 'each grant: client lookup + SHA-256 secret check + one token row written; target ≥ 300/s',
  },
  {
    id: 'oauth.bearer.me',
    title: 'GET /v1/users/me (provider-issued access token)',
    server: 'roster',
    paired: true,
    request: (c) => get('/v1/users/me', bearer(c.oauth?.accessToken ?? '')),
    note: 'compare with native.me (the same request with an API key)',
  },
  {
    id: 'native.user-by-id',
    title: 'GET /v1/users/:id, ids spread over the table (admin)',
    server: 'roster',
    request: (c) => ({ ...get('/v1/users/2', bearer(c.adminKey)), vary: (n) => ({ path: `/v1/users/${spreadId(c, n)}` }) }),
  },
  {
    id: 'native.list.first',
    title: 'GET /v1/users?limit=50 (first page, by id)',
    server: 'roster',
    request: (c) => get('/v1/users?limit=50', bearer(c.adminKey)),
  },
  {
    id: 'native.list.first+total',
    title: 'first page with with_total=true',
    server: 'roster',
    connections: 2,
    request: (c) => get('/v1/users?limit=50&with_total=true', bearer(c.adminKey)),
  },
  {
    id: 'native.list.filter',
    title: 'is_active=true & search & sort=last_name, limit 50',
    server: 'roster',
    // A slow list query on SQLite holds the event loop: few connections keep the backlog short.
    connections: 2,
    request: (c) => get(`/v1/users?limit=50&is_active=true&search=${c.searchTerm}&sort=last_name`, bearer(c.adminKey)),
  },
  {
    id: 'native.list.filter+total',
    title: 'the same with with_total=true (counts every match)',
    server: 'roster',
    connections: 2,
    request: (c) => get(`/v1/users?limit=50&is_active=true&search=${c.searchTerm}&sort=last_name&with_total=true`, bearer(c.adminKey)),
  },
  {
    id: 'native.list.deep-cursor',
    title: 'cursor page 90 % deep, by id',
    server: 'roster',
    request: (c) => get(`/v1/users?limit=50&cursor=${c.deepCursorById}`, bearer(c.adminKey)),
  },
  {
    id: 'native.list.deep-cursor+total',
    title: 'the same with with_total=true',
    server: 'roster',
    request: (c) => get(`/v1/users?limit=50&with_total=true&cursor=${c.deepCursorById}`, bearer(c.adminKey)),
  },
  {
    id: 'native.list.deep-cursor.created',
    title: 'cursor page 90 % deep, sort=-created_at',
    server: 'roster',
    request: (c) => get(`/v1/users?limit=50&sort=-created_at&cursor=${c.deepCursorByCreated}`, bearer(c.adminKey)),
  },
  {
    id: 'native.list.org',
    title: 'members of the large organization (10 % of users), limit 50',
    server: 'roster',
    request: (c) => get(`/v1/orgs/${c.largeOrg.slug}/members?limit=50`, bearer(c.adminKey)),
  },
  {
    id: 'native.create',
    title: 'POST /v1/users (unique emails, no password)',
    server: 'roster',
    request: (c) => ({
      method: 'POST',
      path: '/v1/users',
      headers: bearer(c.adminKey),
      vary: (n) => ({ body: { email: `bench.${c.runTag}.${n}@create.example.com`, first_name: 'Bench', last_name: `Created${n}` } }),
    }),
  },
  {
    id: 'native.patch',
    title: 'PATCH /v1/users/:id first_name, ids spread over the table',
    server: 'roster',
    request: (c) => ({
      method: 'PATCH',
      path: '/v1/users/2',
      headers: bearer(c.adminKey),
      vary: (n) => ({ path: `/v1/users/${spreadId(c, n)}`, body: { first_name: `Patched${n % 1000}` } }),
    }),
  },
  {
    id: 'baseline.argon2id',
    title: 'raw argon2id verify on the server core (no HTTP)',
    custom: 'argon2id',
    note: 'verifies/s, 4 libuv threads',
  },
  {
    id: 'native.login',
    title: 'POST /v1/auth/login (argon2id verify)',
    server: 'roster',
    request: loginRequest,
  },
  {
    id: 'native.me.during-logins',
    title: 'GET /v1/users/me while 8 connections flood logins',
    server: 'roster',
    connections: 2,
    request: (c) => get('/v1/users/me', bearer(c.userKey)),
    background: (c) => ({ ...loginRequest(c), connections: 8 }),
  },
  // Lists on the foreign surfaces
  {
    id: 'overplane.list',
    title: 'GET /api/core/user (newest first, limit 20)',
    server: 'roster',
    request: (c) => get('/api/core/user', bearer(c.adminKey)),
  },
  {
    id: 'overplane.list.deep-offset',
    title: 'GET /api/core/user?limit=20&offset=90 %',
    server: 'roster',
    request: (c) => get(`/api/core/user?limit=20&offset=${c.deepOffset}`, bearer(c.adminKey)),
  },
  {
    id: 'testmo.list.expands',
    title: 'GET /api/v1/users?per_page=100&expands=groups,roles,users',
    server: 'roster',
    request: (c) => get('/api/v1/users?per_page=100&expands=groups,roles,users', bearer(c.adminKey)),
  },
  {
    id: 'cvat.list.first',
    title: 'GET /api/users?page_size=50 (first page, sort -id)',
    server: 'roster',
    request: (c) => get('/api/users?page_size=50', { authorization: `Token ${c.adminKey}` }),
  },
  {
    id: 'cvat.list.filter',
    title: 'GET /api/users?search=…&sort=-id&filter=is_active',
    server: 'roster',
    request: (c) => get(`/api/users?search=${c.searchTerm}&sort=-id&filter=${cvatActive}`, { authorization: `Token ${c.adminKey}` }),
  },
  {
    id: 'cvat.list.deep-page',
    title: 'GET /api/users?page=<90 %>&page_size=50',
    server: 'roster',
    request: (c) =>
      get(`/api/users?page_size=50&page=${Math.max(1, Math.floor(c.deepOffset / 50))}`, { authorization: `Token ${c.adminKey}` }),
  },
  {
    id: 'cvat.list.org',
    title: 'GET /api/users?org=<large>&page_size=50 (organization-scoped)',
    server: 'roster',
    request: (c) => get(`/api/users?org=${c.largeOrg.slug}&page_size=50`, { authorization: `Token ${c.adminKey}` }),
  },
  {
    id: 'reference.me.end',
    title: 'the reference again, to show drift over the run',
    server: 'reference',
    request: (c) => get('/me', bearer(c.userKey)),
  },
];

const ratioOf = (get: (id: string) => ScenarioResult | undefined, id: string) => get(id)?.ratio;
/** A row where no request completed took longer than the run: infinitely long for a target. */
const latencyOrTimeout = (r: ScenarioResult | undefined, field: 'p50Ms' | 'p99Ms') =>
  r === undefined ? undefined : r.requests === 0 ? Number.POSITIVE_INFINITY : r[field];
const p50Ratio = (get: (id: string) => ScenarioResult | undefined, a: string, b: string) => {
  const x = latencyOrTimeout(get(a), 'p50Ms');
  const y = get(b)?.p50Ms;
  return x !== undefined && y !== undefined && y > 0 ? x / y : undefined;
};

/** The issues' performance targets, reported (never asserted in tests). */
export const targets: Target[] = [
  {
    name: '/v1/users/me vs reference (req/s)',
    source: 'issue 14',
    wants: '≥ 0.70',
    measure: (get) => ratioOf(get, 'native.me'),
    pass: (v) => v >= 0.7,
  },
  {
    name: 'Plane /api/v1/users/me/ vs reference (req/s)',
    source: 'issue 8',
    wants: '≥ 0.70',
    measure: (get) => ratioOf(get, 'plane.me'),
    pass: (v) => v >= 0.7,
  },
  {
    name: 'API-key auth overhead: reference req/s ÷ /v1/users/me req/s',
    source: 'issue 4',
    wants: '≤ 1.15',
    measure: (get) => {
      const r = ratioOf(get, 'native.me');
      return r ? 1 / r : undefined;
    },
    pass: (v) => v <= 1.15,
  },
  {
    name: 'the same in server CPU per request: /v1/users/me ÷ reference',
    source: 'issue 4',
    wants: '≤ 1.15',
    measure: (get) => get('native.me')?.cpuRatio,
    pass: (v) => v <= 1.15,
  },
  {
    name: 'filtered list page p99 (ms)',
    source: 'issue 14',
    wants: '≤ 20',
    measure: (get) => latencyOrTimeout(get('native.list.filter'), 'p99Ms'),
    pass: (v) => v <= 20,
  },
  {
    name: 'deep cursor page p50 ÷ first page p50',
    source: 'issue 14',
    wants: '≤ 1.5',
    measure: (get) => p50Ratio(get, 'native.list.deep-cursor', 'native.list.first'),
    pass: (v) => v <= 1.5,
  },
  {
    name: 'organization page p50 ÷ unfiltered first page p50',
    source: 'issue 6',
    wants: '≤ 1.5',
    measure: (get) => p50Ratio(get, 'native.list.org', 'native.list.first') ?? p50Ratio(get, 'cvat.list.org', 'cvat.list.first'),
    pass: (v) => v <= 1.5,
  },
  {
    name: 'login req/s ÷ raw argon2id verifies/s',
    source: 'issue 14',
    wants: '≥ 0.90',
    measure: (get) => {
      const login = get('native.login')?.requestsPerSec;
      const raw = get('baseline.argon2id')?.requestsPerSec;
      return login !== undefined && raw ? login / raw : undefined;
    },
    pass: (v) => v >= 0.9,
  },
  {
    name: 'server RSS peak under load (MB)',
    source: 'issue 14',
    wants: '≤ 150',
    measure: (_get, run) => run.peakRssMb,
    pass: (v) => v <= 150,
  },
];
