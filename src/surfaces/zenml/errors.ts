/**
 * ZenML's error format is FastAPI's: 422 `{"detail": [pydantic errors]}` for request validation,
 * and `{"detail": "<message>"}` with a string for every other error (DESIGN §6).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, errorCatalogue, type FieldIssue } from '../../core/errors.ts';
import { type Problem, toProblem } from '../../http/errors.ts';
import { type PydanticError, RequestValidationError } from './pydantic.ts';

/** A body Fastify could not parse as JSON; `position` is where parsing stopped, as FastAPI reports it. */
export class JsonDecodeError extends Error {
  override name = 'JsonDecodeError';
  readonly statusCode = 400;
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super('JSON decode error');
  }
}

export function detail(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).send({ detail: message });
}

/** FastAPI's OAuth2 security dependency answers every missing or unusable credential this way. */
export function notAuthenticated(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({ detail: 'Not authenticated' });
}

const messages: Partial<Record<Problem['code'], string>> = {
  USERNAME_TAKEN: 'A user with this username already exists.',
  EMAIL_TAKEN: 'A user with this email address already exists.',
  MOBILE_TAKEN: 'A user with this mobile number already exists.',
  USER_NOT_FOUND: 'User not found.',
  NOT_FOUND: 'Not Found',
  RATE_LIMITED: 'Too many requests.',
  PAYLOAD_TOO_LARGE: 'Request body is too large.',
  UNAVAILABLE: 'Service unavailable.',
  INTERNAL: 'Internal Server Error',
};

/** core field name → ZenML wire name */
const wireNames: Record<string, string> = {
  displayName: 'name',
  avatarUrl: 'avatar_url',
  jobTitle: 'job_title',
  isActive: 'is_active',
  isSuperuser: 'is_superuser',
  isOnboarded: 'is_onboarded',
  passwordExpired: 'password_expired',
};
const secretFields = new Set(['password', 'old_password']);
/** pydantic's rendering of a SecretStr: a secret is never echoed back */
const REDACTED = '**********';

/** A secret field's value is never echoed in an error, whatever was wrong with it. */
function redacted(e: PydanticError): PydanticError {
  return secretFields.has(String(e.loc[1])) && e.type !== 'missing' ? { ...e, input: REDACTED } : e;
}

/**
 * Core's value-rule refusals (VALIDATION_FAILED) as pydantic reports a failed field validator:
 * `value_error`, "Value error, …", with the offending field under the request part it came from.
 */
export function coreIssuesToPydantic(issues: FieldIssue[], part: 'body' | 'query', sent: unknown): PydanticError[] {
  return issues.map((issue) => {
    const field = wireNames[issue.field] ?? issue.field;
    const given = sent && typeof sent === 'object' ? (sent as Record<string, unknown>)[field] : undefined;
    const input = secretFields.has(field) ? REDACTED : (issue.input ?? given ?? null);
    return { type: 'value_error', loc: [part, field], msg: `Value error, ${issue.message}`, input, ctx: { error: {} } };
  });
}

/** Runs a core call whose input came from `part`, turning its validation refusal into a 422. */
export async function fromPart<T>(part: 'body' | 'query', sent: unknown, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof AppError && (err.code === 'VALIDATION_FAILED' || err.code === 'UNKNOWN_FIELD')) {
      throw new RequestValidationError(coreIssuesToPydantic(err.issues, part, sent));
    }
    throw err;
  }
}

/** A message core chose stays; a bare catalogue title (or any 5xx) gets this surface's wording. */
function messageOf(p: Problem): string {
  const known = messages[p.code];
  if (p.status >= 500) return known ?? 'Internal Server Error';
  const isTitle = p.code in errorCatalogue && errorCatalogue[p.code as ErrorCode].title === p.message;
  return (isTitle || p.code === 'BAD_REQUEST' ? known : undefined) ?? p.message;
}

export function sendZenmlError(request: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof RequestValidationError) return reply.code(422).send({ detail: err.errors.map(redacted) });
  if (err instanceof JsonDecodeError) {
    return reply.code(422).send({
      detail: [{ type: 'json_invalid', loc: ['body', err.position], msg: 'JSON decode error', input: {}, ctx: { error: err.reason } }],
    });
  }
  const p = toProblem(err, request.body);
  if (p.status >= 500) request.log.error({ err: p.cause ?? err }, 'request failed');
  if (p.code === 'VALIDATION_FAILED' || p.code === 'UNKNOWN_FIELD') {
    return reply.code(422).send({ detail: coreIssuesToPydantic(p.issues, 'body', request.body) });
  }
  if (p.code === 'UNAUTHENTICATED') return notAuthenticated(reply);
  if (p.status === 401) reply.header('www-authenticate', 'Bearer');
  if (p.retryAfter !== undefined) reply.header('retry-after', String(p.retryAfter));
  return detail(reply, p.status, messageOf(p));
}
