/**
 * Lookups by a value no row can hold answer "nothing" without asking the database. PostgreSQL
 * refuses such values outright — a NUL in text (22021), an integer beyond int4 (22003) — which
 * surfaced as 500s for `GET /v1/orgs/%00` or `GET /api/users/2147483648`; SQLite merely finds no
 * row. Guarding the single-row lookups here keeps both databases answering alike (404) for every
 * surface, whatever path the value took to get here.
 */
const INT4_MAX = 2_147_483_647;

/** Single-row lookups: `undefined` is their "no such row". */
const lookups = new Set([
  'find',
  'findById',
  'findByUuid',
  'findByRef',
  'findBySlug',
  'findByUsername',
  'findByEmail',
  'findByName',
  'findByTokenHash',
]);

export function isStorableKey(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\u0000');
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) <= INT4_MAX;
  return true;
}

export function guardLookups<T extends object>(repository: T): T {
  const guarded = { ...repository } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(repository)) {
    if (!lookups.has(name) || typeof fn !== 'function') continue;
    guarded[name] = (...args: unknown[]) => (args.every(isStorableKey) ? fn.apply(repository, args) : Promise.resolve(undefined));
  }
  return guarded as T;
}
