/**
 * Generates hostile requests from the app's own `/openapi.json`: for an operation (method + path
 * template + its documented parameters and body schema) and a credential, one request whose path
 * parameters, query string, headers and body are drawn from the corpus, mixed with real values of
 * the seeded world so that requests also reach the code behind validation. Deterministic for a
 * seed (mulberry32), so a failing request can be replayed from its index.
 */

import { prng } from '../../src/storage/prng.ts';
import {
  hostileHeaderValues,
  hostileJsonLogic,
  hostileJsonValues,
  hostileNumbers,
  hostilePageSizes,
  hostileRawBodies,
  hostileScim,
  hostileSorts,
  hostileStrings,
  universalQueryParams,
} from './corpus.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Operation {
  method: Method;
  /** OpenAPI template, e.g. `/v1/users/{id}` */
  path: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  /** top-level property names of the JSON body schema, when it has one */
  bodyFields: string[];
  bodyTypes: string[];
}

export interface HostileRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  /** raw text, already serialised */
  body?: string;
  /** what the generator did, for failure reports */
  note: string;
}

/** A credential as a surface's clients send it. */
export interface Credential {
  kind: string;
  /** the API key or session token; undefined for anonymous */
  secret?: string;
  /** for HTTP Basic on CVAT */
  login?: { username: string; password: string };
}

/** Real values of the seeded world per parameter name, so some requests hit real objects. */
export type RealValues = Record<string, string[]>;

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
      }
    >
  >;
}

