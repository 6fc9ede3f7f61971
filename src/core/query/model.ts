/**
 * One query model for every list (DESIGN §5). Surfaces translate their parameters into a
 * ListRequest; storage compiles it into parameterised SQL. Field names are canonical (camelCase).
 *
 * Semantics (the same on SQLite, PostgreSQL and the in-memory evaluator of the tests):
 * - every leaf is two-valued: a comparison, `in`, `between` or substring test on a NULL value is
 *   false (`cmp == null` is "is null", `cmp != null` is "is not null"), so `not` is plain boolean
 *   negation and never meets SQL's unknown;
 * - text compares and sorts by code point (SQLite's BINARY, PostgreSQL `COLLATE "C"`);
 * - "case-insensitive" lowers both sides with the database's lower(): identical on both
 *   databases for ASCII letters (PostgreSQL may also fold other letters);
 * - in sorts NULL is the smallest value (first ascending, last descending);
 * - `search` is a case-insensitive substring test: every term must occur in at least one field.
 */
export type Scalar = string | number | boolean | null;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  /** `caseInsensitive` compares lower(field) with lower(value) (text fields only; SCIM) */
  | { kind: 'cmp'; field: string; op: CompareOp; value: Scalar; caseInsensitive?: boolean }
  | { kind: 'in'; field: string; values: Scalar[] }
  | { kind: 'between'; field: string; low: Scalar; high: Scalar }
  | {
      kind: 'contains' | 'startsWith' | 'endsWith';
      field: string;
      value: string;
      caseInsensitive: boolean;
    }
  | { kind: 'isNull'; field: string }
  /** every term must match (case-insensitive substring) at least one of the fields */
  | { kind: 'search'; terms: string[]; fields: string[] };

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

export type PageRequest =
  | { kind: 'offset'; offset: number; limit: number }
  | { kind: 'cursor'; after: string | null; limit: number }
  | { kind: 'all' };

export interface ListRequest {
  filter?: FilterNode;
  /** the storage layer appends the unique tie-breaker `id` in the direction of the last key */
  sort: SortKey[];
  page: PageRequest;
  withTotal: boolean;
}

export interface ListResult<T> {
  items: T[];
  total: number | undefined;
  hasMore: boolean;
  nextCursor: string | null;
}

/** Bounds that keep a hostile filter cheap to refuse (J-group checks). */
export const queryLimits = {
  maxDepth: 16,
  maxNodes: 256,
  maxInValues: 500,
  maxStringLength: 512,
  maxSearchTerms: 16,
  maxPageSize: 1000,
  /** characters of a filter expression (JSON Logic, SCIM) before it is parsed at all */
  maxFilterLength: 8192,
  /** keys of one sort */
  maxSortKeys: 8,
  /** characters of an opaque cursor */
  maxCursorLength: 2048,
};

/** Splits free text into search terms the way DRF's SearchFilter does: on whitespace and commas. */
export function searchTerms(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}
