/**
 * Security headers (helmet) without helmet's per-request cost. @fastify/helmet builds helmet's
 * middleware chain anew on every request (re-parsing the CSP directives each time); measured on
 * `GET /v1/users/me` that was about a fifth of the request's CPU. The headers are the same for
 * every response, so they are computed once here, by asking @fastify/helmet itself on a
 * throwaway instance, and set by one synchronous hook.
 *
 * @fastify/helmet itself is not registered on the app: no route sets its own helmet options, and
 * the plugin's two onRequest hooks (one of them async, decorating every reply with `helmet()`)
 * cost on every request for a feature nothing used. A route that needs other headers sets them.
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
 * Beyond helmet: every Roster answer carries user, membership or credential data (or says who is
 * not allowed to see it), and a shared or browser cache must keep none of them (security
 * checklist K1: `Cache-Control: no-store` on user and token routes). ETags still work: a client
 * that kept one sends If-None-Match itself. A route that may be cached sets its own.
 */
export const apiHeaders: Readonly<Record<string, string>> = { 'cache-control': 'no-store' };

/**
 * Sets helmet's global headers and `apiHeaders` on every response with one synchronous hook.
 * Returns the headers, for answers that no hook sees (Fastify's framework errors).
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const headers = { ...(await helmetHeaders(options)), ...apiHeaders };
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
  return headers;
}
