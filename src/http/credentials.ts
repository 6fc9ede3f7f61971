/**
 * Reads a credential from a request in the header styles a surface accepts. No I/O: verifying
 * the secret is core's job (`core.authenticate`).
 *
 * A request is read once per set of styles and its secret hashed once: the rate limiter (which
 * counts per credential) and the authentication hook ask the same question about the same
 * request, and the key lookup wants the same SHA-256 the limiter's bucket is named after.
 */
import type { FastifyRequest } from 'fastify';
import { sha256Hex } from '../core/ids.ts';

export type HeaderStyle = 'x-api-key' | 'bearer' | 'token' | 'basic';

/** A secret a request presented (a header's key or token, the session cookie), hashed at most once. */
export interface PresentedSecret {
  secret: string;
  /** hex SHA-256 of `secret`, once `secretSha256` was asked */
  sha256?: string;
}

export type PresentedCredential =
  | { kind: 'none' }
  | (PresentedSecret & { kind: 'secret'; style: HeaderStyle })
  | { kind: 'basic'; username: string; password: string }
  /** a header of an accepted style is there but unusable (e.g. `Bearer` with two words) */
  | { kind: 'malformed'; style: HeaderStyle };

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The SHA-256 of a presented secret, computed at most once per request. */
export function secretSha256(presented: PresentedSecret): string {
  presented.sha256 ??= sha256Hex(presented.secret);
  return presented.sha256;
}

const readOnce = Symbol('roster.presentedCredential');

interface ReadCredential {
  styles: readonly HeaderStyle[];
  presented: PresentedCredential;
}

declare module 'fastify' {
  interface FastifyRequest {
    [readOnce]?: ReadCredential;
  }
}

const sameStyles = (a: readonly HeaderStyle[], b: readonly HeaderStyle[]) =>
  a === b || (a.length === b.length && a.every((style, i) => style === b[i]));

/** Styles are tried in the order given; the first header present decides. Empty values count as absent. */
export function presentedCredential(req: FastifyRequest, styles: readonly HeaderStyle[]): PresentedCredential {
  const earlier = req[readOnce];
  if (earlier && sameStyles(earlier.styles, styles)) return earlier.presented;
  const presented = readCredential(req, styles);
  req[readOnce] = { styles, presented };
  return presented;
}

function readCredential(req: FastifyRequest, styles: readonly HeaderStyle[]): PresentedCredential {
  const authorization = headerValue(req, 'authorization')?.trim() ?? '';
  const [scheme = '', ...rest] = authorization.split(/\s+/);
  const value = rest.join(' ');
  for (const style of styles) {
    if (style === 'x-api-key') {
      const key = headerValue(req, 'x-api-key')?.trim();
      if (key) return { kind: 'secret', secret: key, style };
      continue;
    }
    if (!authorization) continue;
    const lower = scheme.toLowerCase();
    if ((style === 'bearer' && lower === 'bearer') || (style === 'token' && lower === 'token')) {
      if (!value) continue;
      if (rest.length !== 1) return { kind: 'malformed', style };
      return { kind: 'secret', secret: value, style };
    }
    if (style === 'basic' && lower === 'basic') {
      if (!value) continue;
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return { kind: 'malformed', style };
      return { kind: 'basic', username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  }
  return { kind: 'none' };
}
