/**
 * Security headers (helmet) without helmet's per-request cost. @fastify/helmet builds helmet's
 * middleware chain anew on every request (re-parsing the CSP directives each time); measured on
 * `GET /v1/users/me` that was about a fifth of the request's CPU. The headers are the same for
 * every response, so they are computed once here, by asking @fastify/helmet itself on a
 * throwaway instance, and set by one synchronous hook.
 *
 * @fastify/helmet stays registered with `global: false`, so `reply.helmet()` and per-route
 * `helmet: {…}` options keep working: a route with its own helmet options gets helmet's answer
 * instead of these precomputed headers.
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
 * Registers @fastify/helmet for per-route use and sets its global headers once per request, cheaply.
 * Returns the headers, for answers that no hook sees (Fastify's framework errors).
 */
export async function registerSecurityHeaders(app: FastifyInstance, options: FastifyHelmetOptions): Promise<Record<string, string>> {
  const headers = await helmetHeaders(options);
  await app.register(helmet, { ...options, global: false });
  app.addHook('onRequest', (request, reply, done) => {
    // Routes with their own helmet options are answered by the plugin.
    if ((request.routeOptions.config as { helmet?: unknown } | undefined)?.helmet === undefined) reply.headers(headers);
    done();
  });
  return headers;
}
