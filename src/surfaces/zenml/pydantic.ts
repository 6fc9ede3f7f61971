/**
 * Request validation as FastAPI + pydantic v2 perform it, driven by this surface's TypeBox
 * schemas (so the schema that documents a field is the one that checks it). Errors come out as
 * pydantic words them: `{type, loc, msg, input, ctx?}`, one per violation, `loc` starting with the
 * request part (`body`, `query`, `path`).
 *
 * Semantics mirrored from pydantic (lax/python mode, which FastAPI uses):
 * - `Union[X, None]` is "nullable X": `null` passes, anything else is checked against X alone.
 * - A union of several types tries each in order; when all fail, each branch reports its own
 *   error, `loc` suffixed with pydantic's branch label (`constrained-str`,
 *   `function-after[_validate(), str]` for `EmailStr`, …).
 * - Strings are never coerced from numbers; booleans accept `0/1` and pydantic's words
 *   (`true/false/yes/no/on/off/t/f/y/n/1/0`, any case); lengths count code points.
 * - A string constraint failure stops at the first of: min length, max length, pattern.
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { emailProblem } from './email.ts';
import { parseUuid } from './uuid.ts';

export type Loc = (string | number)[];

/** One entry of FastAPI's 422 `detail` list. */
export interface PydanticError {
  type: string;
  loc: Loc;
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** Thrown by a route; the surface answers 422 `{"detail": errors}`. */
export class RequestValidationError extends Error {
  override name = 'RequestValidationError';
  constructor(readonly errors: PydanticError[]) {
    super('request validation failed');
  }
}

interface JsonSchema {
  anyOf?: JsonSchema[];
  type?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

type Result = { ok: true; value: unknown } | { ok: false; errors: PydanticError[] };

const ok = (value: unknown): Result => ({ ok: true, value });
const fail = (type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>): Result => ({
  ok: false,
  errors: [{ type, loc, msg, input, ...(ctx ? { ctx } : {}) }],
});

const truthy = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const falsy = new Set(['0', 'off', 'f', 'false', 'n', 'no']);
const patterns = new Map<string, RegExp>();

function regex(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    re = new RegExp(pattern, 'u');
    patterns.set(pattern, re);
  }
  return re;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** pydantic-core's name for a union member, as it appears in `loc`. */
function label(s: JsonSchema): string {
  if (s.type === 'string') {
    if (s.format === 'email') return 'function-after[_validate(), str]';
    if (s.format === 'uuid') return 'uuid';
    return s.minLength !== undefined || s.maxLength !== undefined || s.pattern !== undefined ? 'constrained-str' : 'str';
  }
  if (s.type === 'boolean') return 'bool';
  if (s.type === 'integer') return s.minimum !== undefined || s.maximum !== undefined ? 'constrained-int' : 'int';
  if (s.type === 'object') return 'dict[str,any]';
  if (s.type === 'null') return 'none';
  return 'any';
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function validateString(s: JsonSchema, input: unknown, loc: Loc): Result {
  if (typeof input !== 'string') return fail('string_type', loc, 'Input should be a valid string', input);
  if (s.format === 'email') {
    const reason = emailProblem(input);
    return reason ? fail('value_error', loc, `value is not a valid email address: ${reason}`, input, { reason }) : ok(input);
  }
  if (s.format === 'uuid') {
    const parsed = parseUuid(input);
    return parsed.ok
      ? ok(parsed.uuid)
      : fail('uuid_parsing', loc, `Input should be a valid UUID, ${parsed.error}`, input, { error: parsed.error });
  }
  const length = [...input].length;
  if (s.minLength !== undefined && length < s.minLength) {
    return fail('string_too_short', loc, `String should have at least ${s.minLength} character${plural(s.minLength)}`, input, {
      min_length: s.minLength,
    });
  }
  if (s.maxLength !== undefined && length > s.maxLength) {
    return fail('string_too_long', loc, `String should have at most ${s.maxLength} character${plural(s.maxLength)}`, input, {
      max_length: s.maxLength,
    });
  }
  if (s.pattern !== undefined && !regex(s.pattern).test(input)) {
    return fail('string_pattern_mismatch', loc, `String should match pattern '${s.pattern}'`, input, { pattern: s.pattern });
  }
  return ok(input);
}

function validateBoolean(input: unknown, loc: Loc): Result {
  if (typeof input === 'boolean') return ok(input);
  if (typeof input === 'number' || typeof input === 'string') {
    const word = String(input).toLowerCase();
    if (truthy.has(word)) return ok(true);
    if (falsy.has(word)) return ok(false);
    return fail('bool_parsing', loc, 'Input should be a valid boolean, unable to interpret input', input);
  }
  return fail('bool_type', loc, 'Input should be a valid boolean', input);
}

function validateInteger(s: JsonSchema, input: unknown, loc: Loc): Result {
  let n: number;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail('finite_number', loc, 'Input should be a finite number', input);
    if (!Number.isInteger(input))
      return fail('int_from_float', loc, 'Input should be a valid integer, got a number with a fractional part', input);
    n = input;
  } else if (typeof input === 'string' && /^\s*[+-]?\d+\s*$/.test(input)) {
    n = Number(input.trim());
  } else if (typeof input === 'string') {
    return fail('int_parsing', loc, 'Input should be a valid integer, unable to parse string as an integer', input);
  } else {
    return fail('int_type', loc, 'Input should be a valid integer', input);
  }
  if (s.minimum !== undefined && n < s.minimum) {
    return fail('greater_than_equal', loc, `Input should be greater than or equal to ${s.minimum}`, input, { ge: s.minimum });
  }
  if (s.maximum !== undefined && n > s.maximum) {
    return fail('less_than_equal', loc, `Input should be less than or equal to ${s.maximum}`, input, { le: s.maximum });
  }
  return ok(n);
}

function validateUnion(branches: JsonSchema[], input: unknown, loc: Loc): Result {
  const nullable = branches.some((b) => b.type === 'null');
  if (nullable && input === null) return ok(null);
  const members = branches.filter((b) => b.type !== 'null');
  if (members.length === 1) return validateValue(members[0] as JsonSchema, input, loc);
  const errors: PydanticError[] = [];
  for (const member of members) {
    const r = validateValue(member, input, [...loc, label(member)]);
    if (r.ok) return r;
    errors.push(...r.errors);
  }
  return { ok: false, errors };
}

function validateValue(schema: JsonSchema, input: unknown, loc: Loc): Result {
  if (schema.anyOf) return validateUnion(schema.anyOf, input, loc);
  switch (schema.type) {
    case 'string':
      return validateString(schema, input, loc);
    case 'boolean':
      return validateBoolean(input, loc);
    case 'integer':
      return validateInteger(schema, input, loc);
    case 'object':
      return isPlainObject(input) ? ok(input) : fail('dict_type', loc, 'Input should be a valid dictionary', input);
    case 'null':
      return input === null ? ok(null) : fail('none_required', loc, 'Input should be None', input);
    default:
      return ok(input);
  }
}

function fieldsOf(schema: TObject): [string, JsonSchema, boolean][] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties as Record<string, TSchema>).map(([k, v]) => [k, v as JsonSchema, required.has(k)]);
}

