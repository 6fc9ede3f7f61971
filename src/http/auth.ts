/**
 * The authentication step every surface shares: read the credential in the surface's header
 * styles (or Roster's session cookie, where the surface accepts it), let core verify it, attach
 * the Actor. A surface supplies only how its refusal looks.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, allScopes } from '../core/auth/actor.ts';
import { type AuthOutcome, invalidCredential } from '../core/auth/authenticate.ts';
import { isAppError } from '../core/errors.ts';
import type { Core } from '../core/index.ts';
import { type HeaderStyle, presentedCredential, secretSha256 } from './credentials.ts';
import { isCrossSiteWrite, sessionCookieCredential } from './session-cookie.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor?: Actor;
  }
}

export type AuthFailure = 'missing' | 'invalid' | 'inactive' | 'malformed' | 'password_expired';

export interface AuthOptions {
  styles: readonly HeaderStyle[];
  /** answers a refusal in the surface's own format */
  refuse: (reply: FastifyReply, failure: AuthFailure, request: FastifyRequest) => FastifyReply | Promise<FastifyReply>;
  /** username + password for HTTP Basic, when the surface supports it (`passwordBasic(core)` is the usual one) */
  basic?: (username: string, password: string, request: FastifyRequest) => Promise<AuthOutcome | AuthFailure>;
  /**
   * Accept Roster's session cookie when no header credential is given (browsers). A header
   * always wins; a cross-site state-changing request never gets to use the cookie.
   */
  cookie?: boolean;
}

/**
 * Resolves the request's credential. Not `async`: the secret's lookup promise is handed on as
 * it is. Where a rate limit ran first, the credential was read and hashed there already.
 */
export function resolveActor(
  core: Core,
  request: FastifyRequest,
  options: Pick<AuthOptions, 'styles' | 'basic' | 'cookie'>,
): Promise<AuthOutcome | AuthFailure> {
  const presented = presentedCredential(request, options.styles);
  if (presented.kind === 'secret') return core.authenticate(presented.secret, secretSha256(presented));
  if (presented.kind === 'none') {
    const cookie = options.cookie ? sessionCookieCredential(request) : undefined;
    if (cookie === undefined || isCrossSiteWrite(request)) return Promise.resolve('missing');
    return core.sessions.authenticate(cookie.secret, secretSha256(cookie)).then((outcome) => outcome ?? invalidCredential);
  }
  if (presented.kind === 'malformed') return Promise.resolve('malformed');
  if (!options.basic) return Promise.resolve('invalid');
  return options.basic(presented.username, presented.password, request);
}

/** A preHandler that requires an authenticated principal. */
export function requireActor(core: Core, options: AuthOptions) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const outcome = await resolveActor(core, request, options);
    if (typeof outcome === 'string') {
      await options.refuse(reply, outcome, request);
      return;
    }
    if (!outcome.ok) {
      await options.refuse(reply, outcome.reason, request);
      return;
    }
    request.actor = outcome.actor;
  };
}

/** The actor set by `requireActor`; routes behind it can rely on it. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error('route is missing its authentication hook');
  return request.actor;
}

/**
 * HTTP Basic through the shared password login: one argon2 verify per request, throttled per
 * account and client address like any login. RATE_LIMITED propagates as an error (the surface's
 * error handler answers 429 with Retry-After); `last_login_at` is not touched per request.
 */
export function passwordBasic(core: Core): NonNullable<AuthOptions['basic']> {
  return async (username, password, request) => {
    try {
      const user = await core.credentials.loginWithPassword(username, password, { ip: request.ip, recordLogin: false });
      const groups = await core.groups.namesOfUser(user.id);
      return { ok: true, actor: { user, credential: { kind: 'password', id: `user:${user.uuid}`, scopes: allScopes }, groups } };
    } catch (err) {
      if (isAppError(err) && err.code === 'CREDENTIALS_INVALID') return 'invalid';
      if (isAppError(err) && err.code === 'PASSWORD_EXPIRED') return 'password_expired';
      throw err;
    }
  };
}
