/** Native errors are RFC 9457 problem details (`application/problem+json`). */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toProblem } from '../../http/errors.ts';

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: unknown) {
  const p = toProblem(err, request.body);
  if (p.status >= 500) request.log.error({ err: p.cause ?? err }, 'request failed');
  if (p.retryAfter !== undefined) reply.header('retry-after', String(p.retryAfter));
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    412: 'Precondition Failed',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    429: 'Too Many Requests',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return reply
    .code(p.status)
    .type('application/problem+json')
    .send({
      type: `about:blank#${p.code.toLowerCase()}`,
      title: titles[p.status] ?? 'Error',
      status: p.status,
      detail: p.message,
      code: p.code,
      request_id: request.id,
      ...(p.issues.length > 0 ? { errors: p.issues.map((i) => ({ field: camelToSnake(i.field), kind: i.kind, message: i.message })) } : {}),
    });
}

export function problem(request: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `about:blank#${code.toLowerCase()}`, title: detail, status, detail, code, request_id: request.id });
}
