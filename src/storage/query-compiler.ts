/**
 * Compiles the core query model (filter tree, sort, keyset cursor, visibility) into Kysely
 * expressions over the `users` table, with the semantics documented in core/query/model.ts and
 * the same answers on SQLite and PostgreSQL. Values always travel as parameters; identifiers come
 * only from the fixed field→column map, never from input.
 *
 * Choices that keep both databases identical:
 * - text columns are compared and sorted `COLLATE "C"` on PostgreSQL (code-point order, SQLite's
 *   BINARY); migration 0004 builds the "C" indexes these expressions use;
 * - leaves over nullable columns get `AND col IS NOT NULL`, so every leaf is true or false and
 *   `not` never meets SQL's unknown (the index stays usable, unlike coalesce());
 * - NULL sorts first ascending / last descending (SQLite's default, spelled out on PostgreSQL);
 * - substring tests use instr()/strpos(), never LIKE, except the PostgreSQL search index path
 *   whose pattern is escaped (`%`, `_` and `\` are data).
 *
 * Free-text `search` goes through an index for terms of 3 characters or more: the FTS5 trigram
 * table `users_fts` on SQLite (one MATCH for all such terms, restricted to the searched columns),
 * `lower(column) LIKE '%term%'` over pg_trgm GIN indexes on PostgreSQL. A trigram index cannot
 * answer shorter terms (a 1–2 character term has no trigram), so those fall back to a substring
 * scan of the searched columns; combined with an indexed term the scan only checks the rows the
 * index returned. Results are the same either way: case-insensitive substring semantics.
 */
