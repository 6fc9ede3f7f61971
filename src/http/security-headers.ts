/**
 * Security headers, in two sets, computed once and set by one synchronous hook each.
 *
 * - API answers (JSON, the bulk of the traffic) carry the set OWASP's REST Security Cheat Sheet
 *   gives for APIs: no-store, `default-src 'none'; frame-ancestors 'none'`, DENY framing, nosniff,
 *   no referrer, same-origin resource policy, HSTS. Helmet's other headers (opener policy,
 *   origin-agent cluster, DNS prefetch, IE download options, Flash/PDF policy files, the
 *   XSS-filter switch) only mean something for a page a browser renders, and cost on every
 *   answer (measured on `GET /v1/users/me`: 6 more headers and about 500 more bytes each).
 * - Documents (the OIDC pages and the provider's own answers, the API docs) carry helmet's whole
 *   set with the app's page CSP: `useDocumentHeaders` on the scope that serves them.
 *
 * @fastify/helmet itself is not registered on the app: it builds helmet's middleware chain anew
 * on every request (re-parsing the CSP directives each time; about a fifth of a request's CPU
 * when measured), and its two hooks decorate every reply for a feature nothing used. Its headers
 * are asked of @fastify/helmet once, on a throwaway instance, so they stay exactly helmet's.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';

async function responseHeaders(withHelmet: FastifyHelmetOptions | undefined): Promise<Record<string, string>> {
  const probe = Fastify({ logger: false });
  if (withHelmet) await probe.register(helmet, withHelmet);
  probe.get('/', async () => '');
  const res = await probe.inject({ method: 'GET', url: '/' });
  await probe.close();
  return Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
}

/** The headers @fastify/helmet adds to a plain response for `options`. */
export async function helmetHeaders(options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const [plain, helmeted] = await Promise.all([responseHeaders(undefined), responseHeaders({ ...options, global: true })]);
  // Only the names helmet adds: `date` and friends are there with or without it.
  return Object.fromEntries(Object.entries(helmeted).filter(([name]) => !(name in plain)));
}

/**
 * Every Roster answer carries user, membership or credential data (or says who is not allowed
 * to see it), and a shared or browser cache must keep none of them (security checklist K1:
 * `Cache-Control: no-store` on user and token routes). ETags still work: a client that kept one
 * sends If-None-Match itself. A route that may be cached sets its own.
 */
const noStore = { 'cache-control': 'no-store' } as const;

/** Helmet's headers that protect a JSON answer too, taken with helmet's values for them. */
const sharedWithHelmet = ['cross-origin-resource-policy', 'referrer-policy', 'strict-transport-security', 'x-content-type-options'];

/** The API set: nothing in an answer may load, run or be framed. */
export function apiHeadersFrom(helmeted: Record<string, string>): Record<string, string> {
  const shared = Object.fromEntries(sharedWithHelmet.filter((name) => name in helmeted).map((name) => [name, helmeted[name] as string]));
  return {
    ...shared,
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    ...noStore,
  };
}

export interface SecurityHeaders {
  /** On every answer unless its scope serves documents; also for answers no hook sees (Fastify's framework errors). */
  api: Readonly<Record<string, string>>;
  /** Helmet's whole set for pages a browser renders. */
  document: Readonly<Record<string, string>>;
}

/** Sets the API set on every response with one synchronous hook; returns both sets. */
export async function registerSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<SecurityHeaders> {
  const helmeted = await helmetHeaders(options);
  const api = apiHeadersFrom(helmeted);
  const headers: SecurityHeaders = { api, document: { ...api, ...helmeted, ...noStore } };
  setOnEveryRequest(app, headers.api);
  return headers;
}

/**
 * Documents served in `scope` (an encapsulated plugin) carry helmet's whole set instead. Its
 * hook runs after the app's and the document set names every header of the API set, so each
 * API value is replaced by helmet's (or kept where helmet's options turned that header off).
 */
export function useDocumentHeaders(scope: FastifyInstance, headers: SecurityHeaders): void {
  setOnEveryRequest(scope, headers.document);
}

function setOnEveryRequest(scope: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  scope.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}
