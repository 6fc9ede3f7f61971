/**
 * Conditional requests (RFC 9110 §13) over row versions: `ETag` on reads and writes, `If-Match`
 * on writes (412 when stale), `If-None-Match` on reads (304 when unchanged).
 *
 * The route has already loaded the resource, so `If-Match` is decided against its current ETag;
 * when it matches, the version read travels down to storage, whose UPDATE … WHERE version = ?
 * closes the window between this check and the write (concurrent holders of one ETag: one wins).
 */
import type { FastifyRequest } from 'fastify';
import { AppError } from '../core/errors.ts';

/** A strong ETag naming the resource kind, its id and its version, e.g. `"u12-3"`. */
export function etagOf(kind: 'u' | 'm', id: number, version: number): string {
  return `"${kind}${id}-${version}"`;
}

/** The entity tags of an If-Match / If-None-Match value; `*` alone gives ['*']. */
function tagsOf(header: string): string[] {
  return header
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

const header = (req: FastifyRequest, name: 'if-match' | 'if-none-match'): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

/**
 * The version a write must still find, from `If-Match`: undefined without the header; the
 * current version when the header lists the current ETag (or `*`); PRECONDITION_FAILED otherwise.
 * Comparison is strong: a weak tag (`W/"…"`) never matches.
 */
export function expectedVersion(req: FastifyRequest, currentEtag: string, currentVersion: number): number | undefined {
  const value = header(req, 'if-match');
  if (value === undefined) return undefined;
  const tags = tagsOf(value);
  if (tags.includes('*') || tags.includes(currentEtag)) return currentVersion;
  throw new AppError('PRECONDITION_FAILED', 'If-Match does not name the current ETag; fetch the resource again');
}

/** True when `If-None-Match` names `etag` (weak comparison) or is `*`: answer 304. */
export function notModified(req: FastifyRequest, etag: string): boolean {
  const value = header(req, 'if-none-match');
  if (value === undefined) return false;
  return tagsOf(value).some((t) => t === '*' || t.replace(/^W\//, '') === etag);
}

/** OpenAPI: the request headers of a conditional write (documented, free text: a bad value is a 412, not a 400). */
export const ifMatchHeaders = {
  type: 'object',
  properties: {
    'if-match': {
      type: 'string',
      description: 'ETag from a GET or an earlier write; the write happens only if it is still current (else 412).',
    },
  },
} as const;

export const ifNoneMatchHeaders = {
  type: 'object',
  properties: {
    'if-none-match': { type: 'string', description: 'ETag already held; 304 Not Modified when it is still current.' },
  },
} as const;
