/**
 * CVAT's `filter` parameter (cvat/apps/engine/filters.py JsonLogicFilter) compiled into the query
 * model. Errors are the reference's strings, answered as a 400 JSON array.
 *
 * ADAPTER: the query engine's shared parser (src/core/query/json-logic.ts) replaces this file
 * when it lands on main; callers use only `parseCvatFilter`.
 */
import type { FilterNode, Scalar } from '../../core/query/model.ts';
import { queryLimits } from '../../core/query/model.ts';
import { CvatValidationError } from './errors.ts';

/** CVAT filter field → canonical field and type */
export const cvatFilterFields: Record<string, { field: string; type: 'integer' | 'string' | 'boolean' }> = {
  username: { field: 'username', type: 'string' },
  first_name: { field: 'firstName', type: 'string' },
  last_name: { field: 'lastName', type: 'string' },
  id: { field: 'id', type: 'integer' },
  is_active: { field: 'isActive', type: 'boolean' },
};

/** Python's repr of a parsed JSON value, as CVAT's messages print arguments. */
export function pyRepr(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  return `{${Object.entries(v as object)
    .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
    .join(', ')}}`;
}

function pyType(v: unknown): string {
  if (v === null) return "<class 'NoneType'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  return Array.isArray(v) ? "<class 'list'>" : "<class 'dict'>";
}

const fail = (message: string): never => {
  throw new CvatValidationError([message]);
};

function field(ref: unknown): { field: string; type: 'integer' | 'string' | 'boolean' } {
  const name = ref && typeof ref === 'object' && !Array.isArray(ref) ? (ref as Record<string, unknown>).var : undefined;
  const known = typeof name === 'string' ? cvatFilterFields[name] : undefined;
  if (!known) return fail(`filter: term ${pyRepr(name ?? ref)} is not supported`);
  return known;
}

function value(spec: { field: string; type: string }, raw: unknown, name: string): Scalar {
  if (raw === null) return null;
  if (spec.type === 'integer') {
    const n = typeof raw === 'string' && /^\s*-?\d{1,15}\s*$/.test(raw) ? Number(raw) : raw;
    if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  } else if (spec.type === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    if (raw === 1 || raw === 0) return raw === 1;
    if (typeof raw === 'string' && /^(true|false|1|0)$/i.test(raw)) return /^(true|1)$/i.test(raw);
  } else if (typeof raw === 'string' || typeof raw === 'number') {
    const s = String(raw);
    if (s.length <= queryLimits.maxStringLength) return s;
  }
  return fail(`filter: value ${pyRepr(raw)} is not valid for ${pyRepr(name)}`);
}

const cmpOps = { '==': '==', '<': '<', '>': '>', '<=': '<=', '>=': '>=' } as const;

function build(rule: unknown, depth: number, count: { nodes: number }): FilterNode {
  count.nodes += 1;
  if (depth > queryLimits.maxDepth || count.nodes > queryLimits.maxNodes) fail('filter: expression is too complex');
  if (!rule || typeof rule !== 'object' || Array.isArray(rule) || Object.keys(rule).length === 0) {
    return fail(`filter: operation ${pyRepr(rule)} with arguments 'None' is not supported`);
  }
  const [op, args] = Object.entries(rule as Record<string, unknown>)[0] as [string, unknown];
  const list = Array.isArray(args) ? args : undefined;
  const notSupported = () => fail(`filter: operation ${pyRepr(op)} with arguments ${pyRepr(args)} is not supported`);
  if (op === 'and' || op === 'or') {
    if (!list || list.length === 0) {
      return fail(`filter: operation '${op}' requires a non-empty list argument, got ${pyRepr(args)} of type '${pyType(args)}'`);
    }
    return { kind: op, children: list.map((c) => build(c, depth + 1, count)) };
  }
  if (op === '!') return { kind: 'not', child: build(Array.isArray(args) && args.length === 1 ? args[0] : args, depth + 1, count) };
  if (op === '!!') return build(Array.isArray(args) && args.length === 1 ? args[0] : args, depth + 1, count);
  if (op === 'var') return { kind: 'not', child: { kind: 'isNull', field: field({ var: args }).field } };
  if (op in cmpOps && list?.length === 2) {
    const spec = field(list[0]);
    const v = value(spec, list[1], String((list[0] as { var: unknown }).var));
    if (v === null) return op === '==' ? { kind: 'isNull', field: spec.field } : notSupported();
    return { kind: 'cmp', field: spec.field, op: cmpOps[op as keyof typeof cmpOps], value: v };
  }
  if (op === '<=' && list?.length === 3) {
    const spec = field(list[1]);
    const name = String((list[1] as { var: unknown }).var);
    const low = value(spec, list[0], name);
    const high = value(spec, list[2], name);
    if (low === null || high === null) return notSupported();
    return { kind: 'between', field: spec.field, low, high };
  }
  if (op === 'in' && list?.length === 2) {
    if (list[0] && typeof list[0] === 'object' && !Array.isArray(list[0])) {
      const spec = field(list[0]);
      if (!Array.isArray(list[1])) return notSupported();
      if (list[1].length > queryLimits.maxInValues) fail("filter: too many values for 'in'");
      const name = String((list[0] as { var: unknown }).var);
      return { kind: 'in', field: spec.field, values: list[1].map((x) => value(spec, x, name)) };
    }
    const spec = field(list[1]);
    if (spec.type !== 'string' || typeof list[0] !== 'string') return notSupported();
    return { kind: 'contains', field: spec.field, value: list[0], caseInsensitive: false };
  }
  return notSupported();
}

/** `undefined` for an absent or empty parameter (CVAT applies no filter then). */
export function parseCvatFilter(text: string | undefined): FilterNode | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return fail(`filter: can't parse filter expression: ${(err as Error).message}`);
  }
  if (parsed !== null && typeof parsed === 'object' && Object.keys(parsed).length === 0) return fail("filter shouldn't be empty");
  return build(parsed, 0, { nodes: 0 });
}