export interface Validated {
  /** the fields that were sent, validated (absent fields stay absent: partial updates) */
  value: Record<string, unknown>;
  errors: PydanticError[];
}

/**
 * A JSON body against a model. `undefined`/`null` is a missing body; anything but an object is
 * `model_attributes_type`; unknown keys are `extra_forbidden` when `forbidExtra`, after the field
 * errors, as pydantic orders them.
 */
export function validateBody(schema: TObject, body: unknown, opts: { forbidExtra: boolean }): Validated {
  if (body === undefined || body === null)
    return { value: {}, errors: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] };
  if (!isPlainObject(body)) {
    return {
      value: {},
      errors: [
        {
          type: 'model_attributes_type',
          loc: ['body'],
          msg: 'Input should be a valid dictionary or object to extract fields from',
          input: body,
        },
      ],
    };
  }
  const value: Record<string, unknown> = {};
  const errors: PydanticError[] = [];
  const known = new Set<string>();
  for (const [key, field, required] of fieldsOf(schema)) {
    known.add(key);
    if (!Object.hasOwn(body, key)) {
      if (required) errors.push({ type: 'missing', loc: ['body', key], msg: 'Field required', input: body });
      continue;
    }
    const r = validateValue(field, body[key], ['body', key]);
    if (r.ok) value[key] = r.value;
    else errors.push(...r.errors);
  }
  if (opts.forbidExtra) {
    for (const key of Object.keys(body)) {
      if (!known.has(key))
        errors.push({ type: 'extra_forbidden', loc: ['body', key], msg: 'Extra inputs are not permitted', input: body[key] });
    }
  }
  return { value, errors };
}

/**
 * Query, path or form parameters: each one on its own, as FastAPI does (a missing one reports
 * `input: null`); a repeated parameter counts with its last value; unknown ones are ignored.
 */
export function validateParams(schema: TObject, raw: Record<string, unknown>, part: 'query' | 'path' | 'body'): Validated {
  const value: Record<string, unknown> = {};
  const errors: PydanticError[] = [];
  for (const [key, field, required] of fieldsOf(schema)) {
    const given = Object.hasOwn(raw, key) ? raw[key] : undefined;
    const input = Array.isArray(given) ? given[given.length - 1] : given;
    if (input === undefined) {
      if (field.default !== undefined) value[key] = field.default;
      else if (required) errors.push({ type: 'missing', loc: [part, key], msg: 'Field required', input: null });
      continue;
    }
    const r = validateValue(field, input, [part, key]);
    if (r.ok) value[key] = r.value;
    else errors.push(...r.errors);
  }
  return { value, errors };
}

/** Throws the collected errors of several request parts at once (path, then query, then body). */
export function throwIfInvalid(...parts: Validated[]): void {
  const errors = parts.flatMap((p) => p.errors);
  if (errors.length > 0) throw new RequestValidationError(errors);
}
