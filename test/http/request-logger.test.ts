/**
 * request.log (src/http/request-logger.ts): messages at or above the level are written with the
 * request id bound, exactly as a pino child writes them; below the level nothing is made.
 */
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../src/http/request-logger.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

describe('lazy request logger', () => {
  it('writes warnings with the request id and the message, skips what is below the level, and makes children', async () => {
    const { lines, stream } = capture();
    const app = Fastify({ logger: { level: 'warn', stream }, childLoggerFactory: lazyRequestLogger, genReqId: () => 'req-7' });
    app.get('/', async (req) => {
      req.log.info('not written');
      req.log.warn({ detail: 42 }, 'written %s', 'once');
      req.log.child({ part: 'inner' }).error('from a child');
      expect(req.log.level).toBe('warn');
      expect((req.log as unknown as { isLevelEnabled(l: string): boolean }).isLevelEnabled('debug')).toBe(false);
      return { ok: true };
    });
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    await app.close();
    expect(lines.map((l) => l.msg)).toEqual(['written once', 'from a child']);
    expect(lines[0]).toMatchObject({ level: 40, reqId: 'req-7', detail: 42 });
    expect(lines[1]).toMatchObject({ level: 50, reqId: 'req-7', part: 'inner' });
  });

  it('gives a route with its own log level a real child at that level', async () => {
    const { lines, stream } = capture();
    const app = Fastify({ logger: { level: 'warn', stream }, childLoggerFactory: lazyRequestLogger });
    app.get('/', { logLevel: 'debug' }, async (req) => {
      req.log.debug('route debug');
      return {};
    });
    await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(lines.some((l) => l.msg === 'route debug')).toBe(true);
  });
});
