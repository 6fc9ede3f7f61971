/**
 * The bounds every filter tree must keep (queryLimits), checked before any SQL is built, so a
 * hostile filter costs a walk over at most a few hundred nodes and ends in a 400. Front-ends call
 * it on what they produce (with their own messages) and the compiler calls it again on whatever
 * it is handed.
 */
import { AppError } from '../errors.ts';
import { type FilterNode, queryLimits, type Scalar } from './model.ts';

export type BoundsViolation =
  | { kind: 'depth'; limit: number }
  | { kind: 'nodes'; limit: number }
  | { kind: 'inValues'; limit: number }
  | { kind: 'stringLength'; limit: number }
  | { kind: 'searchTerms'; limit: number }
  | { kind: 'badString' };

// With the `u` flag a surrogate pair is one astral code point, so only lone halves match.
const LONE_SURROGATE = /\p{Cs}/u;

/** Texts the databases cannot hold (NUL) or that are not valid Unicode (lone surrogates). */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

function checkScalar(v: Scalar): BoundsViolation | undefined {
  if (typeof v !== 'string') return undefined;
  if (v.length > queryLimits.maxStringLength) return { kind: 'stringLength', limit: queryLimits.maxStringLength };
  if (!isStorableText(v)) return { kind: 'badString' };
  return undefined;
}

/** The first bound the tree breaks, or undefined. Iterative: depth cannot blow the stack. */
export function findBoundsViolation(root: FilterNode): BoundsViolation | undefined {
  const stack: [FilterNode, number][] = [[root, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [FilterNode, number];
    nodes++;
    if (nodes > queryLimits.maxNodes) return { kind: 'nodes', limit: queryLimits.maxNodes };
    if (depth > queryLimits.maxDepth) return { kind: 'depth', limit: queryLimits.maxDepth };
    let bad: BoundsViolation | undefined;
    switch (node.kind) {
      case 'and':
      case 'or':
        if (node.children.length > queryLimits.maxNodes) return { kind: 'nodes', limit: queryLimits.maxNodes };
        for (const c of node.children) stack.push([c, depth + 1]);
        break;
      case 'not':
        stack.push([node.child, depth + 1]);
        break;
      case 'cmp':
        bad = checkScalar(node.value);
        break;
      case 'in':
        if (node.values.length > queryLimits.maxInValues) return { kind: 'inValues', limit: queryLimits.maxInValues };
        for (const v of node.values) bad ??= checkScalar(v);
        break;
      case 'between':
        bad = checkScalar(node.low) ?? checkScalar(node.high);
        break;
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        bad = checkScalar(node.value);
        break;
      case 'isNull':
        break;
      case 'search':
        if (node.terms.length > queryLimits.maxSearchTerms) return { kind: 'searchTerms', limit: queryLimits.maxSearchTerms };
        for (const t of node.terms) bad ??= checkScalar(t);
        break;
    }
    if (bad) return bad;
  }
  return undefined;
}

/** Plain-English description of a violation, for messages. */
export function describeViolation(v: BoundsViolation): string {
  switch (v.kind) {
    case 'depth':
      return `expression is nested too deeply (at most ${v.limit} levels)`;
    case 'nodes':
      return `expression has too many terms (at most ${v.limit})`;
    case 'inValues':
      return `list has too many values (at most ${v.limit})`;
    case 'stringLength':
      return `value is too long (at most ${v.limit} characters)`;
    case 'searchTerms':
      return `search has too many terms (at most ${v.limit})`;
    case 'badString':
      return 'value contains characters that cannot be stored (NUL or a lone surrogate)';
  }
}

/** Throws VALIDATION_FAILED (issue on `param`) when the tree breaks a bound. */
export function assertWithinBounds(root: FilterNode, param = 'filter'): void {
  const v = findBoundsViolation(root);
  if (!v) return;
  const message = describeViolation(v);
  throw new AppError('VALIDATION_FAILED', `${param}: ${message}`, { issues: [{ field: param, kind: 'invalid', message }] });
}
