/**
 * SQLite plan choices for user lists at scale, where its planner, left alone, picks badly:
 *
 * - **Broad search, sorted by a column** (`search=maria&sort=last_name`, ~4k matches of 1M): the
 *   planner reads every FTS match and sorts them (50–80 ms at 1M users). Walking the sort index
 *   and testing each row against the FTS matches stops after one page (9 ms). A narrow term
 *   (a few matches) is the other way round: walking would read the whole index for nothing. So a
 *   cheap probe, `count(*)` of at most BROAD_MATCHES FTS rows, decides, and its answer is cached
 *   per MATCH text (it only picks a plan: a stale answer costs time, never correctness).
 *   The walk still evaluates the MATCH first (1.6–1.9 ms for `maria` at 1M users, about half the
 *   query: the trigram `mar` alone has 49k rows); the store remembers the matched ids of a broad
 *   term while the database is unchanged (`matchedIds`, count-cache.ts) and the walk tests rows
 *   against that list (`json_each`, 0.2 ms for 4k ids): 3.4 → 1.6 ms a page.
 * - **Search, sorted by id** (CVAT's default `-id`, native cursors): `id in (select rowid …)`
 *   makes SQLite collect every match before the first row (4.3 ms for ~4k matches at 1M users).
 *   With the FTS table as the outer loop, read in rowid order and joined to users, the page stops
 *   after its rows (0.4 ms). Only for a conjunction with one indexed search, so the MATCH is a
 *   constraint of that one FTS scan (`drivingMatch`).
 * - **Counts**: a filter that is one FTS search counts in the FTS table alone (every users row
 *   has its FTS row, kept by triggers); a search plus tests of one more column counts through
 *   that column's `(column, id)` index (a covering lookup per match instead of a table row read:
 *   14 ms against 46 ms for `is_active` at 4k matches).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { FilterNode } from '../core/query/model.ts';
import { ftsMatch } from './query-compiler.ts';
import type { Database } from './schema.ts';

/** FTS matches from which a term counts as broad (walking beats materialising). */
export const BROAD_MATCHES = 2000;
const PROBE_CACHE_SIZE = 512;

/** `(column, id)` indexes of the users table by canonical field (migrations 0001 and 0004). */
const columnIndexes: Record<string, string> = {
  isActive: 'users_is_active_idx',
  firstName: 'users_first_name_idx',
  lastName: 'users_last_name_idx',
  createdAt: 'users_created_at_idx',
  username: 'users_username_sort_idx',
  email: 'users_email_sort_idx',
  displayName: 'users_display_name_sort_idx',
};

/** The FTS MATCH texts the filter's search nodes compile to (only those the index answers). */
export function searchMatches(node: FilterNode | undefined): string[] {
  if (!node) return [];
  switch (node.kind) {
    case 'search': {
      const m = Array.isArray(node.terms) && Array.isArray(node.fields) ? ftsMatch(node.terms, node.fields) : undefined;
      return m === undefined ? [] : [m];
    }
    case 'and':
      return Array.isArray(node.children) ? node.children.flatMap(searchMatches) : [];
    default:
      return [];
  }
}

/** One MATCH for the whole filter, when it is nothing but searches the FTS index answers entirely. */
export function pureSearchMatch(node: FilterNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'and') {
    if (!Array.isArray(node.children) || node.children.length === 0) return undefined;
    const parts = node.children.map(pureSearchMatch);
    return parts.every((p) => p !== undefined) ? parts.join(' AND ') : undefined;
  }
  if (node.kind !== 'search' || !Array.isArray(node.terms) || node.terms.length === 0) return undefined;
  if (!node.terms.every((t) => typeof t === 'string' && [...t].length >= 3)) return undefined;
  return ftsMatch(node.terms, node.fields);
}

/**
 * Collects the fields of a conjunction of searches and plain column tests; false for anything
 * else (`or`, `not`), which this planner leaves to SQLite.
 */
function testedFields(node: FilterNode, out: Set<string>): boolean {
  switch (node.kind) {
    case 'search':
      return true;
    case 'and':
      return Array.isArray(node.children) && node.children.every((c) => testedFields(c, out));
    case 'cmp':
    case 'in':
    case 'between':
    case 'isNull':
      out.add(node.field);
      return true;
    default:
      return false;
  }
}

/**
 * The MATCH of a filter whose id-ordered pages can be read in FTS rowid order: the sort is by
 * id alone and the filter a conjunction of plain tests with exactly one search the index answers.
 */
export function drivingMatch(node: FilterNode | undefined, keys: readonly { field: string }[]): string | undefined {
  if (!node || keys.length !== 1 || keys[0]?.field !== 'id') return undefined;
  const matches = searchMatches(node);
  if (matches.length !== 1 || !testedFields(node, new Set())) return undefined;
  return matches[0];
}

/** The covering index for a count of search ∧ tests of one column, if there is one. */
export function countIndex(node: FilterNode | undefined): string | undefined {
  if (!node || searchMatches(node).length === 0) return undefined;
  const fields = new Set<string>();
  if (!testedFields(node, fields) || fields.size !== 1) return undefined;
  const [field] = [...fields];
  return field !== undefined && Object.hasOwn(columnIndexes, field) ? columnIndexes[field] : undefined;
}

/** Most ids `matchedIds` keeps for one term (about 140 KB of JSON); a broader term is evaluated each time. */
export const MATCH_SET_MAX = 20_000;

/** The rowids `match` selects as a JSON array, in one statement; null beyond MATCH_SET_MAX of them. */
export async function matchedIds(db: Kysely<Database>, match: string, max = MATCH_SET_MAX): Promise<string | null> {
  const r = await sql<{
    ids: string;
    n: number;
  }>`select json_group_array(rowid) as ids, count(*) as n from (select rowid from users_fts where users_fts match ${match} limit ${max + 1})`.execute(
    db,
  );
  const row = r.rows[0];
  return row && Number(row.n) <= max ? row.ids : null;
}

export function broadSearchProbe(db: Kysely<Database>, broadMatches = BROAD_MATCHES): (match: string) => Promise<boolean> {
  const cache = new Map<string, boolean>();
  return async (match) => {
    const hit = cache.get(match);
    if (hit !== undefined) return hit;
    const r = await sql<{
      n: number;
    }>`select count(*) as n from (select 1 from users_fts where users_fts match ${match} limit ${broadMatches})`.execute(db);
    const broad = Number(r.rows[0]?.n ?? 0) >= broadMatches;
    cache.set(match, broad);
    if (cache.size > PROBE_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    return broad;
  };
}