/** Every operation of the document. */
export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      ops.push({
        method: method.toUpperCase() as Method,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        headerParams: params.filter((p) => p.in === 'header').map((p) => p.name),
        bodyFields: Object.keys(schema?.properties ?? {}),
        bodyTypes: Object.keys(content),
      });
    }
  }
  return ops;
}

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on them). */
export function encodeAny(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (code >= 0xd800 && code <= 0xdfff) {
      // CESU-style bytes of the lone half: invalid UTF-8 the server must refuse or replace.
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`;
    } else out += encodeURIComponent(ch);
  }
  return out;
}

/** Raw URL fragments that are not the encoding of any string: overlong UTF-8, bad escapes. */
const rawUrlPieces = ['%C0%AF', '%E0%80%AF', '%FF', '%', '%zz', '%2e%2e%2f', '..', '%2F', ';x', '%00', '%25', '%F0%9F'];

/** Which credential header styles a path's surface accepts (DESIGN §4). */
export function headerStylesFor(path: string): ('x-api-key' | 'bearer' | 'token' | 'basic')[] {
  if (path.startsWith('/v1/')) return ['bearer', 'x-api-key'];
  if (path.startsWith('/api/v1/users/me') || path.startsWith('/api/v1/workspaces')) return ['x-api-key', 'bearer'];
  if (path.startsWith('/api/users') || path.startsWith('/api/auth')) return ['token', 'bearer', 'basic'];
  return ['bearer'];
}

export interface GeneratorInput {
  ops: Operation[];
  credentials: Credential[];
  real: RealValues;
  seed: number;
}

export function createGenerator({ ops, credentials, real, seed }: GeneratorInput) {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const chance = (p: number) => rnd() < p;

  function hostileScalar(): unknown {
    const r = rnd();
    if (r < 0.45) return pick(hostileStrings);
    if (r < 0.65) return pick(hostileNumbers);
    if (r < 0.8) return pick(hostileJsonValues);
    if (r < 0.9) return pick(hostileJsonLogic);
    return pick(hostileScim);
  }

  function hostileText(): string {
    const v = hostileScalar();
    return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
  }

  function pathValue(name: string): string {
    const known = real[name] ?? real['*'] ?? [];
    if (known.length > 0 && chance(0.45)) return encodeAny(pick(known));
    if (chance(0.15)) return pick(rawUrlPieces) + (chance(0.5) ? encodeAny(pick(known.length ? known : ['1'])) : '');
    return encodeAny(hostileText()) || '%20';
  }

  function queryValue(name: string): string {
    if (['limit', 'page_size', 'per_page', 'page', 'offset'].includes(name)) return pick(hostilePageSizes);
    if (name === 'filter') return chance(0.7) ? pick(hostileJsonLogic) : pick(hostileScim);
    if (name === 'sort') return pick(hostileSorts);
    if (name === 'org' || name === 'org_id') return chance(0.4) && real.org?.length ? pick(real.org) : hostileText();
    return hostileText();
  }

  function query(op: Operation): string {
    const names = [...new Set([...op.queryParams, ...universalQueryParams])];
    const parts: string[] = [];
    const n = Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      const name = pick(names);
      parts.push(`${encodeAny(name)}=${encodeAny(queryValue(name))}`);
      // parameter pollution (K5): the same name twice
      if (chance(0.1)) parts.push(`${encodeAny(name)}=${encodeAny(queryValue(name))}`);
    }
    if (chance(0.05)) parts.push(`per_page[]=1&limit[$gt]=1`);
    return parts.length > 0 ? `?${parts.join('&')}` : '';
  }

  function credentialHeaders(op: Operation, cred: Credential): Record<string, string> {
    const styles = headerStylesFor(op.path);
    const style = pick(styles);
    if (cred.secret === undefined) {
      if (cred.login && style === 'basic')
        return { authorization: `Basic ${Buffer.from(`${cred.login.username}:${cred.login.password}`).toString('base64')}` };
      return {};
    }
    if (style === 'x-api-key') return { 'x-api-key': cred.secret };
    if (style === 'token') return { authorization: `Token ${cred.secret}` };
    return { authorization: `Bearer ${cred.secret}` };
  }

  function hostileHeaders(op: Operation): Record<string, string> {
    const h: Record<string, string> = {};
    const n = Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const which = pick([
        'authorization',
        'x-api-key',
        'x-organization',
        'idempotency-key',
        'x-request-id',
        'origin',
        'accept',
        'cookie',
        'x-forwarded-for',
        'x-http-method-override',
        'if-match',
        ...op.headerParams,
      ]);
      let value = pick(hostileHeaderValues);
      if (which === 'cookie') value = `roster_session=${value}`;
      h[which] = value;
    }
    return h;
  }

  function bodyFor(op: Operation): { body?: string; contentType?: string; note: string } {
    const r = rnd();
    if (r < 0.3) return { body: pick(hostileRawBodies), contentType: 'application/json', note: 'raw body' };
    if (r < 0.36)
      return {
        body: 'a=1&is_superuser=true&password=x',
        contentType: pick(['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']),
        note: 'non-JSON body',
      };
    if (r < 0.4)
      return {
        body: '{"a":1}',
        contentType: pick([
          'application/json; charset=utf-16',
          'application/xml',
          'application/json, text/plain',
          'application/vnd.api+json',
        ]),
        note: 'odd content type',
      };
    // a JSON object whose documented (or privileged) fields carry hostile values
    const fields =
      op.bodyFields.length > 0
        ? op.bodyFields
        : ['username', 'email', 'password', 'first_name', 'name', 'role', 'slug', 'token', 'user_id'];
    const extra = [
      'is_superuser',
      'is_staff',
      'is_active',
      'is_service_account',
      'organization_id',
      'password_hash',
      'role',
      'groups',
      'id',
      '__proto__',
    ];
    const obj: Record<string, unknown> = {};
    const n = 1 + Math.floor(rnd() * 4);
    for (let i = 0; i < n; i++) {
      const name = chance(0.85) ? pick(fields) : pick(extra);
      obj[name] = chance(0.25) && real[name]?.length ? pick(real[name] as string[]) : hostileScalar();
    }
    const asForm = op.bodyTypes.includes('application/x-www-form-urlencoded') && chance(0.6);
    if (asForm) {
      const text = Object.entries(obj)
        .map(([k, v]) => `${encodeAny(k)}=${encodeAny(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`)
        .join('&');
      return { body: text, contentType: 'application/x-www-form-urlencoded', note: 'form fields' };
    }
    return { body: JSON.stringify(obj), contentType: 'application/json', note: 'hostile fields' };
  }

  /** The i-th request: operations and credentials are taken round-robin so every pair is covered. */
  function next(i: number): HostileRequest {
    const op = ops[i % ops.length] as Operation;
    const cred = credentials[Math.floor(i / ops.length) % credentials.length] as Credential;
    let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => pathValue(name));
    url += query(op);
    const headers: Record<string, string> = { ...credentialHeaders(op, cred) };
    // Half the time the credential is the only header; otherwise hostile headers are added (and may replace it).
    if (chance(0.5)) Object.assign(headers, hostileHeaders(op));
    let body: string | undefined;
    let note = `${cred.kind}`;
    const wantsBody = op.method !== 'GET' && op.method !== 'DELETE' ? chance(0.9) : chance(0.1);
    if (wantsBody) {
      const b = bodyFor(op);
      if (b.body !== undefined) {
        body = b.body;
        headers['content-type'] = b.contentType ?? 'application/json';
      }
      note += `, ${b.note}`;
    } else if (chance(0.2)) {
      // Plane's SDK sends a JSON content type without a body (DESIGN §6)
      headers['content-type'] = 'application/json';
    }
    return { method: op.method, url, headers, ...(body !== undefined ? { body } : {}), note };
  }

  return { next };
}
