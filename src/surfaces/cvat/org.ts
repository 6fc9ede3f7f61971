/** The organization context of a CVAT request: `org`, `org_id` query parameters, `X-Organization` header. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../core/auth/actor.ts';
import type { Core } from '../../core/index.ts';
import type { OrgContext } from '../../core/tenancy/types.ts';
import { type Query, single } from './list-query.ts';

export function orgContextOf(core: Core, actor: Actor, request: FastifyRequest): Promise<OrgContext> {
  const q = request.query as Query;
  const raw = request.headers['x-organization'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  return core.orgContext.resolve(actor, { org: single(q, 'org'), orgId: single(q, 'org_id'), header });
}
