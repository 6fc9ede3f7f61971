/**
 * The browser side of a login session: one cookie, `__Host-` prefixed (Secure, Path=/, no
 * Domain, so no subdomain can set or read it), HttpOnly (no script reads it), SameSite=Lax (not
 * sent on cross-site POSTs). Any surface may accept it through `requireActor({ cookie: true })`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PresentedSecret } from './credentials.ts';

export const SESSION_COOKIE = '__Host-roster_session';

const attributes = { httpOnly: true, secure: true, sameSite: 'lax', path: '/' } as const;

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: string): void {
  reply.setCookie(SESSION_COOKIE, token, { ...attributes, expires: new Date(expiresAt) });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, attributes);
}

export function sessionCookieOf(request: FastifyRequest): string | undefined {
  const value = request.cookies?.[SESSION_COOKIE];
  return value ? value : undefined;
}

const cookieRead = Symbol('roster.sessionCookieCredential');

declare module 'fastify' {
  interface FastifyRequest {
    /** null: read, and absent */
    [cookieRead]?: PresentedSecret | null;
  }
}

/**
 * The session cookie as a presented secret, read once per request, so its SHA-256 (see
 * `secretSha256`) is taken once too: the rate limiter names the bucket after it and the session
 * lookup wants the same hash, as for a header secret.
 */
export function sessionCookieCredential(request: FastifyRequest): PresentedSecret | undefined {
  let read = request[cookieRead];
  if (read === undefined) {
    const secret = sessionCookieOf(request);
    read = secret === undefined ? null : { secret };
    request[cookieRead] = read;
  }
  return read ?? undefined;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence in depth beside SameSite: a state-changing request that another site made the
 * browser send (Fetch Metadata says cross-site, or its Origin is not this host) does not get to
 * use the cookie. Requests from scripts carry neither header and are unaffected.
 */
export function isCrossSiteWrite(request: FastifyRequest): boolean {
  if (safeMethods.has(request.method)) return false;
  if (request.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  try {
    // Both through URL, so a default port (`:80`, `:443`) compares equal to none.
    return new URL(origin).host !== new URL(`${request.protocol}://${request.host}`).host;
  } catch {
    return true; // "null" or garbage: an opaque origin is not this site
  }
}

/**
 * Django's CSRF cookie, for surfaces whose browser clients send it back in a header (CVAT's UI
 * reads `csrftoken` and sends `X-CSRFToken`). Readable by the page's script, so not HttpOnly.
 */
export const CSRF_COOKIE = 'csrftoken';

/**
 * The CSRF token of a session: derived from the session token (SHA-256 under a fixed label), so it
 * needs no storage, changes with every session and cannot be planted by a sibling subdomain the
 * way a free-standing double-submit cookie can.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`roster-csrf:${sessionToken}`).digest('base64url');
}

export function setCsrfCookie(reply: FastifyReply, sessionToken: string, expiresAt: string): void {
  reply.setCookie(CSRF_COOKIE, csrfTokenFor(sessionToken), { secure: true, sameSite: 'lax', path: '/', expires: new Date(expiresAt) });
}

export function clearCsrfCookie(reply: FastifyReply): void {
  reply.clearCookie(CSRF_COOKIE, { secure: true, sameSite: 'lax', path: '/' });
}

/**
 * Django's rule for a request authenticated by the session cookie: a state-changing one must
 * carry `X-CSRFToken` equal to the session's token. `ok` for safe methods and for requests that
 * did not use the cookie (a header credential needs no CSRF defence: a browser never adds one).
 */
export function csrfVerdict(request: FastifyRequest, usedCookie: boolean): 'ok' | 'missing' | 'incorrect' {
  if (!usedCookie || safeMethods.has(request.method)) return 'ok';
  const sent = request.headers['x-csrftoken'];
  const token = sessionCookieOf(request);
  if (typeof sent !== 'string' || sent === '' || token === undefined) return 'missing';
  const expected = Buffer.from(csrfTokenFor(token));
  const given = Buffer.from(sent);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'incorrect';
}
