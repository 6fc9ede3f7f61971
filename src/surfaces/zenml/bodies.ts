/**
 * Request bodies as FastAPI reads them, for this surface's routes only (Fastify scopes content-type
 * parsers to the plugin):
 * - JSON (`application/json`, `application/*+json`): parsed, prototype poisoning refused; an
 *   empty body is "no body" (clients send `Content-Type: application/json` on bodiless calls too).
 * - `application/x-www-form-urlencoded`: kept as form fields (for `/auth/login`).
 * - anything else: kept as raw text, which a JSON model then refuses (`model_attributes_type`),
 *   instead of Fastify's 415.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JsonDecodeError } from './errors.ts';

export class FormBody {
  readonly fields: URLSearchParams;
  constructor(readonly raw: string) {
    this.fields = new URLSearchParams(raw);
  }

  /** Starlette's form lookup: the last value of a repeated field. */
  get(name: string): string | undefined {
    const all = this.fields.getAll(name);
    return all.length > 0 ? all[all.length - 1] : undefined;
  }
}

export class RawBody {
  constructor(readonly raw: string) {}
}

/** Where V8 stopped parsing, when its message says so (FastAPI reports Python's position). */
function failure(text: string): JsonDecodeError {
  try {
    JSON.parse(text);
    return new JsonDecodeError(0, 'Forbidden prototype property');
  } catch (err) {
    const message = err instanceof Error ? err.message : 'Invalid JSON';
    const at = /position (\d+)/.exec(message);
    return new JsonDecodeError(at ? Number(at[1]) : 0, message);
  }
}

export function installBodyParsers(app: FastifyInstance): void {
  const secureJson = app.getDefaultJsonParser('error', 'error');
  const json = (req: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
    const text = String(body);
    if (text.length === 0) return done(null, undefined);
    secureJson(req, text, (err, value) => (err ? done(failure(text)) : done(null, value)));
  };
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, json);
  app.addContentTypeParser(/^application\/[\w.+-]+\+json$/, { parseAs: 'string' }, json);
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, new FormBody(String(body))),
  );
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, new RawBody(String(body))));
}

/** The body a JSON model sees: form or other text is raw text (FastAPI hands it the bytes), empty is none. */
export function jsonBodyOf(request: FastifyRequest): unknown {
  const body = request.body;
  if (body instanceof FormBody || body instanceof RawBody) return body.raw.length > 0 ? body.raw : undefined;
  return body;
}
