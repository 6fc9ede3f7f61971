/**
 * Plane's error bodies, word for word (makeplane/plane: DRF defaults, `auth_exception_handler`,
 * `api/views/base.py`, `error_404.py`, the throttle handler). Each body is one constant so a test
 * can compare it exactly.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import { toProblem } from '../../http/errors.ts';

export const planeBodies = {
  notAuthenticated: { detail: 'Authentication credentials were not provided.' },
  invalidToken: { detail: 'Given API token is not valid' },
  forbidden: { detail: 'You do not have permission to perform this action.' },
  pageNotFound: { error: 'Page not found.' },
  resourceNotFound: { error: 'The requested resource does not exist.' },
  rateLimited: { error_code: 5900, error_message: 'RATE_LIMIT_EXCEEDED' },
  invalidPayload: { error: 'The payload is not valid' },
  invalidDetail: { error: 'Please provide valid detail' },
  serverError: { error: 'Something went wrong please try again later' },
} as const;

/** DRF's 405 body names the method. */
export const methodNotAllowedBody = (method: string) => ({ detail: `Method "${method}" not allowed.` });

/**
 * The 401 for every refusal of the credential step. DESIGN §6: an unknown, revoked or expired key,
 * a deactivated owner and a malformed header alike are "not valid" with 401 (Plane itself says 403).
 */
export function refuseCredential(reply: FastifyReply, failure: AuthFailure): FastifyReply {
  return reply.code(401).send(failure === 'missing' ? planeBodies.notAuthenticated : planeBodies.invalidToken);
}

/** The surface's error handler: whatever a route throws becomes one of Plane's bodies. */
export function sendPlaneError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const p = toProblem(err, request.body);
  if (p.status >= 500) {
    request.log.error({ err: p.cause ?? err }, 'request failed');
    return reply.code(p.status === 503 ? 503 : 500).send(planeBodies.serverError);
  }
  // A path parameter that is not what Plane's URL pattern accepts (`<uuid:project_id>`) matches no URL.
  if (p.part === 'params') return reply.code(404).send(planeBodies.pageNotFound);
  if (p.status === 401) return reply.code(401).send(planeBodies.invalidToken);
  if (p.status === 403) return reply.code(403).send(planeBodies.forbidden);
  if (p.status === 404) return reply.code(404).send(planeBodies.resourceNotFound);
  if (p.status === 429) return reply.code(429).send(planeBodies.rateLimited);
  if (p.status === 413) return reply.code(413).send(planeBodies.invalidPayload);
  return reply.code(400).send(planeBodies.invalidDetail);
}
