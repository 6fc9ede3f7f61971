/**
 * Mounts the OpenID provider in Fastify: everything under `/oidc` goes to the provider's own
 * (Koa) handler through a hijacked reply, with Fastify's body parsers off so the provider reads
 * the body itself; `/.well-known/openid-configuration` is answered at the root too. The
 * interaction pages (login, consent) are Fastify routes next to it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InteractionDetails } from 'oidc-provider';
import type { Config } from '../config.ts';
import { isAppError } from '../core/errors.ts';
import type { Core } from '../core/index.ts';
import { applyRateLimit, rateLimitHeaders } from '../http/rate-limit.ts';
import { type SecurityHeaders, useDocumentHeaders } from '../http/security-headers.ts';
import { renderConsentPage, renderLoginPage } from './pages.ts';
import { createProvider } from './provider.ts';

const CSRF_COOKIE = 'roster_oidc_csrf';

interface FormBody {
  csrf?: unknown;
  login?: unknown;
  password?: unknown;
}

export async function registerOidc(
  app: FastifyInstance,
  opts: { core: Core; config: Config; publicUrl: string; securityHeaders: SecurityHeaders },
): Promise<void> {
  const { core, config } = opts;
  const { provider, issuer } = await createProvider(core, config, opts.publicUrl);
  const handle = provider.callback();
  const issuerUrl = new URL(issuer);

  /**
   * Hands the request to the provider as if mounted at `/oidc`. The host and scheme it writes
   * into URLs come from the issuer, never from the client's Host or X-Forwarded-* headers.
   * A hijacked reply writes none of the headers the hooks gave it (security headers, request id,
   * rate limits): they go on the raw response first, where the provider expects a CSP to be
   * (it adds the hash of its form_post page's inline script to `script-src`).
   */
  function forward(request: FastifyRequest, reply: FastifyReply, path: string): void {
    for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value);
    reply.hijack();
    const raw = request.raw as IncomingMessage & { originalUrl?: string };
    raw.originalUrl = `/oidc${path}`;
    raw.url = path;
    raw.headers['x-forwarded-host'] = issuerUrl.host;
    raw.headers['x-forwarded-proto'] = issuerUrl.protocol.replace(':', '');
    raw.headers['x-forwarded-for'] = request.ip;
    handle(raw, reply.raw);
  }

  await app.register(async (mount) => {
    // The provider answers with pages too (form_post, logout, errors), so its scope gets the document set.
    useDocumentHeaders(mount, opts.securityHeaders);
    // The provider's endpoints (token, introspection, revocation, …) are limited like any API: per
    // client (HTTP Basic client id, or a bearer token), else per address; its 429 in OAuth's format.
    applyRateLimit(mount, {
      name: 'oidc',
      max: config.RATE_LIMIT_PER_MINUTE,
      windowMs: 60_000,
      headers: rateLimitHeaders.secondsToReset,
      exceeded: (_req, reply) =>
        reply
          .code(429)
          .send({ error: 'temporarily_unavailable', error_description: 'Too many requests; try again after Retry-After seconds' }),
    });
    mount.removeAllContentTypeParsers();
    // Leave the body unread: the provider parses (and bounds) it.
    mount.addContentTypeParser('*', (_req, _payload, done) => done(null, undefined));
    mount.all('/oidc/*', { schema: { hide: true } }, async (req, reply) => forward(req, reply, req.raw.url?.slice('/oidc'.length) ?? '/'));
    mount.get('/.well-known/openid-configuration', { schema: { hide: true } }, async (req, reply) =>
      forward(
        req,
        reply,
        `/.well-known/openid-configuration${req.raw.url?.includes('?') ? req.raw.url.slice(req.raw.url.indexOf('?')) : ''}`,
      ),
    );
  });

  // --- interactions -------------------------------------------------------------------------

  function csrfOf(request: FastifyRequest, reply: FastifyReply): string {
    const existing = request.cookies[CSRF_COOKIE];
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    reply.setCookie(CSRF_COOKIE, token, {
      path: '/oidc/interaction',
      httpOnly: true,
      sameSite: 'strict',
      secure: issuerUrl.protocol === 'https:',
    });
    return token;
  }

  function csrfValid(request: FastifyRequest<{ Body: FormBody }>): boolean {
    const cookie = request.cookies[CSRF_COOKIE];
    const field = request.body?.csrf;
    if (typeof cookie !== 'string' || typeof field !== 'string' || cookie.length !== field.length) return false;
    return timingSafeEqual(Buffer.from(cookie), Buffer.from(field));
  }

  const html = (reply: FastifyReply, status: number, body: string) => reply.code(status).type('text/html; charset=utf-8').send(body);

  async function details(request: FastifyRequest, reply: FastifyReply): Promise<InteractionDetails | undefined> {
    try {
      return await provider.interactionDetails(request.raw, reply.raw);
    } catch {
      return undefined;
    }
  }

  async function clientName(d: InteractionDetails): Promise<string> {
    const client = await provider.Client.find(String(d.params.client_id));
    return client?.clientName ?? String(d.params.client_id);
  }

  async function finish(request: FastifyRequest, reply: FastifyReply, result: Record<string, unknown>) {
    const to = await provider.interactionResult(request.raw, reply.raw, result, { mergeWithLastSubmission: false });
    return reply.code(303).redirect(to, 303);
  }

  const expired = (reply: FastifyReply) => html(reply, 400, renderLoginPageExpired());

  await app.register(async (pages) => {
    useDocumentHeaders(pages, opts.securityHeaders);
    pages.get<{ Params: { uid: string } }>('/oidc/interaction/:uid', { schema: { hide: true } }, async (req, reply) => {
      const d = await details(req, reply);
      if (!d || d.uid !== req.params.uid) return expired(reply);
      const csrf = csrfOf(req, reply);
      const name = await clientName(d);
      if (d.prompt.name === 'login') return html(reply, 200, renderLoginPage({ uid: d.uid, csrf, clientName: name }));
      const scopes = (d.prompt.details.missingOIDCScope as string[] | undefined) ?? [];
      return html(reply, 200, renderConsentPage({ uid: d.uid, csrf, clientName: name, scopes }));
    });

    pages.post<{ Params: { uid: string }; Body: FormBody }>(
      '/oidc/interaction/:uid/login',
      { schema: { hide: true } },
      async (req, reply) => {
        const d = await details(req, reply);
        if (!d || d.uid !== req.params.uid || d.prompt.name !== 'login') return expired(reply);
        const csrf = csrfOf(req, reply);
        if (!csrfValid(req))
          return html(
            reply,
            403,
            renderLoginPage({ uid: d.uid, csrf, clientName: await clientName(d), error: 'The form expired; try again.' }),
          );
        const login = typeof req.body.login === 'string' ? req.body.login : '';
        const password = typeof req.body.password === 'string' ? req.body.password : '';
        try {
          // The shared password login: throttling, password_expired and deactivation apply as everywhere.
          const user = await core.credentials.loginWithPassword(login, password, { ip: req.ip });
          return finish(req, reply, { login: { accountId: user.uuid } });
        } catch (err) {
          if (!isAppError(err)) throw err;
          const name = await clientName(d);
          if (err.code === 'RATE_LIMITED') {
            reply.header('retry-after', String(err.retryAfter ?? 60));
            return html(
              reply,
              429,
              renderLoginPage({ uid: d.uid, csrf, clientName: name, login, error: 'Too many attempts; wait and try again.' }),
            );
          }
          const message =
            err.code === 'PASSWORD_EXPIRED' ? 'Password expired: change it before signing in here.' : 'Invalid username or password.';
          return html(reply, 401, renderLoginPage({ uid: d.uid, csrf, clientName: name, login, error: message }));
        }
      },
    );

    pages.post<{ Params: { uid: string }; Body: FormBody }>(
      '/oidc/interaction/:uid/confirm',
      { schema: { hide: true } },
      async (req, reply) => {
        const d = await details(req, reply);
        if (!d || d.uid !== req.params.uid || d.prompt.name !== 'consent' || !d.session?.accountId) return expired(reply);
        if (!csrfValid(req))
          return html(reply, 403, renderConsentPage({ uid: d.uid, csrf: csrfOf(req, reply), clientName: await clientName(d), scopes: [] }));
        const accountId = d.session.accountId;
        const grant = d.grantId
          ? await provider.Grant.find(d.grantId)
          : new provider.Grant({ accountId, clientId: String(d.params.client_id) });
        if (!grant) return expired(reply);
        const user = await core.users.findByUuid(accountId);
        const admin = user ? user.isSuperuser || (await core.store.groups.namesOfUser(user.id)).includes('admin') : false;
        // Only an admin can hand a client the admin scope.
        const scopes = ((d.prompt.details.missingOIDCScope as string[] | undefined) ?? []).filter((s) => s !== 'admin' || admin);
        if (scopes.length > 0) grant.addOIDCScope(scopes.join(' '));
        const claims = d.prompt.details.missingOIDCClaims as string[] | undefined;
        if (claims?.length) grant.addOIDCClaims(claims);
        const grantId = await grant.save();
        return finish(req, reply, { consent: d.grantId ? {} : { grantId } });
      },
    );

    pages.post<{ Params: { uid: string }; Body: FormBody }>(
      '/oidc/interaction/:uid/abort',
      { schema: { hide: true } },
      async (req, reply) => {
        const d = await details(req, reply);
        if (!d || d.uid !== req.params.uid) return expired(reply);
        if (!csrfValid(req)) return expired(reply);
        return finish(req, reply, { error: 'access_denied', error_description: 'The user refused' });
      },
    );
  });
}

function renderLoginPageExpired(): string {
  return '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in expired · Roster</title></head><body><main><h1>Sign-in expired</h1><p>Go back to the application and start again.</p></main></body></html>';
}
