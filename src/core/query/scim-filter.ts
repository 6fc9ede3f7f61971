/**
 * SCIM filter front-end (RFC 7644 §3.4.2.2): `eq ne co sw ew pr gt ge lt le`, `and`, `or`,
 * `not (…)`, parentheses and value paths (`emails[value co "@example.com"]`), compiled into the
 * core FilterNode tree. Operators and attribute names are case-insensitive; literals are JSON
 * strings, numbers, `true`, `false` and `null`. Attribute names (optionally URN-qualified) map to
 * canonical fields through a caller-given table, so a caller only reaches the fields it may see.
 *
 * Semantics: text comparisons ignore case unless the attribute is declared `caseExact` (RFC 7643
 * §2.3.1 default); `ne` is the negation of `eq` (an unassigned attribute is "not equal");
 * `pr` means "has a value" (for text: non-empty); `gt`/`ge`/`lt`/`le` on booleans are refused, as
 * the RFC asks. Every refusal is an AppError VALIDATION_FAILED on the field `filter`.
 */
import { AppError } from '../errors.ts';
import { describeViolation, findBoundsViolation } from './bounds.ts';
import { type CompareOp, type FilterNode, queryLimits, type Scalar } from './model.ts';
import { type FieldType, fitsFieldType, userFieldTypes } from './user-fields.ts';

export interface ScimAttribute {
  field: string;
  /** text compares case-sensitively (SCIM `caseExact`); default false */
  caseExact?: boolean;
}

export interface ScimFilterOptions {
  /** attribute path (`userName`, `name.familyName`, `emails.value`, or URN-qualified) → canonical field */
  attributes: Readonly<Record<string, string | ScimAttribute>>;
  /** canonical field → type; defaults to the user fields */
  types?: Readonly<Record<string, FieldType>>;
}

type Token =
  | { k: 'word'; text: string; pos: number }
  | { k: 'string'; value: string; pos: number }
  | { k: 'number'; value: number; pos: number }
  | { k: '(' | ')' | '[' | ']'; pos: number }
  | { k: 'end'; pos: number };

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

const COMPARE_OPS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);
const ORDER: Record<string, CompareOp> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ k: c, pos: i });
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) refuse(`unterminated string starting at position ${i}`);
      let value: unknown;
      try {
        value = JSON.parse(text.slice(i, j + 1));
      } catch {
        refuse(`invalid string literal at position ${i}`);
      }
      tokens.push({ k: 'string', value: value as string, pos: i });
      i = j + 1;
    } else {
      const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w.:$-])/.exec(text.slice(i));
      if (m) {
        tokens.push({ k: 'number', value: Number(m[0]), pos: i });
        i += m[0].length;
        continue;
      }
      const w = /^[A-Za-z][\w.:$-]*/.exec(text.slice(i));
      if (!w) refuse(`unexpected character '${c}' at position ${i}`);
      tokens.push({ k: 'word', text: w[0], pos: i });
      i += w[0].length;
    }
  }
  tokens.push({ k: 'end', pos: text.length });
  return tokens;
}

function describe(t: Token): string {
  switch (t.k) {
    case 'word':
      return `'${t.text}'`;
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'end':
      return 'the end of the filter';
    default:
      return `'${t.k}'`;
  }
}

