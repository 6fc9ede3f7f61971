/**
 * JSON Logic front-end: CVAT's `filter` query parameter (cvat/apps/engine/filters.py,
 * `JsonLogicFilter`, release v2.73.0) compiled into the core FilterNode tree, accepting what CVAT
 * accepts and refusing with CVAT's own messages.
 *
 * Operators: `and`, `or` (non-empty lists), `!`, `!!`, `var` (as a condition: field is not null),
 * `==`, `<`, `>`, `<=`, `>=` with two arguments (`{"op": [{"var": f}, value]}`), `<=` with three
 * (`[low, {"var": f}, high]`, inclusive between), and `in` in both forms: `{"in": [{"var": f},
 * [..]]}` (IN list) and `{"in": ["txt", {"var": f}]}` (f contains "txt", case-sensitive).
 * Values are converted the way Django prepares them for the field (an integer field takes 5,
 * 5.7 and "5"; a text field takes 5 as "5"; `null` in an IN list never matches).
 *
 * Where CVAT answers 500 (a malformed shape its code indexes blindly, a value Django cannot
 * convert, hostile depth) Roster answers 400: with CVAT's "operation … with arguments … is not
 * supported" for shapes, and with messages of its own, listed in `jsonLogicMessages`, for values
 * and bounds. One deliberate difference: a nested rule that is not an object makes CVAT's message
 * builder crash (it formats an unassigned `op`); Roster names the enclosing operation instead.
 */
import { AppError } from '../errors.ts';
import { describeViolation, findBoundsViolation } from './bounds.ts';
import { type CompareOp, type FilterNode, queryLimits, type Scalar } from './model.ts';
import { PyJsonError, PyJsonTooDeep, type PyValue, pyJsonLoads, pyStr, pyTruthy, pyTypeName } from './python-json.ts';
import { type FieldType, INT32, userFieldTypes } from './user-fields.ts';

/** Every message the JSON Logic filter can answer with; the CVAT surface sends `[message]` as its 400 body. */
export const jsonLogicMessages = {
  // CVAT's own strings
  empty: () => "filter shouldn't be empty",
  cannotParse: (jsonError: string) => `filter: can't parse filter expression: ${jsonError}`,
  termNotSupported: (term: string) => `filter: term '${term}' is not supported`,
  operationNotSupported: (op: string, args: string) => `filter: operation '${op}' with arguments '${args}' is not supported`,
  expectedValue: (type: 'dict' | 'list', got: string, gotType: string) =>
    `filter: expected a non-empty ${type} value, got '${got}' of type '${gotType}'`,
  requiresArgument: (op: string, type: 'dict' | 'list', got: string, gotType: string) =>
    `filter: operation '${op}' requires a non-empty ${type} argument, got '${got}' of type '${gotType}'`,
  // Roster's own, where CVAT has no bound or answers 500
  invalidValue: (value: string, term: string) => `filter: value '${value}' is not valid for term '${term}'`,
  tooLong: (limit: number) => `filter: expression is too long (at most ${limit} characters)`,
  outOfBounds: (description: string) => `filter: ${description}`,
} as const;

export interface JsonLogicOptions {
  /** wire term (what `var` names) → canonical field; CVAT users: username, first_name, last_name, id, is_active */
  fields: Readonly<Record<string, string>>;
  /** canonical field → type; defaults to the user fields */
  types?: Readonly<Record<string, FieldType>>;
}

type Lookup = 'exact' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'contains';

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
}

const COMPARE: Record<string, { op: CompareOp; lookup: Lookup }> = {
  '==': { op: '==', lookup: 'exact' },
  '<': { op: '<', lookup: 'lt' },
  '>': { op: '>', lookup: 'gt' },
  '<=': { op: '<=', lookup: 'lte' },
  '>=': { op: '>=', lookup: 'gte' },
};

/** Python's `len()` where it exists (list, dict, str); undefined where CVAT would raise TypeError. */
function pyLen(v: PyValue): number | undefined {
  if (v.t === 'list') return v.v.length;
  if (v.t === 'dict') return v.v.size;
  if (v.t === 'str') return Array.from(v.v).length;
  return undefined;
}

