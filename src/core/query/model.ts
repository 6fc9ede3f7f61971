/**
 * One query model for every list (DESIGN §5). Surfaces translate their parameters into a
 * ListRequest; storage compiles it into parameterised SQL. Field names are canonical (camelCase).
 */
export type Scalar = string | number | boolean | null;

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'cmp'; field: string; op: CompareOp; value: Scalar }
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
};

/** Splits free text into search terms the way DRF's SearchFilter does: on whitespace and commas. */
export function searchTerms(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}
