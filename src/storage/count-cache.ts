/**
 * Exact list totals, remembered until the database changes. A total at a million users is the
 * expensive half of a list page (every match is visited: 6–10 ms for a broad search on SQLite,
 * where a page of it costs under 1 ms), and clients ask for the same one again and again: every
 * page of one list (CVAT's and Testmo's envelopes always carry it), a UI refreshing a filter.
 *
 * A remembered total is only ever the current one: it is keyed by the count's SQL and
 * parameters and stamped with the database's change mark (db.ts), and a total is kept only when
 * the mark did not move while it was being counted. Any write, to any table, forgets every total.
 * - SQLite: this process's write statements and `PRAGMA data_version` (other processes' commits).
 * - PostgreSQL: the current snapshot, `pg_current_snapshot()` (`xmin:xmax:ids in progress`).
 *   Two equal snapshots see the same committed transactions: a transaction that writes takes a
 *   transaction id (xmax moves) and is in progress until it commits or aborts (the list changes),
 *   whichever instance runs it. A count runs on a snapshot taken between the two marks, so equal
 *   marks mean it saw exactly what the mark names. (The WAL position would not do: a commit
 *   record is written, and flushed, before the transaction becomes visible.) Read-only work
 *   takes no transaction id and keeps the mark. One round trip of a few tens of microseconds per
 *   lookup, against tens of milliseconds for an exact count at a million users.
 *
 * The same memory (`whileUnchanged`) keeps, on SQLite, the ids a broad search matches (for the
 * sort-index walk of sqlite-list-plan.ts: one FTS evaluation instead of one per page) and the
 * API-key lookups of authentication (api-keys.repository.ts).
 */

/** Distinct totals kept (least recently used goes first). */
export const COUNT_CACHE_SIZE = 256;

/** `compute()`'s answer for `key`, or the one remembered for it while the database has not changed. */
export type ChangeMemo<T> = (key: string, compute: () => Promise<T>) => Promise<T>;
export type CountCache = ChangeMemo<number>;

/**
 * Remembers up to `size` answers, each stamped with the change mark read before it was
 * computed, and kept only when the mark still reads the same after: an answer is only ever
 * given back while the database is exactly as it was computed over.
 */
export function whileUnchanged<T>(
  changeMark: () => string | Promise<string>,
  size: number,
  /** which answers are worth remembering (default: all) */
  keep: (value: T) => boolean = () => true,
): ChangeMemo<T> {
  const entries = new Map<string, { mark: string; value: T }>();
  return async (key, compute) => {
    const mark = await changeMark();
    const hit = entries.get(key);
    entries.delete(key);
    if (hit?.mark === mark) {
      entries.set(key, hit);
      return hit.value;
    }
    const value = await compute();
    if (keep(value) && (await changeMark()) === mark) {
      entries.set(key, { mark, value });
      if (entries.size > size) entries.delete(entries.keys().next().value as string);
    }
    return value;
  };
}

export function countCache(changeMark: () => string | Promise<string>, size = COUNT_CACHE_SIZE): CountCache {
  return whileUnchanged<number>(changeMark, size);
}

/** No memory: every total is counted (transactions, databases without a change mark). */
export const uncachedCount: CountCache = (_key, count) => count();
