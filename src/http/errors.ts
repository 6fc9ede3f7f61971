/**
 * Turns anything thrown in a request into one normalised problem that a surface formats in its
 * own dialect. 5xx details never reach the client; they are logged with the request id.
 */
import type { FastifyError } from 'fastify';
import { AppError, type ErrorCode, type FieldIssue } from '../core/errors.ts';

export interface Problem {
  status: number;
  code: ErrorCode | 'BAD_REQUEST' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'METHOD_NOT_ALLOWED' | 'ROUTE_NOT_FOUND';
  message: string;
  issues: FieldIssue[];
  /** where a validation error came from: body, querystring, params, headers */
  part?: string;
  retryAfter?: number;
  /** the original error, for logging 5xx */
  cause?: unknown;
}

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

function ajvIssueToField(e: AjvIssue, data?: unknown): FieldIssue {
  const path = e.instancePath.replace(/^\//, '').split('/').filter(Boolean);
  let field = path.join('.');
  let kind = e.keyword;
  if (e.keyword === 'required') {
    field = [...path, String(e.params.missingProperty)].join('.');
    kind = 'required';
  } else if (e.keyword === 'additionalProperties') {
    field = [...path, String(e.params.additionalProperty)].join('.');
    kind = 'unknown';
  } else if (e.keyword === 'maxLength') kind = 'too_long';
  else if (e.keyword === 'minLength') kind = 'too_short';
  let input: unknown = data;
  for (const p of path) input = input && typeof input === 'object' ? (input as Record<string, unknown>)[p] : undefined;
  return { field, kind, message: e.message ?? 'invalid', ctx: e.params, input };
}

export function toProblem(err: unknown, data?: unknown): Problem {
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      issues: err.issues,
      ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
    };
  }
  const fe = err as FastifyError & { validation?: AjvIssue[]; validationContext?: string };
  if (fe && Array.isArray(fe.validation)) {
    const issues = fe.validation.map((v) => ajvIssueToField(v, data));
    const unknown = issues.filter((i) => i.kind === 'unknown');
    return {
      status: 400,
      code: unknown.length > 0 ? 'UNKNOWN_FIELD' : 'VALIDATION_FAILED',
      message: issues.map((i) => `${i.field || fe.validationContext}: ${i.message}`).join('; '),
      issues,
      ...(fe.validationContext ? { part: fe.validationContext } : {}),
    };
  }
  const status = typeof fe?.statusCode === 'number' ? fe.statusCode : 500;
  if (status === 413) return { status, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large', issues: [] };
  if (status === 415) return { status, code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported media type', issues: [] };
  if (status === 429) return { status, code: 'RATE_LIMITED', message: 'Too many requests', issues: [] };
  if (status >= 400 && status < 500) {
    const message =
      fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
        ? 'Body cannot be empty when content-type is set to application/json'
        : fe.code?.startsWith('FST_ERR_CTP') || fe instanceof SyntaxError
          ? 'Malformed JSON body'
          : 'Bad request';
    return { status: 400, code: 'BAD_REQUEST', message, issues: [] };
  }
  // Last resort for input the database refuses as data (PostgreSQL class 22: NUL in text, an
  // integer out of range, text too long) that no earlier check caught: the client's fault, 400.
  if (isDataException(err)) return { status: 400, code: 'BAD_REQUEST', message: 'Invalid value', issues: [], cause: err };
  if (isDatabaseDown(err))
    return { status: 503, code: 'UNAVAILABLE', message: 'Service unavailable', issues: [], retryAfter: 1, cause: err };
  return { status: 500, code: 'INTERNAL', message: 'Internal server error', issues: [], cause: err };
}

/** Driver codes of a database that is down, restarting, unreachable or out of connections. */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, connection_exception family
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  'SQLITE_BUSY',
]);

/** node-postgres and pg-pool say it in words only: a closed, broken or never-made connection. */
const unavailableMessage =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|not queryable|Client was closed|terminating connection|Connection ended/i;

function isDataException(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && ['22001', '22003', '22021', '22P02', '22P05'].includes(code);
}

/** Connection-level database failures (PostgreSQL down or restarting): answer 503, not 500. */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; message?: string; cause?: unknown };
  if (unavailableCodes.has(e?.code ?? '') || unavailableMessage.test(e?.message ?? '')) return true;
  // AggregateError (a connect to several addresses) and wrapped errors carry the reason inside.
  const inner = (err as { errors?: unknown[] })?.errors;
  return Array.isArray(inner) && inner.some(isDatabaseDown);
}
