/**
 * The Plane surface: `/api/v1/users/me/`, the caller's workspaces and the member lists, as
 * Plane's public API v1 and its clients (the docs' curl/Python/JS examples, the Node SDK) expect.
 * Paths end with `/`; a GET without it is redirected (Django's APPEND_SLASH).
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Surface, SurfaceOptions } from '../types.ts';
import { planeAuthentication } from './auth.ts';
import { ignoreBodies } from './bodies.ts';
import { planeBodies, sendPlaneError } from './errors.ts';
import { applyPlaneRateLimit } from './rate-limit.ts';
import { planeMemberRoutes } from './routes/members.ts';
import { planeUserRoutes } from './routes/users.ts';

/**
 * `…/users/me` → 301 `…/users/me/`, query string kept. Django's middleware answers it before any
 * view, so it is neither authenticated nor throttled here either.
 */
function appendSlashRedirect(app: FastifyInstance, slashUrl: string): void {
  app.get(slashUrl.slice(0, -1), { schema: { hide: true } }, async (req, reply) => {
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    return reply.redirect(`${path}/${q < 0 ? '' : req.url.slice(q)}`, 301);
  });
}

const plugin: FastifyPluginAsync<SurfaceOptions> = async (app, opts) => {
  ignoreBodies(app);
  app.setErrorHandler((err, req, reply) => sendPlaneError(req, reply, err));

  const slashUrls: string[] = [];
  await app.register(async (api) => {
    api.addHook('onRoute', (route) => {
      if (route.method === 'GET' && route.url.endsWith('/')) slashUrls.push(route.url);
    });
    // Counted before authentication, so refused and anonymous requests are throttled too.
    applyPlaneRateLimit(api, opts.config);
    api.addHook('preHandler', planeAuthentication(opts.core));
    await api.register(planeUserRoutes, opts);
    await api.register(planeMemberRoutes, opts);
  });
  for (const url of slashUrls) appendSlashRedirect(app, url);
};

const pathOf = (req: FastifyRequest) => req.url.split('?')[0] ?? req.url;

export const planeSurface: Surface = {
  name: 'plane',
  plugin,
  // `/api/v1/` is shared with Testmo, whose paths have no trailing slash and whose clients send
  // Bearer: an unrouted path is Plane's when it ends with `/` or comes with Plane's X-Api-Key.
  claimsNotFound: (req) => {
    const path = pathOf(req);
    return path.startsWith('/api/v1/') && (path.endsWith('/') || req.headers['x-api-key'] !== undefined);
  },
  notFound: (_req, reply) => reply.code(404).send(planeBodies.pageNotFound),
};
