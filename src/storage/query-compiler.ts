/**
 * Compiles the core query model (filter tree, sort, page, visibility) into Kysely expressions over
 * the `users` table. Values always travel as parameters; identifiers come only from the fixed
 * field→column map, never from input.
 */
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { Visibility } from '../core/policy/visibility.ts';
import type { FilterNode, ListRequest, Scalar, SortKey } from '../core/query/model.ts';
import { isUserField, type UserField, userFieldTypes } from '../core/query/user-fields.ts';
import { userColumns } from './mappers.ts';
import type { DialectName } from './migrations/context.ts';
import type { Database } from './schema.ts';

type EB = ExpressionBuilder<Database, 'users'>;

function column(field: string): string {
  if (field === 'id') return 'users.id';
  if (!isUserField(field))
    throw new AppError('VALIDATION_FAILED', `unknown field ${field}`, { issues: [{ field, kind: 'unknown', message: 'unknown field' }] });
  return `users.${(userColumns as Record<string, string>)[field]}`;
}

/** Booleans are stored as 0/1; other scalars pass through as parameters. */
function param(field: string, value: Scalar): Scalar {
  const type = isUserField(field) ? userFieldTypes[field as UserField] : 'integer';
  if (type === 'boolean' && typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

const cmpOps = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

export function compileFilter(eb: EB, node: FilterNode, dialect: DialectName): Expression<SqlBool> {
  // biome-ignore lint/suspicious/noExplicitAny: column types vary by field; values are checked by the front-ends
  const ref = (f: string) => sql.ref<any>(column(f));
  const find = (haystack: Expression<unknown>, needle: string) =>
    dialect === 'postgres' ? sql<number>`strpos(${haystack}, ${needle})` : sql<number>`instr(${haystack}, ${needle})`;
  switch (node.kind) {
    case 'and':
      return eb.and(node.children.map((c) => compileFilter(eb, c, dialect)));
    case 'or':
      return eb.or(node.children.map((c) => compileFilter(eb, c, dialect)));
    case 'not':
      return eb.not(compileFilter(eb, node.child, dialect));
    case 'cmp': {
      if (node.value === null) return node.op === '!=' ? eb(ref(node.field), 'is not', null) : eb(ref(node.field), 'is', null);
      return eb(ref(node.field), cmpOps[node.op], param(node.field, node.value));
    }
    case 'in': {
      const values = node.values.filter((v) => v !== null).map((v) => param(node.field, v));
      const hasNull = node.values.includes(null);
      const parts: Expression<SqlBool>[] = [];
      if (values.length > 0) parts.push(eb(ref(node.field), 'in', values));
      if (hasNull) parts.push(eb(ref(node.field), 'is', null));
      return parts.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(parts);
    }
    case 'between':
      return eb.and([eb(ref(node.field), '>=', param(node.field, node.low)), eb(ref(node.field), '<=', param(node.field, node.high))]);
    case 'contains':
    case 'startsWith':
    case 'endsWith': {
      const col = ref(node.field);
      const hay = node.caseInsensitive ? sql`lower(${col})` : col;
      const needle = node.caseInsensitive ? node.value.toLowerCase() : node.value;
      if (node.kind === 'contains') return sql<SqlBool>`${find(hay, needle)} > 0`;
      const len = [...needle].length;
      const fn = node.kind === 'startsWith' ? sql`substr(${hay}, 1, ${len})` : sql`substr(${hay}, -${sql.lit(len)})`;
      if (dialect === 'postgres' && node.kind === 'endsWith') return sql<SqlBool>`right(${hay}, ${len}) = ${needle}`;
      return sql<SqlBool>`${fn} = ${needle}`;
    }
    case 'isNull':
      return eb(ref(node.field), 'is', null);
    case 'search': {
      if (node.terms.length === 0) return sql<SqlBool>`1 = 1`;
      return eb.and(
        node.terms.map((term) => eb.or(node.fields.map((f) => sql<SqlBool>`${find(sql`lower(${ref(f)})`, term.toLowerCase())} > 0`))),
      );
    }
  }
}

export function compileVisibility(eb: EB, v: Visibility): Expression<SqlBool> {
  switch (v.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'none':
      return sql<SqlBool>`1 = 0`;
    case 'self':
      return eb('users.id', '=', v.userId);
    case 'orgMembers':
      return eb.exists(
        eb
          .selectFrom('memberships')
          .select(sql`1`.as('one'))
          .whereRef('memberships.user_id', '=', 'users.id')
          .where('memberships.org_id', '=', v.orgId),
      );
    case 'noOrg':
      return eb.not(eb.exists(eb.selectFrom('memberships').select(sql`1`.as('one')).whereRef('memberships.user_id', '=', 'users.id')));
    case 'projectMembers':
      return eb.exists(
        eb
          .selectFrom('project_members')
          .select(sql`1`.as('one'))
          .whereRef('project_members.user_id', '=', 'users.id')
          .where('project_members.project_id', '=', v.projectId),
      );
    case 'and':
      return eb.and(v.parts.map((p) => compileVisibility(eb, p)));
    case 'or':
      return eb.or(v.parts.map((p) => compileVisibility(eb, p)));
  }
}

/** The sort keys with the unique tie-breaker `id` appended (same direction as the last key). */
export function fullSort(sort: SortKey[]): SortKey[] {
  const keys = sort.filter((k) => k.field !== 'id');
  const idKey = sort.find((k) => k.field === 'id');
  const last = keys[keys.length - 1];
  return [...keys, idKey ?? { field: 'id', direction: last?.direction ?? 'asc' }];
}

// Cursors are opaque to clients: base64url JSON of the last row's sort values.
export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): Scalar[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => v === null || ['string', 'number'].includes(typeof v))) {
      return values as Scalar[];
    }
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', 'invalid cursor', { issues: [{ field: 'cursor', kind: 'invalid', message: 'invalid cursor' }] });
}

/** Rows strictly after `values` in the order of `keys` (keyset pagination). */
export function compileKeyset(eb: EB, keys: SortKey[], values: Scalar[]): Expression<SqlBool> {
  const ors: Expression<SqlBool>[] = [];
  for (let i = 0; i < keys.length; i++) {
    const ands: Expression<SqlBool>[] = [];
    for (let j = 0; j < i; j++) {
      const k = keys[j] as SortKey;
      ands.push(eb(sql.ref<unknown>(column(k.field)), '=', values[j]));
    }
    const k = keys[i] as SortKey;
    ands.push(eb(sql.ref<unknown>(column(k.field)), k.direction === 'asc' ? '>' : '<', values[i]));
    ors.push(eb.and(ands));
  }
  return eb.or(ors);
}

export function sortColumn(field: string): string {
  return column(field);
}

export function cursorValues(row: Record<string, unknown>, keys: SortKey[]): unknown[] {
  return keys.map((k) => row[column(k.field).slice('users.'.length)]);
}

export type { ListRequest };
