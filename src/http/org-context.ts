/**
 * The organization-context input of any request, CVAT's way: `org` (slug) or `org_id` query
 * parameters, or the `X-Organization` header. Core (`core.orgContext.resolve`) decides what it means.
 */
import type { FastifyRequest } from 'fastify';
import type { OrgContextInput } from '../core/tenancy/org-context.ts';

type Query = Record<string, string | string[] | undefined>;

/** The last value of a repeated parameter, as Django's QueryDict.get does. */
function last(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length > 0 ? String(v[v.length - 1]) : undefined;
  return v === undefined || v === null ? undefined : String(v);
}

export function orgContextInput(request: FastifyRequest): OrgContextInput {
  const q = (request.query ?? {}) as Query;
  return { org: last(q.org), orgId: last(q.org_id), header: last(request.headers['x-organization']) };
}
