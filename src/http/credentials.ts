/**
 * Reads a credential from a request in the header styles a surface accepts. No I/O: verifying
 * the secret is core's job (`core.authenticate`).
 */
import type { FastifyRequest } from 'fastify';

export type HeaderStyle = 'x-api-key' | 'bearer' | 'token' | 'basic';

export type PresentedCredential =
  | { kind: 'none' }
  | { kind: 'secret'; secret: string; style: HeaderStyle }
  | { kind: 'basic'; username: string; password: string }
  /** a header of an accepted style is there but unusable (e.g. `Bearer` with two words) */
  | { kind: 'malformed'; style: HeaderStyle };

function headerValue(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Styles are tried in the order given; the first header present decides. Empty values count as absent. */
export function presentedCredential(req: FastifyRequest, styles: readonly HeaderStyle[]): PresentedCredential {
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
