/**
 * The browser side of a login session: one cookie, `__Host-` prefixed (Secure, Path=/, no
 * Domain, so no subdomain can set or read it), HttpOnly (no script reads it), SameSite=Lax (not
 * sent on cross-site POSTs). Any surface may accept it through `requireActor({ cookie: true })`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

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
