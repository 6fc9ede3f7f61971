/** The organization context of a CVAT request: `org`, `org_id` query parameters, `X-Organization` header. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../core/auth/actor.ts';
import type { Core } from '../../core/index.ts';
import type { OrgContext } from '../../core/tenancy/types.ts';
import { orgContextInput } from '../../http/org-context.ts';

export function orgContextOf(core: Core, actor: Actor, request: FastifyRequest): Promise<OrgContext> {
  return core.orgContext.resolve(actor, orgContextInput(request));
}
