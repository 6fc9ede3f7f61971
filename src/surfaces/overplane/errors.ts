/**
 * Overplane errors in Stripe's envelope (DESIGN §6): `{"error": {"type", "message", "param", "code"}}`,
 * `param` and `code` only when they mean something. Every failure of the surface, from a missing
 * key to a body over the limit, leaves through `stripeErrorOf`; 5xx details are logged, never sent.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FieldIssue } from '../../core/errors.ts';
import type { AuthFailure } from '../../http/auth.ts';
import { type Problem, toProblem } from '../../http/errors.ts';
import { wireParam } from './present.ts';

export type StripeErrorType = 'invalid_request_error' | 'authentication_error' | 'idempotency_error' | 'rate_limit_error' | 'api_error';

export interface StripeError {
  type: StripeErrorType;
  message: string;
  param?: string;
  code?: string;
}

export interface StripeAnswer {
  status: number;
  error: StripeError;
  retryAfter?: number;
}

/** An answer decided by the surface itself (e.g. the protected built-in admin). */
export class OverplaneError extends Error {
  override name = 'OverplaneError';
  constructor(
    readonly status: number,
    readonly error: StripeError,
  ) {
    super(error.message);
  }
}

const invalid = (status: number, message: string, extra: Omit<StripeError, 'type' | 'message'> = {}): StripeAnswer => ({
  status,
  error: { type: 'invalid_request_error', message, ...extra },
});

/** One parameter problem, Stripe's way: unknown before missing before invalid, first one reported. */
function parameterError(issues: FieldIssue[], part: string | undefined): StripeAnswer {
  const rank = (i: FieldIssue) => (i.kind === 'unknown' ? 0 : i.kind === 'required' ? 1 : 2);
  const issue = [...issues].sort((a, b) => rank(a) - rank(b))[0];
  if (!issue) return invalid(400, 'Invalid request.');
  const param = wireParam(issue.field);
  if (!param) {
    const what = part === 'querystring' ? 'query string' : 'request body';
    return invalid(400, `Invalid ${what}: it must be a JSON object.`);
  }
  if (issue.kind === 'unknown') return invalid(400, `Received unknown parameter: ${param}`, { param, code: 'parameter_unknown' });
  if (issue.kind === 'required') return invalid(400, `Missing required param: ${param}.`, { param, code: 'parameter_missing' });
  // minLength/pattern only guard first_name against blanks in this schema; Ajv's wording would show the regex.
  const reason = issue.kind === 'too_short' || issue.kind === 'pattern' ? 'must not be blank' : issue.message.replace(/\.$/, '');
  return invalid(400, `Invalid ${param}: ${reason}.`, { param, code: 'parameter_invalid' });
}

function pathOf(req: FastifyRequest): string {
  return req.url.split('?')[0] ?? req.url;
}

function requestedId(req: FastifyRequest): string {
  const id = (req.params as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
}

/** Maps a normalised problem onto Stripe's status, type, code and param. */
export function stripeAnswerOf(p: Problem, req: FastifyRequest): StripeAnswer {
  switch (p.code) {
    case 'VALIDATION_FAILED':
    case 'UNKNOWN_FIELD':
      return parameterError(p.issues, p.part);
    case 'BAD_REQUEST':
      return invalid(400, p.message === 'Malformed JSON body' ? 'Invalid JSON in the request body.' : p.message);
    case 'PAYLOAD_TOO_LARGE':
      return invalid(413, 'The request body is too large.');
    case 'UNSUPPORTED_MEDIA_TYPE':
      return invalid(415, 'Unsupported Content-Type: send the body as application/json.');
    case 'UNAUTHENTICATED':
    case 'CREDENTIALS_INVALID':
    case 'USER_INACTIVE':
    case 'PASSWORD_EXPIRED':
      return { status: 401, error: { type: 'authentication_error', message: 'Invalid API Key provided.' } };
    case 'FORBIDDEN':
      return invalid(403, 'The provided key does not have the permissions this request needs: managing users requires an admin key.', {
        code: 'insufficient_permissions',
      });
    case 'USER_NOT_FOUND':
    case 'NOT_FOUND':
      return invalid(404, `No such user: '${requestedId(req)}'`, { param: 'id', code: 'resource_missing' });
    case 'ROUTE_NOT_FOUND':
      return invalid(404, `Unrecognized request URL (${req.method}: ${pathOf(req)}).`);
    case 'METHOD_NOT_ALLOWED':
      return invalid(405, `Method ${req.method} is not allowed on ${pathOf(req)}.`);
    case 'EMAIL_TAKEN':
    case 'USERNAME_TAKEN':
    case 'MOBILE_TAKEN': {
      const param = wireParam(p.issues[0]?.field ?? '');
      return invalid(409, `A user with this ${param} already exists.`, { param, code: 'resource_already_exists' });
    }
    case 'CONFLICT':
      return invalid(409, 'The request conflicts with an existing user.', { code: 'resource_already_exists' });
    case 'IDEMPOTENCY_KEY_REUSED': {
      const key = String(req.headers['idempotency-key'] ?? '');
      return {
        status: 400,
        error: {
          type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        },
      };
    }
    case 'IDEMPOTENCY_IN_PROGRESS':
      return {
        status: 409,
        error: {
          type: 'idempotency_error',
          code: 'idempotency_key_in_use',
          message: 'There is currently another in-progress request using this Idempotency-Key. Try again later.',
        },
      };
    case 'RATE_LIMITED':
      return rateLimited(p.retryAfter);
    default:
      if (p.status >= 500) {
        return {
          status: p.status === 503 ? 503 : 500,
          error: { type: 'api_error', message: 'An error occurred with our API. Please try again.' },
        };
      }
      return invalid(p.status, p.message);
  }
}

/** The 429 answer, for whichever limiter refuses a request on this surface. */
export function rateLimited(retryAfter?: number): StripeAnswer {
  return {
    status: 429,
    error: { type: 'rate_limit_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly. Please retry later.' },
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  };
}

export function stripeErrorOf(err: unknown, req: FastifyRequest): StripeAnswer {
  if (err instanceof OverplaneError) return { status: err.status, error: err.error };
  return stripeAnswerOf(toProblem(err, req.body), req);
}

export function sendStripe(reply: FastifyReply, answer: StripeAnswer) {
  if (answer.retryAfter !== undefined) reply.header('retry-after', String(answer.retryAfter));
  return reply.code(answer.status).type('application/json; charset=utf-8').send({ error: answer.error });
}

export function sendStripeError(req: FastifyRequest, reply: FastifyReply, err: unknown) {
  const answer = stripeErrorOf(err, req);
  if (answer.status >= 500) req.log.error({ err: toProblem(err).cause ?? err }, 'request failed');
  return sendStripe(reply, answer);
}

const authMessages: Record<AuthFailure, string> = {
  missing:
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
  malformed: "Invalid Authorization header. Send your API key as 'Authorization: Bearer YOUR_SECRET_KEY'.",
  invalid: 'Invalid API Key provided.',
  inactive: 'The API key provided belongs to a disabled user.',
  password_expired: 'The password of the user owning this API key has expired.',
};

/** The 401 of every credential failure; the secret itself is never echoed. */
export function refuseCredentials(reply: FastifyReply, failure: AuthFailure) {
  reply.header('www-authenticate', 'Bearer realm="overplane"');
  return sendStripe(reply, { status: 401, error: { type: 'authentication_error', message: authMessages[failure] } });
}