const pyText = (v: string): PyValue => ({ t: 'str', v });

/** `x["var"]` of a `{"var": …}` operand, or undefined when CVAT's indexing would fail. */
function varOf(v: PyValue | undefined): PyValue | undefined {
  return v?.t === 'dict' ? v.v.get('var') : undefined;
}

function compile(text: string, options: JsonLogicOptions): FilterNode {
  const types = options.types ?? (userFieldTypes as Readonly<Record<string, FieldType>>);
  let rules: PyValue;
  try {
    // A JSON Logic level is two JSON levels (object, argument list), plus the leaf's own.
    rules = pyJsonLoads(text, 2 * queryLimits.maxDepth + 4);
  } catch (err) {
    if (err instanceof PyJsonTooDeep)
      refuse(jsonLogicMessages.outOfBounds(describeViolation({ kind: 'depth', limit: queryLimits.maxDepth })));
    if (err instanceof PyJsonError) refuse(jsonLogicMessages.cannotParse(err.message));
    throw err;
  }
  if (!pyTruthy(rules)) refuse(jsonLogicMessages.empty());

  /** lookup_fields[term]: the canonical field, or CVAT's "term … is not supported" */
  const field = (term: PyValue, op: string, args: PyValue): string => {
    if (term.t === 'list' || term.t === 'dict') refuse(jsonLogicMessages.operationNotSupported(op, pyStr(args)));
    const name = pyStr(term);
    if (term.t !== 'str' || !Object.hasOwn(options.fields, name)) refuse(jsonLogicMessages.termNotSupported(name));
    return options.fields[name] as string;
  };

  /** The value Django's field.get_prep_value would send for this lookup, or a refusal. */
  const value = (v: PyValue, canonical: string, term: string, lookup: Lookup): Scalar => {
    const invalid = () => refuse(jsonLogicMessages.invalidValue(pyStr(v), term));
    if (v.t === 'none') return lookup === 'exact' || lookup === 'in' ? null : invalid();
    switch (types[canonical] ?? 'string') {
      case 'integer': {
        let n: number;
        if (v.t === 'int') n = Number(v.v);
        else if (v.t === 'bool') n = v.v ? 1 : 0;
        else if (v.t === 'float') {
          if (!Number.isFinite(v.v)) return invalid();
          // Django's IntegerFieldFloatRounding: `<` and `>=` round up, int() truncates otherwise
          n = lookup === 'lt' || lookup === 'gte' ? Math.ceil(v.v) : Math.trunc(v.v);
        } else if (v.t === 'str') {
          const m = /^\s*([+-]?\d+(?:_\d+)*)\s*$/.exec(v.v);
          if (!m) return invalid();
          n = Number((m[1] as string).replaceAll('_', ''));
        } else return invalid();
        if (!Number.isSafeInteger(n) || n < INT32.min || n > INT32.max) return invalid();
        return Object.is(n, -0) ? 0 : n;
      }
      case 'boolean':
        // BooleanField.to_python: True/False (and 1/0, which equal them), "t"/"True"/"1", "f"/"False"/"0"
        if (v.t === 'bool') return v.v;
        if ((v.t === 'int' || v.t === 'float') && (Number(v.v) === 0 || Number(v.v) === 1)) return Number(v.v) === 1;
        if (v.t === 'str' && ['t', 'True', '1'].includes(v.v)) return true;
        if (v.t === 'str' && ['f', 'False', '0'].includes(v.v)) return false;
        return invalid();
      default:
        // CharField.to_python: str(value) for anything that is not already a string
        return pyStr(v);
    }
  };

  const build = (rule: PyValue, parentOp: string | undefined): FilterNode => {
    if (rule.t !== 'dict' || rule.v.size === 0) {
      refuse(
        parentOp
          ? jsonLogicMessages.requiresArgument(parentOp, 'dict', pyStr(rule), pyTypeName(rule))
          : jsonLogicMessages.expectedValue('dict', pyStr(rule), pyTypeName(rule)),
      );
    }
    const [op, args] = rule.v.entries().next().value as [string, PyValue];
    const notSupported = () => refuse(jsonLogicMessages.operationNotSupported(op, pyStr(args)));
    const mustBeList = (): PyValue[] => {
      if (args.t === 'list' && args.v.length > 0) return args.v;
      return refuse(
        parentOp
          ? jsonLogicMessages.requiresArgument(op, 'list', pyStr(args), pyTypeName(args))
          : jsonLogicMessages.expectedValue('list', pyStr(args), pyTypeName(args)),
      );
    };

    if (op === 'and' || op === 'or') return { kind: op, children: mustBeList().map((a) => build(a, op)) };
    if (op === '!') return { kind: 'not', child: build(args, op) };
    if (op === '!!') return build(args, op);
    if (op === 'var') {
      if (args.t !== 'str') return notSupported();
      return { kind: 'not', child: { kind: 'isNull', field: field(args, op, args) } };
    }
    const compare = COMPARE[op];
    if (compare && pyLen(args) === 2) {
      if (args.t !== 'list') return notSupported();
      const term = varOf(args.v[0]);
      if (!term) return notSupported();
      const f = field(term, op, args);
      return { kind: 'cmp', field: f, op: compare.op, value: value(args.v[1] as PyValue, f, pyStr(term), compare.lookup) };
    }
    if (op === 'in') {
      // CVAT reads args[0] first, resolves its term, and only then looks at args[1]
      if (args.t !== 'list' || args.v.length === 0) return notSupported();
      const first = args.v[0] as PyValue;
      const second = args.v[1];
      if (first.t === 'dict') {
        const listTerm = varOf(first);
        if (!listTerm) return notSupported();
        const f = field(listTerm, op, args);
        // Django iterates the right-hand side: a list, a dict's keys or a string's characters
        const items: PyValue[] =
          second?.t === 'list'
            ? second.v
            : second?.t === 'dict'
              ? [...second.v.keys()].map(pyText)
              : second?.t === 'str'
                ? Array.from(second.v, pyText)
                : notSupported();
        if (items.length > queryLimits.maxInValues) {
          refuse(jsonLogicMessages.outOfBounds(describeViolation({ kind: 'inValues', limit: queryLimits.maxInValues })));
        }
        const values = items.map((item) => value(item, f, pyStr(listTerm), 'in')).filter((x) => x !== null); // Django drops None
        return { kind: 'in', field: f, values };
      }
      const containsTerm = varOf(second);
      if (!containsTerm) return notSupported();
      const f = field(containsTerm, op, args);
      if ((types[f] ?? 'string') !== 'string') return notSupported();
      return { kind: 'contains', field: f, value: value(first, f, pyStr(containsTerm), 'contains') as string, caseInsensitive: false };
    }
    if (op === '<=' && pyLen(args) === 3) {
      const [low, operand, high] = mustBeList() as [PyValue, PyValue, PyValue];
      const term = varOf(operand);
      if (!term) return notSupported();
      const f = field(term, op, args);
      const name = pyStr(term);
      return { kind: 'between', field: f, low: value(low, f, name, 'gte'), high: value(high, f, name, 'lte') };
    }
    return notSupported();
  };

  const tree = build(rules, undefined);
  const violation = findBoundsViolation(tree);
  if (violation) refuse(jsonLogicMessages.outOfBounds(describeViolation(violation)));
  return tree;
}

/**
 * Parses a CVAT `filter` parameter. An empty string means "no filter" (CVAT skips a falsy
 * parameter) and gives undefined. Refusals are AppError VALIDATION_FAILED whose message is the
 * exact CVAT string, with one issue on the field `filter`.
 */
export function parseJsonLogic(text: string, options: JsonLogicOptions): FilterNode | undefined {
  if (text === '') return undefined;
  try {
    if (text.length > queryLimits.maxFilterLength) refuse(jsonLogicMessages.tooLong(queryLimits.maxFilterLength));
    return compile(text, options);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    throw new AppError('VALIDATION_FAILED', err.message, { issues: [{ field: 'filter', kind: 'invalid', message: err.message }] });
  }
}
