// @fastify/rate-limit ships its counter stores as plain CommonJS files without types; this
// declares the documented store interface (`incr(key, callback, timeWindow, max)`) Roster calls.
declare module '@fastify/rate-limit/store/LocalStore.js' {
  /** Counts one request against `key` in a window of `timeWindow` ms; `current` includes this one. */
  export interface CounterStore {
    incr(
      key: string,
      callback: (err: Error | null, result: { current: number; ttl: number } | null) => void,
      timeWindow: number,
      max: number,
    ): void;
  }
  export default class LocalStore implements CounterStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, cache?: number);
    incr: CounterStore['incr'];
  }
}

declare module '@fastify/rate-limit/store/RedisStore.js' {
  import type { CounterStore } from '@fastify/rate-limit/store/LocalStore.js';
  export default class RedisStore implements CounterStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, redis: unknown, key?: string);
    incr: CounterStore['incr'];
  }
}
