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
 */

/** Distinct totals kept (least recently used goes first). */
export const COUNT_CACHE_SIZE = 256;

export type CountCache = (key: string, count: () => Promise<number>) => Promise<number>;

export function countCache(changeMark: () => string | Promise<string>, size = COUNT_CACHE_SIZE): CountCache {
  const entries = new Map<string, { mark: string; n: number }>();
  return async (key, count) => {
    const mark = await changeMark();
    const hit = entries.get(key);
    entries.delete(key);
    if (hit?.mark === mark) {
      entries.set(key, hit);
      return hit.n;
    }
    const n = await count();
    if ((await changeMark()) === mark) {
      entries.set(key, { mark, n });
      if (entries.size > size) entries.delete(entries.keys().next().value as string);
    }
    return n;
  };
}

/** No memory: every total is counted (transactions, databases without a change mark). */
export const uncachedCount: CountCache = (_key, count) => count();