import { type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import { AppError } from '../core/errors.ts';
import type { Visibility } from '../core/policy/visibility.ts';
import { assertWithinBounds } from '../core/query/bounds.ts';
import type { FilterNode, ListRequest, Scalar, SortKey } from '../core/query/model.ts';
import { queryLimits } from '../core/query/model.ts';
import { type FieldType, fitsFieldType, isUserField, nullableUserFields, userFieldTypes } from '../core/query/user-fields.ts';
import { userColumns } from './mappers.ts';
import type { DialectName } from './migrations/context.ts';
import type { Database } from './schema.ts';

type EB = ExpressionBuilder<Database, 'users'>;
type Bool = Expression<SqlBool>;

const TRUE = sql<SqlBool>`(1 = 1)`;
const FALSE = sql<SqlBool>`(1 = 0)`;

/** A raw condition, parenthesised so `not`, `and` and `or` around it cannot rebind its parts. */
function cond(strings: TemplateStringsArray, ...values: unknown[]): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql<SqlBool>(strings, ...values)})`;
}

function invalid(field: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `filter: ${message}`, { issues: [{ field: 'filter', kind: 'invalid', message, input: field }] });
}

/** The column behind a canonical field (the only way a name reaches SQL). */
function columnName(field: string): string {
  if (field === 'id') return 'id';
  if (!isUserField(field)) throw invalid(field, `unknown field ${field}`);
  return (userColumns as Record<string, string>)[field] as string;
}

function fieldType(field: string): FieldType {
  return isUserField(field) ? userFieldTypes[field] : 'integer';
}

const isText = (field: string) => ['string', 'timestamp'].includes(fieldType(field));

/** Columns of the SQLite FTS table (migration 0004), by canonical field. */
const ftsColumns: Record<string, string> = {
  username: 'username',
  email: 'email',
  firstName: 'first_name',
  lastName: 'last_name',
  displayName: 'display_name',
};
/** Shortest term a trigram index can answer. */
const MIN_INDEXED_TERM = 3;

/** Escapes LIKE metacharacters so a term is matched literally (with `escape '\'`). */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** An FTS5 string literal: double quotes, inner quotes doubled; everything inside is data. */
export function ftsPhrase(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

const columnRef = (field: string): RawBuilder<unknown> => sql`${sql.ref(`users.${columnName(field)}`)}`;

/** The column as it compares and sorts: "C" collation for text on PostgreSQL. */
function sortable(field: string, dialect: DialectName): RawBuilder<unknown> {
  return dialect === 'postgres' && isText(field) ? sql`${columnRef(field)} collate "C"` : columnRef(field);
}

/**
 * The FTS5 MATCH expression for search terms over fields, or undefined when the trigram index
 * cannot answer them (a field outside the FTS table, or no term of 3 characters or more).
 */
export function ftsMatch(terms: readonly string[], fields: readonly string[]): string | undefined {
  if (!fields.every((f) => Object.hasOwn(ftsColumns, f))) return undefined;
  const indexed = terms.filter((t) => [...t].length >= MIN_INDEXED_TERM);
  if (indexed.length === 0) return undefined;
  const columns = `{${fields.map((f) => ftsColumns[f]).join(' ')}}`;
  return indexed.map((t) => `${columns} : ${ftsPhrase(t)}`).join(' AND ');
}

export interface FilterOptions {
  /**
   * SQLite only: keep the planner off the search subquery and two-valued columns (unary `+`
   * makes a term unusable as an index), so it walks the sort order's index and tests each row,
   * stopping after one page. Chosen by the repository when a search term matches many rows:
   * then reading every match and sorting them costs far more than walking to the page.
   */
  walk?: boolean;
  /**
   * SQLite, with `walk`: the ids some MATCH texts select, as JSON arrays the repository
   * remembered (sqlite-list-plan.ts); those searches test `id in json_each(…)` instead of
   * evaluating the MATCH again. Same rows either way.
   */
  matchedIds?: ReadonlyMap<string, string>;
  /**
   * SQLite only: `users_fts` is the driving table of the query (joined to users, read in rowid
   * order), so a search it answers is its MATCH instead of an `id in (…)` subquery. The
   * repository sets it only for conjunctions with one such search (sqlite-list-plan.ts).
   */
  ftsJoined?: boolean;
}

class FilterCompiler {
  constructor(
    private readonly eb: EB,
    private readonly dialect: DialectName,
    private readonly opts: FilterOptions = {},
  ) {}

  private ref(field: string): RawBuilder<unknown> {
    return this.opts.walk && fieldType(field) === 'boolean' ? sql`+${columnRef(field)}` : columnRef(field);
  }

  private sortable(field: string): RawBuilder<unknown> {
    return this.opts.walk && fieldType(field) === 'boolean' ? this.ref(field) : sortable(field, this.dialect);
  }

  private lowered(field: string, ordered: boolean): RawBuilder<unknown> {
    const lower = sql`lower(${this.ref(field)})`;
    return ordered && this.dialect === 'postgres' ? sql`${lower} collate "C"` : lower;
  }

  private lowerParam(value: string): RawBuilder<unknown> {
    return this.dialect === 'postgres' ? sql`lower(cast(${value} as text))` : sql`lower(${value})`;
  }

  /** A comparison value as stored (booleans are 0/1), refused when it does not fit the field. */
  value(field: string, v: Scalar): Scalar {
    if (v === null || !fitsFieldType(fieldType(field), v)) throw invalid(field, `invalid value ${JSON.stringify(v)} for ${field}`);
    return typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }

  /** Keeps a leaf two-valued: false (not unknown) where a nullable column is NULL. */
  private known(field: string, expr: Bool): Bool {
    return nullableUserFields.has(field) ? this.eb.and([expr, this.eb(this.ref(field), 'is not', null)]) : expr;
  }

  private find(haystack: RawBuilder<unknown>, needle: RawBuilder<unknown> | string): RawBuilder<number> {
    return this.dialect === 'postgres' ? sql<number>`strpos(${haystack}, ${needle})` : sql<number>`instr(${haystack}, ${needle})`;
  }

  compile(node: FilterNode): Bool {
    const eb = this.eb;
    switch (node.kind) {
      case 'and':
      case 'or':
        if (!Array.isArray(node.children)) throw invalid('', `${node.kind} needs a list of conditions`);
        if (node.children.length === 0) return node.kind === 'and' ? TRUE : FALSE;
        return node.kind === 'and' ? eb.and(node.children.map((c) => this.compile(c))) : eb.or(node.children.map((c) => this.compile(c)));
      case 'not':
        return eb.not(this.compile(node.child));
      case 'isNull':
        return eb(this.ref(node.field), 'is', null);
      case 'cmp': {
        if (!Object.hasOwn(SQL_OPS, node.op)) throw invalid(node.field, `unknown operator ${JSON.stringify(node.op)}`);
        if (node.value === null) {
          if (node.op === '==') return eb(this.ref(node.field), 'is', null);
          if (node.op === '!=') return eb(this.ref(node.field), 'is not', null);
          throw invalid(node.field, `cannot compare ${node.field} ${node.op} null`);
        }
        const ordered = node.op !== '==' && node.op !== '!=';
        if (node.caseInsensitive && isText(node.field)) {
          const v = this.value(node.field, node.value) as string;
          return this.known(node.field, cond`${this.lowered(node.field, ordered)} ${sql.raw(SQL_OPS[node.op])} ${this.lowerParam(v)}`);
        }
        const lhs = this.sortable(node.field);
        return this.known(node.field, cond`${lhs} ${sql.raw(SQL_OPS[node.op])} ${this.value(node.field, node.value)}`);
      }
      case 'in': {
        const values = node.values.filter((v) => v !== null).map((v) => this.value(node.field, v));
        const parts: Bool[] = [];
        if (values.length > 0) parts.push(this.known(node.field, cond`${this.sortable(node.field)} in (${sql.join(values)})`));
        if (node.values.includes(null)) parts.push(eb(this.ref(node.field), 'is', null));
        return parts.length === 0 ? FALSE : eb.or(parts);
      }
      case 'between': {
        const col = this.sortable(node.field);
        const low = this.value(node.field, node.low);
        const high = this.value(node.field, node.high);
        return this.known(node.field, cond`${col} >= ${low} and ${col} <= ${high}`);
      }
      case 'contains':
      case 'startsWith':
      case 'endsWith': {
        if (!isText(node.field)) throw invalid(node.field, `${node.field} is not text`);
        this.value(node.field, node.value);
        if (node.value === '') return this.known(node.field, TRUE); // every text contains, starts and ends with ""
        const hay = node.caseInsensitive ? this.lowered(node.field, false) : this.ref(node.field);
        const needle = node.caseInsensitive ? this.lowerParam(node.value) : sql`${node.value}`;
        let test: RawBuilder<SqlBool>;
        if (node.kind === 'contains') test = cond`${this.find(hay, needle)} > 0`;
        else if (this.dialect === 'postgres') {
          test =
            node.kind === 'startsWith' ? cond`starts_with(${hay}, ${needle})` : cond`right(${hay}, char_length(${needle})) = ${needle}`;
        } else {
          test =
            node.kind === 'startsWith'
              ? cond`substr(${hay}, 1, length(${needle})) = ${needle}`
              : cond`substr(${hay}, -length(${needle})) = ${needle}`;
        }
        return this.known(node.field, test);
      }
      case 'search':
        return this.search(node.terms, node.fields);
      default:
        // only reachable from untyped input; refused rather than compiled into nonsense
        throw invalid('', `unknown filter node ${JSON.stringify((node as { kind?: unknown }).kind)}`);
    }
  }

  private search(terms: string[], fields: string[]): Bool {
    if (!Array.isArray(terms) || !Array.isArray(fields) || !terms.every((t) => typeof t === 'string')) {
      throw invalid('', 'search terms must be texts');
    }
    if (terms.length === 0) return TRUE;
    if (fields.length === 0) return FALSE;
    for (const f of fields) if (!isText(f)) throw invalid(f, `${f} is not text`);
    const indexable = fields.every((f) => Object.hasOwn(ftsColumns, f));
    const indexed = indexable ? terms.filter((t) => [...t].length >= MIN_INDEXED_TERM) : [];
    const scanned = terms.filter((t) => !indexed.includes(t));
    const parts: Bool[] = [];
    const match = this.dialect === 'sqlite' ? ftsMatch(terms, fields) : undefined;
    if (match !== undefined && this.opts.ftsJoined) {
      parts.push(cond`users_fts match ${match}`);
    } else if (match !== undefined) {
      const id = this.opts.walk ? sql`+${sql.ref('users.id')}` : sql.ref('users.id');
      const ids = this.opts.walk ? this.opts.matchedIds?.get(match) : undefined;
      parts.push(
        ids !== undefined
          ? cond`${id} in (select value from json_each(${ids}))`
          : cond`${id} in (select rowid from users_fts where users_fts match ${match})`,
      );
    } else {
      for (const t of indexed) {
        const pattern = `%${escapeLike(t)}%`;
        parts.push(
          this.eb.or(fields.map((f) => this.known(f, cond`${this.lowered(f, false)} like ${this.lowerParam(pattern)} escape '\\'`))),
        );
      }
    }
    for (const t of scanned) {
      parts.push(this.eb.or(fields.map((f) => this.known(f, cond`${this.find(this.lowered(f, false), this.lowerParam(t))} > 0`))));
    }
    return this.eb.and(parts);
  }
}

const SQL_OPS = { '==': '=', '!=': '<>', '<': '<', '<=': '<=', '>': '>', '>=': '>=' } as const;

/** The filter as one boolean SQL expression; refuses (VALIDATION_FAILED) what breaks the bounds or the field types. */
export function compileFilter(eb: EB, node: FilterNode, dialect: DialectName, opts: FilterOptions = {}): Bool {
  assertWithinBounds(node);
  return new FilterCompiler(eb, dialect, dialect === 'sqlite' ? opts : {}).compile(node);
}

export function compileVisibility(eb: EB, v: Visibility): Bool {
  switch (v.kind) {
    case 'all':
      return TRUE;
    case 'none':
      return FALSE;
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
  for (const k of keys) columnName(k.field); // refuses unknown fields
  const idKey = sort.find((k) => k.field === 'id');
  const last = keys[keys.length - 1];
  return [...keys, idKey ?? { field: 'id', direction: last?.direction ?? 'asc' }];
}

/** ORDER BY items: "C" text order on PostgreSQL, NULL smallest on both databases. */
export function orderItems(keys: SortKey[], dialect: DialectName): RawBuilder<unknown>[] {
  return keys.map((k) => {
    const expr = sortable(k.field, dialect);
    const nulls = dialect === 'postgres' && nullableUserFields.has(k.field) ? (k.direction === 'asc' ? ' nulls first' : ' nulls last') : '';
    return sql`${expr} ${sql.raw(k.direction)}${sql.raw(nulls)}`;
  });
}

// Cursors are opaque to clients: base64url JSON of the sort they belong to and the last row's
// sort values. The sort is checked on the way back so a cursor cannot be replayed on another one.
const signature = (keys: SortKey[]) => keys.map((k) => `${k.field}:${k.direction === 'asc' ? 'a' : 'd'}`).join(',');

export function encodeCursor(keys: SortKey[], values: unknown[]): string {
  return Buffer.from(JSON.stringify({ s: signature(keys), v: values })).toString('base64url');
}

/** The cursor's values, checked against the sort's fields (type, nullability), or a 400. */
export function decodeCursor(cursor: string, keys: SortKey[]): Scalar[] {
  const bad = () =>
    new AppError('VALIDATION_FAILED', 'invalid cursor', { issues: [{ field: 'cursor', kind: 'invalid', message: 'invalid cursor' }] });
  if (cursor.length > queryLimits.maxCursorLength || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  const { s, v } = (parsed ?? {}) as { s?: unknown; v?: unknown };
  if (s !== signature(keys) || !Array.isArray(v) || v.length !== keys.length) throw bad();
  keys.forEach((k, i) => {
    const x = v[i] as unknown;
    const type = fieldType(k.field);
    if (x === null) {
      if (!nullableUserFields.has(k.field)) throw bad();
      return;
    }
    // booleans are stored (and so carried) as 0/1
    const ok = type === 'boolean' ? x === 0 || x === 1 : fitsFieldType(type, x as Scalar);
    if (!ok || (typeof x === 'string' && (x.length > queryLimits.maxStringLength * 2 || x.includes('\u0000')))) throw bad();
  });
  return v as Scalar[];
}

/**
 * Rows strictly after `values` in the order of `keys` (keyset pagination), with NULL as the
 * smallest value. When every key runs one way over NOT NULL columns this is a single row-value
 * comparison `(a, b, id) > (?, ?, ?)`, which both databases answer with one index range scan;
 * otherwise the expanded OR form, led by a bound on the first key so the index still applies.
 */
export function compileKeyset(eb: EB, keys: SortKey[], values: Scalar[], dialect: DialectName): Bool {
  const cols = keys.map((k) => sortable(k.field, dialect));
  const oneWay = keys.every((k) => k.direction === (keys[0] as SortKey).direction);
  if (oneWay && keys.every((k) => !nullableUserFields.has(k.field))) {
    const op = (keys[0] as SortKey).direction === 'asc' ? '>' : '<';
    return cond`(${sql.join(cols)}) ${sql.raw(op)} (${sql.join(values)})`;
  }
  const nullable = (i: number) => nullableUserFields.has((keys[i] as SortKey).field);
  const equal = (i: number): Bool =>
    values[i] === null ? eb(cols[i] as RawBuilder<unknown>, 'is', null) : cond`${cols[i]} = ${values[i]}`;
  const after = (i: number): Bool => {
    const k = keys[i] as SortKey;
    const v = values[i] as Scalar;
    const col = cols[i] as RawBuilder<unknown>;
    if (k.direction === 'asc') return v === null ? eb(col, 'is not', null) : cond`${col} > ${v}`;
    if (v === null) return FALSE;
    const below = cond`${col} < ${v}`;
    return nullable(i) ? eb.or([below, eb(col, 'is', null)]) : below;
  };
  const ors: Bool[] = keys.map((_, i) => eb.and([...keys.slice(0, i).map((_k, j) => equal(j)), after(i)]));
  const first = keys[0] as SortKey;
  const v0 = values[0] as Scalar;
  // the leading bound: every later row has first key >= v0 (asc) or <= v0 (desc, NOT NULL column)
  const lead =
    v0 === null ? undefined : first.direction === 'asc' ? cond`${cols[0]} >= ${v0}` : nullable(0) ? undefined : cond`${cols[0]} <= ${v0}`;
  return lead ? eb.and([lead, eb.or(ors)]) : eb.or(ors);
}

/** The columns of the sort keys (what `cursorValues` reads). */
export function cursorColumns(keys: SortKey[]): string[] {
  return keys.map((k) => columnName(k.field));
}

/** The row values a cursor carries, read from a selected `users` row. */
export function cursorValues(row: Record<string, unknown>, keys: SortKey[]): unknown[] {
  return keys.map((k) => row[columnName(k.field)] ?? null);
}

export type { ListRequest };
