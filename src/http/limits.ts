/**
 * Request bounds every surface shares (checklist J3): how many header fields a request may carry
 * and how deep and how large a parsed JSON body may be. The body size itself is Fastify's
 * `bodyLimit` (BODY_LIMIT_BYTES, 413); filters have their own bounds in core/query/bounds.ts.
 *
 * Violations are thrown from hooks as VALIDATION_FAILED, so each surface answers with its own
 * validation error (400; ZenML 422).
 * No legitimate body comes near these bounds: the deepest schema (`metadata`, a JSON object) is
 * one level, the largest array 100 group names.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.ts';

export const requestLimits = {
  /** header fields per request (Node itself keeps at most 2,000 and silently drops the rest) */
  maxHeaderFields: 100,
  /** nesting of objects and arrays in a JSON body */
  maxJsonDepth: 32,
  /** values (objects, arrays, scalars) in a JSON body */
  maxJsonValues: 5_000,
} as const;

/** What is wrong with a parsed body, or undefined. Iterative: a deep body cannot blow the stack. */
export function jsonBodyViolation(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const stack: [unknown, number][] = [[body, 1]];
  let values = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (++values > requestLimits.maxJsonValues) return `body has too many values (at most ${requestLimits.maxJsonValues})`;
    if (value === null || typeof value !== 'object') continue;
    if (depth > requestLimits.maxJsonDepth) return `body is nested too deeply (at most ${requestLimits.maxJsonDepth} levels)`;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** Registers the checks on the root instance, before any surface, so every route inherits them. */
export function registerRequestLimits(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.raw.rawHeaders.length / 2 > requestLimits.maxHeaderFields) {
      const message = `too many header fields (at most ${requestLimits.maxHeaderFields})`;
      done(new AppError('VALIDATION_FAILED', message, { issues: [{ field: 'headers', kind: 'invalid', message }] }));
      return;
    }
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const problem = jsonBodyViolation(request.body);
    if (problem) {
      done(new AppError('VALIDATION_FAILED', problem, { issues: [{ field: 'body', kind: 'invalid', message: problem }] }));
      return;
    }
    done();
  });
}
