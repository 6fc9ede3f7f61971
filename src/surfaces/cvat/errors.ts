/**
 * CVAT's error bodies are Django REST Framework's: `{"detail": "…"}` for authentication,
 * permission, not-found and method errors; a field dict `{"<field>": ["…"]}` for validation; a
 * JSON array of strings for a plain ValidationError (filter and organization-context errors).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import { toProblem } from '../../http/errors.ts';
import { csrfVerdict } from '../../http/session-cookie.ts';

export const cvatMessages = {
  notProvided: 'Authentication credentials were not provided.',
  invalidToken: 'Invalid token.',
  inactive: 'User inactive or deleted.',
  forbidden: 'You do not have permission to perform this action.',
  unknownField: 'Attempted to update an unknown field',
  noUser: 'No User matches the given query.',
  invalidPage: 'Invalid page.',
  usernameTaken: 'A user with that username already exists.',
  emailTaken: 'A user is already registered with this e-mail address.',
  badLogin: 'Unable to log in with provided credentials.',
  required: 'This field is required.',
};

/** A DRF ValidationError with a field dict or a list of strings (400). */
export class CvatValidationError extends Error {
  override name = 'CvatValidationError';
  constructor(readonly body: Record<string, string[]> | string[]) {
    super('validation failed');
  }
}

/** A `{"detail": …}` answer thrown from a handler (403 unknown field, 404 invalid page, …). */
export class CvatDetailError extends Error {
  override name = 'CvatDetailError';
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(detail);
  }
}

export function detail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ detail: message });
}

/** DRF's 401: the first authentication class (TokenAuthentication) names the challenge. */
export function refuseAuth(reply: FastifyReply, failure: AuthFailure): FastifyReply {
  const message =
    failure === 'missing' ? cvatMessages.notProvided : failure === 'inactive' ? cvatMessages.inactive : cvatMessages.invalidToken;
  return reply.code(401).header('www-authenticate', 'Token').send({ detail: message });
}

/** Django's CSRF refusal reason for a cookie-authenticated request, or undefined when it may proceed. */
export function csrfRefusal(request: FastifyRequest, usedCookie: boolean): string | undefined {
  const verdict = csrfVerdict(request, usedCookie);
  return verdict === 'ok' ? undefined : `CSRF Failed: CSRF token ${verdict}.`;
}

/** core's canonical field names → CVAT's wire names */
const wireNames: Record<string, string> = { firstName: 'first_name', lastName: 'last_name', isActive: 'is_active' };

export function sendCvatError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof CvatValidationError) return reply.code(400).send(err.body);
  if (err instanceof CvatDetailError) return detail(reply, err.status, err.detail);
  const p = toProblem(err, request.body);
  if (p.status >= 500) {
    request.log.error({ err: p.cause ?? err }, 'request failed');
    return detail(reply, p.status, p.status === 503 ? 'Service unavailable.' : 'A server error occurred.');
  }
  switch (p.code) {
    case 'UNAUTHENTICATED':
      return refuseAuth(reply, 'missing');
    case 'CREDENTIALS_INVALID':
      return refuseAuth(reply, 'invalid');
    case 'FORBIDDEN':
      return detail(reply, 403, cvatMessages.forbidden);
    case 'UNKNOWN_FIELD':
      return detail(reply, 403, cvatMessages.unknownField);
    case 'USER_NOT_FOUND':
      return detail(reply, 404, cvatMessages.noUser);
    case 'ORG_NOT_FOUND':
      return detail(reply, 404, p.message);
    case 'ORG_ID_CONFLICT':
    case 'ORG_HEADER_MISMATCH':
      return reply.code(400).send([p.message]);
    case 'USERNAME_TAKEN':
      return reply.code(400).send({ username: [cvatMessages.usernameTaken] });
    case 'EMAIL_TAKEN':
      return reply.code(400).send({ email: [cvatMessages.emailTaken] });
    case 'GROUP_NOT_FOUND':
      return reply.code(400).send({ groups: [p.message] });
    case 'VALIDATION_FAILED': {
      const body: Record<string, string[]> = {};
      for (const issue of p.issues) {
        const key = wireNames[issue.field] ?? issue.field;
        body[key] = [...(body[key] ?? []), issue.message];
      }
      return reply.code(400).send(Object.keys(body).length > 0 ? body : [p.message]);
    }
    case 'BAD_REQUEST':
      return detail(reply, 400, `JSON parse error - ${p.message}`);
    case 'UNSUPPORTED_MEDIA_TYPE':
      return detail(reply, 415, `Unsupported media type "${request.headers['content-type'] ?? ''}" in request.`);
    case 'PAYLOAD_TOO_LARGE':
      return detail(reply, 413, 'Request body is too large.');
    case 'RATE_LIMITED':
      if (p.retryAfter !== undefined) reply.header('retry-after', String(p.retryAfter));
      return detail(reply, 429, 'Request was throttled.');
    default:
      return detail(reply, p.status, p.message);
  }
}