function compile(text: string, options: ScimFilterOptions): FilterNode {
  const types = options.types ?? (userFieldTypes as Readonly<Record<string, FieldType>>);
  const attributes = new Map<string, ScimAttribute>();
  for (const [name, a] of Object.entries(options.attributes)) attributes.set(name.toLowerCase(), typeof a === 'string' ? { field: a } : a);

  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at] as Token;
  const next = () => tokens[at++] as Token;
  const isWord = (t: Token, w: string) => t.k === 'word' && t.text.toLowerCase() === w;
  const expect = (k: Token['k'], what: string) => {
    const t = next();
    if (t.k !== k) refuse(`expected ${what} at position ${t.pos}, found ${describe(t)}`);
  };

  const resolve = (path: string, pos: number): ScimAttribute & { name: string } => {
    const lower = path.toLowerCase();
    // A URN prefix (urn:ietf:params:scim:schemas:core:2.0:User:userName) names the schema.
    const short = lower.includes(':') ? lower.slice(lower.lastIndexOf(':') + 1) : lower;
    const a = attributes.get(lower) ?? attributes.get(short);
    if (!a) refuse(`attribute '${path}' at position ${pos} is not supported`);
    return { ...a, name: path };
  };

  const literal = (): Scalar => {
    const t = next();
    if (t.k === 'string' || t.k === 'number') return t.value;
    if (t.k === 'word' && ['true', 'false', 'null'].includes(t.text.toLowerCase())) {
      const w = t.text.toLowerCase();
      return w === 'null' ? null : w === 'true';
    }
    return refuse(`expected a value (string, number, true, false or null) at position ${t.pos}, found ${describe(t)}`);
  };

  const attributeExpression = (prefix: string | undefined, depth: number): FilterNode => {
    const t = next();
    if (t.k !== 'word') refuse(`expected an attribute name at position ${t.pos}, found ${describe(t)}`);
    const path = prefix ? `${prefix}.${t.text}` : t.text;
    if (peek().k === '[') {
      if (prefix) refuse(`nested value filter at position ${peek().pos} is not supported`);
      next();
      const inner = orExpression(t.text, depth + 1);
      expect(']', "']'");
      return inner;
    }
    const attr = resolve(path, t.pos);
    const type = types[attr.field] ?? 'string';
    const opToken = next();
    const op = opToken.k === 'word' ? opToken.text.toLowerCase() : '';
    if (op === 'pr') {
      const hasValue: FilterNode = { kind: 'not', child: { kind: 'isNull', field: attr.field } };
      return type === 'string' ? { kind: 'and', children: [hasValue, { kind: 'cmp', field: attr.field, op: '!=', value: '' }] } : hasValue;
    }
    if (!COMPARE_OPS.has(op))
      refuse(`expected an operator (eq ne co sw ew pr gt ge lt le) at position ${opToken.pos}, found ${describe(opToken)}`);
    const valuePos = peek().pos;
    const value = literal();
    const wrongType = () => refuse(`attribute '${attr.name}' cannot be compared with ${JSON.stringify(value)} (position ${valuePos})`);
    const text = type === 'string' || type === 'timestamp';
    const fold = type === 'string' && !attr.caseExact;
    if (value === null) {
      if (op === 'eq') return { kind: 'isNull', field: attr.field };
      if (op === 'ne') return { kind: 'not', child: { kind: 'isNull', field: attr.field } };
      return wrongType();
    }
    if (!fitsFieldType(type, value)) return wrongType();
    if (op === 'eq' || op === 'ne') {
      const eq: FilterNode = { kind: 'cmp', field: attr.field, op: '==', value, ...(fold ? { caseInsensitive: true } : {}) };
      return op === 'eq' ? eq : { kind: 'not', child: eq };
    }
    if (op === 'co' || op === 'sw' || op === 'ew') {
      if (!text) return wrongType();
      const kind = op === 'co' ? 'contains' : op === 'sw' ? 'startsWith' : 'endsWith';
      return { kind, field: attr.field, value: value as string, caseInsensitive: fold };
    }
    if (type === 'boolean') return wrongType();
    return { kind: 'cmp', field: attr.field, op: ORDER[op] as CompareOp, value, ...(fold ? { caseInsensitive: true } : {}) };
  };

  const unary = (prefix: string | undefined, depth: number): FilterNode => {
    if (depth > queryLimits.maxDepth) refuse(describeViolation({ kind: 'depth', limit: queryLimits.maxDepth }));
    const t = peek();
    if (isWord(t, 'not') && tokens[at + 1]?.k === '(') {
      next();
      next();
      const inner = orExpression(prefix, depth + 1);
      expect(')', "')'");
      return { kind: 'not', child: inner };
    }
    if (t.k === '(') {
      next();
      const inner = orExpression(prefix, depth + 1);
      expect(')', "')'");
      return inner;
    }
    return attributeExpression(prefix, depth);
  };

  const andExpression = (prefix: string | undefined, depth: number): FilterNode => {
    const parts = [unary(prefix, depth)];
    while (isWord(peek(), 'and')) {
      next();
      parts.push(unary(prefix, depth));
    }
    return parts.length === 1 ? (parts[0] as FilterNode) : { kind: 'and', children: parts };
  };

  function orExpression(prefix: string | undefined, depth: number): FilterNode {
    const parts = [andExpression(prefix, depth)];
    while (isWord(peek(), 'or')) {
      next();
      parts.push(andExpression(prefix, depth));
    }
    return parts.length === 1 ? (parts[0] as FilterNode) : { kind: 'or', children: parts };
  }

  if (peek().k === 'end') refuse('filter is empty');
  const tree = orExpression(undefined, 1);
  const rest = peek();
  if (rest.k !== 'end') refuse(`unexpected ${describe(rest)} at position ${rest.pos}`);
  const violation = findBoundsViolation(tree);
  if (violation) refuse(describeViolation(violation));
  return tree;
}

/** Parses a SCIM `filter`; refusals are AppError VALIDATION_FAILED ("filter: …", issue on `filter`). */
export function parseScimFilter(text: string, options: ScimFilterOptions): FilterNode {
  try {
    if (text.length > queryLimits.maxFilterLength) refuse(`filter is too long (at most ${queryLimits.maxFilterLength} characters)`);
    return compile(text, options);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    throw new AppError('VALIDATION_FAILED', `filter: ${err.message}`, {
      issues: [{ field: 'filter', kind: 'invalid', message: err.message }],
    });
  }
}
