/**
 * buildApp: the one composition root; main.ts and every test call it. Infrastructure plugins
 * first, then operations routes, then one plugin per surface. Order is visible on purpose.
 */
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { type Config, publicBaseUrl } from './config.ts';
import type { Core } from './core/index.ts';
import { clientErrorHandler } from './http/client-errors.ts';
import { toProblem } from './http/errors.ts';
import { registerRequestLimits } from './http/limits.ts';
import { registerRateLimiting } from './http/rate-limit.ts';
import { lazyRequestLogger } from './http/request-logger.ts';
import { registerSecurityHeaders, type SecurityHeaders, useDocumentHeaders } from './http/security-headers.ts';
import { buildSerializer } from './http/serializer.ts';
import { validatorCompiler } from './http/validation.ts';
import { registerOidc } from './oidc/plugin.ts';
import { surfaces } from './surfaces/index.ts';

export interface AppDeps {
  config: Config;
  core: Core;
  /** true when every migration has been applied (readiness) */
  migrationsApplied: () => Promise<boolean>;
  logger?: FastifyServerOptions['logger'];
  /** Redis client for shared rate-limit counters (when REDIS_URL is set) */
  redis?: unknown;
}

const requestIdPattern = /^[A-Za-z0-9._:-]{1,128}$/;

export const redactedPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.password1',
  '*.password2',
  '*.secret',
  '*.key',
];

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, core } = deps;
  // Filled once the app exists: answers given outside any hook use them.
  let securityHeaders: SecurityHeaders = { api: {}, document: {} };
  let log: FastifyBaseLogger | undefined;
  const app = Fastify({
    logger: deps.logger ?? { level: config.LOG_LEVEL, redact: { paths: redactedPaths, censor: '[redacted]' } },
    // request.log is made on its first written message (request-logger.ts); no logger, no children
    ...(deps.logger === false ? {} : { childLoggerFactory: lazyRequestLogger }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Trailing slashes are significant: Plane needs them, CVAT and Testmo must not have them.
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 512 },
    return503OnClosing: true,
    forceCloseConnections: false,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && requestIdPattern.test(incoming) ? incoming : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    // nullable scalars serialised by type lists, not anyOf (serializer.ts)
    schemaController: { compilersFactory: { buildSerializer } },
    // A URL the router cannot decode (`%C0%AF`) or a path parameter over maxParamLength is
    // answered before any hook runs: answer it here, with the security headers every response has.
    frameworkErrors: (err, _req, reply) => {
      const status = err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
      const message = status === 414 ? 'A path segment is too long' : 'The URL is not valid';
      return (reply as FastifyReply)
        .headers(securityHeaders.api)
        .code(status)
        .send({ error: status === 414 ? 'URI Too Long' : 'Bad Request', message, statusCode: status });
    },
    clientErrorHandler: clientErrorHandler(
      () => securityHeaders.api,
      () => log,
    ),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // Synchronous hooks (with `done`) on the path every request takes: an async hook costs a
  // promise and a microtask turn per request.
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    done();
  });
  // Graceful shutdown: close() stops accepting and lets in-flight requests finish, but a
  // keep-alive connection that falls idle after that keeps the server open until its timeout
  // (the process then misses its exit deadline). Once closing, every answer ends its connection.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  log = app.log;
  securityHeaders = await registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], styleSrc: ["'self'", "'unsafe-inline'"], scriptSrc: ["'self'"] },
    },
  });
  // After the headers hook, so refusals carry the security headers too.
  registerRequestLimits(app);
  await app.register(cookie);
  await app.register(formbody, { bodyLimit: config.BODY_LIMIT_BYTES });
  registerRateLimiting(app, deps.redis ? { redis: deps.redis } : {});
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Roster', version: '0.1.0', description: 'One users service, five dialects and its own /v1 API.' },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
      },
    },
  });
  // The API docs are a page a browser renders: helmet's whole set (swagger-ui sets its own CSP).
  await app.register(async (docs) => {
    useDocumentHeaders(docs, securityHeaders);
    await docs.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await core.ping();
      if (!(await deps.migrationsApplied())) return reply.code(503).send({ status: 'migrations pending' });
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });

  const publicUrl = publicBaseUrl(config);
  await registerOidc(app, { core, config, publicUrl, securityHeaders });
  for (const surface of surfaces) {
    await app.register(surface.plugin, { core, config, publicUrl, ...prefixOf(surface.name) });
  }

  app.setNotFoundHandler((req, reply) => {
    for (const surface of surfaces) {
      if (surface.notFound && surface.claimsNotFound?.(req)) return surface.notFound(req, reply);
    }
    return reply.code(404).send({ error: 'Not Found', message: `Route ${req.method}:${req.url.split('?')[0]} not found`, statusCode: 404 });
  });
  // Errors outside every surface (unrouted requests refused by a shared hook, operations routes):
  // the same normalisation the surfaces use, so an AppError keeps its status instead of a 500.
  app.setErrorHandler((err, req, reply) => {
    const problem = toProblem(err);
    if (problem.status >= 500) req.log.error({ err: problem.cause ?? err }, 'request failed');
    return reply.code(problem.status).send({
      error: problem.status >= 500 ? 'Internal Server Error' : 'Bad Request',
      message: problem.message,
      statusCode: problem.status,
    });
  });

  return app;
}

/** Each surface's URL prefix (surfaces that share a root use none). */
function prefixOf(name: string): { prefix?: string } {
  return name === 'native' ? { prefix: '/v1' } : {};
}
