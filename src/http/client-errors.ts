/**
 * Answers for requests Node's HTTP parser refuses before Fastify sees them (headers over
 * 16 KiB → 431, malformed requests → 400, timeouts → 408), in place of Fastify's default
 * clientErrorHandler: the same answers, plus the security headers every response carries and
 * `Connection: close`. Only the error code is logged: the parser's error holds the raw request
 * bytes (`rawPacket`), credentials included.
 */
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';

export function clientErrorHandler(headers: () => Record<string, string>, log: () => FastifyBaseLogger | undefined) {
  return (err: Error & { code?: string }, socket: Socket): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const status = err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : err.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const message = status === 408 ? 'Client Timeout' : status === 431 ? 'Exceeded maximum allowed HTTP header size' : 'Client Error';
    const body = JSON.stringify({ error: STATUS_CODES[status], message, statusCode: status });
    log()?.trace({ code: err.code }, 'client error');
    if (socket.writable) {
      const extra = Object.entries(headers())
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n${extra}\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
