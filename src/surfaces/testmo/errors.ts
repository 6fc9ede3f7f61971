/**
 * Testmo errors in one body for every 4xx and 5xx (DESIGN §6, the official binding's
 * `ErrorCollection`): `{"message": "…", "errors": {"<param>": ["…"]}}`, `errors` `{}` when no
 * parameter is at fault. Every failure of the surface leaves through `testmoAnswerOf`; 5xx
 * details are logged, never sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthFailure } from '../../http/auth.ts';
import { type Problem, toProblem } from '../../http/errors.ts';

export type ParamErrors = Record<string, string[]>;

export interface TestmoAnswer {
  status: number;
  message: string;
  errors: ParamErrors;
  retryAfter?: number;
}

/** Invalid values of known parameters: 422 with the messages per parameter (Laravel's wording). */
export class TestmoParamError extends Error {
  override name = 'TestmoParamError';
  constructor(readonly errors: ParamErrors) {
    super('The given data was invalid.');
  }
}

export const messages = {
  unauthenticated: 'Authentication required: send your API token as "Authorization: Bearer <token>".',
  invalidToken: 'The API token is invalid, expired or revoked.',
  inactive: 'The user of this API token is deactivated.',
  forbidden: 'You do not have permission to perform this action.',
  invalid: 'The given data was invalid.',
  userNotFound: 'The user could not be found.',
  projectNotFound: 'The project could not be found.',
  routeNotFound: 'The requested resource could not be found.',
  methodNotAllowed: 'The method is not allowed for this resource.',
  rateLimited: 'Too many requests: retry after the number of seconds in the Retry-After header.',
  server: 'Server error.',
} as const;

const answer = (status: number, message: string, errors: ParamErrors = {}): TestmoAnswer => ({ status, message, errors });

/** Maps a normalised problem onto Testmo's status and message. */
export function testmoAnswerOf(p: Problem): TestmoAnswer {
  switch (p.code) {
    case 'UNAUTHENTICATED':
      return answer(401, messages.unauthenticated);
    case 'CREDENTIALS_INVALID':
    case 'PASSWORD_EXPIRED':
      return answer(401, messages.invalidToken);
    case 'USER_INACTIVE':
      return answer(401, messages.inactive);
    case 'FORBIDDEN':
      return answer(403, messages.forbidden);
    case 'USER_NOT_FOUND':
      return answer(404, messages.userNotFound);
    case 'PROJECT_NOT_FOUND':
      return answer(404, messages.projectNotFound);
    case 'ROUTE_NOT_FOUND':
    case 'NOT_FOUND':
      return answer(404, messages.routeNotFound);
    case 'METHOD_NOT_ALLOWED':
      return answer(405, messages.methodNotAllowed);
    case 'RATE_LIMITED':
      return rateLimited(p.retryAfter);
    case 'VALIDATION_FAILED':
    case 'UNKNOWN_FIELD': {
      const errors: ParamErrors = {};
      for (const issue of p.issues) {
        const param = issue.field || 'request';
        errors[param] = [...(errors[param] ?? []), issue.message];
      }
      return answer(422, messages.invalid, errors);
    }
    default:
      if (p.status >= 500) return answer(p.status === 503 ? 503 : 500, messages.server);
      return answer(p.status, p.message);
  }
}

/** The 429 answer, for whichever limiter refuses a request on this surface. */
export function rateLimited(retryAfter?: number): TestmoAnswer {
  return { ...answer(429, messages.rateLimited), ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

export function testmoErrorOf(err: unknown): TestmoAnswer {
  if (err instanceof TestmoParamError) return answer(422, err.message, err.errors);
  return testmoAnswerOf(toProblem(err));
}

export function sendTestmo(reply: FastifyReply, a: TestmoAnswer) {
  if (a.retryAfter !== undefined) reply.header('retry-after', String(a.retryAfter));
  return reply.code(a.status).type('application/json; charset=utf-8').send({ message: a.message, errors: a.errors });
}

export function sendTestmoError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  const a = testmoErrorOf(err);
  if (a.status >= 500) req.log.error({ err: toProblem(err).cause ?? err }, 'request failed');
  return sendTestmo(reply, a);
}

const authMessages: Record<AuthFailure, string> = {
  missing: messages.unauthenticated,
  malformed: messages.unauthenticated,
  invalid: messages.invalidToken,
  password_expired: messages.invalidToken,
  inactive: messages.inactive,
};

/** The 401 of every credential failure; the secret itself is never echoed. */
export function refuseCredentials(reply: FastifyReply, failure: AuthFailure) {
  reply.header('www-authenticate', 'Bearer realm="testmo"');
  return sendTestmo(reply, answer(401, authMessages[failure]));
}

/** Answers decided by the router (unknown path, wrong method). */
export const routeAnswer = (code: 'ROUTE_NOT_FOUND' | 'METHOD_NOT_ALLOWED') => (_req: FastifyRequest, reply: FastifyReply) =>
  sendTestmo(reply, testmoAnswerOf({ status: code === 'ROUTE_NOT_FOUND' ? 404 : 405, code, message: '', issues: [] }));
