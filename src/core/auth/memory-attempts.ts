/**
 * The in-process AttemptCounterStore: the default when REDIS_URL is unset (one instance). Entries
 * expire by the core clock, so tests can move time; the map is bounded so a flood of distinct
 * logins cannot grow memory without limit (the oldest entries go first).
 */
import type { Clock } from '../clock.ts';
import type { AttemptCounterStore } from '../ports.ts';

interface Entry {
  count: number;
  countExpiresAt: number;
  blockedUntil: number;
}

export function memoryAttemptStore(clock: Clock, maxEntries = 100_000): AttemptCounterStore {
  const entries = new Map<string, Entry>();
  const now = () => clock.now().getTime();

  function live(key: string): Entry | undefined {
    const e = entries.get(key);
    if (!e) return undefined;
    const t = now();
    if (e.countExpiresAt <= t) e.count = 0;
    if (e.count === 0 && e.blockedUntil <= t) {
      entries.delete(key);
      return undefined;
    }
    return e;
  }

  function put(key: string, e: Entry): void {
    // Re-insert so Map order is least-recently-changed first.
    entries.delete(key);
    entries.set(key, e);
    if (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
  }

  return {
    async increment(key, ttlSeconds) {
      const e = live(key) ?? { count: 0, countExpiresAt: 0, blockedUntil: 0 };
      e.count += 1;
      e.countExpiresAt = now() + ttlSeconds * 1000;
      put(key, e);
      return e.count;
    },
    async decrement(key) {
      const e = live(key);
      if (e && e.count > 0) e.count -= 1;
    },
    async reset(key) {
      entries.delete(key);
    },
    async blockIfClear(key, seconds) {
      const e = live(key) ?? { count: 0, countExpiresAt: 0, blockedUntil: 0 };
      if (e.blockedUntil > now()) return false;
      e.blockedUntil = now() + seconds * 1000;
      put(key, e);
      return true;
    },
    async blockedFor(key) {
      const e = live(key);
      const left = e ? e.blockedUntil - now() : 0;
      return left > 0 ? Math.ceil(left / 1000) : 0;
    },
  };
}
