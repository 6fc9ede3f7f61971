// @fastify/rate-limit ships its counter stores as plain CommonJS files without types; this
// declares the documented store interface (`incr(key, callback, timeWindow, max)`) Roster calls.
declare module '@fastify/rate-limit/store/LocalStore.js' {
  export default class LocalStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, cache?: number);
    incr(
      key: string,
      callback: (err: Error | null, result: { current: number; ttl: number } | null) => void,
      timeWindow: number,
      max: number,
    ): void;
  }
}

declare module '@fastify/rate-limit/store/RedisStore.js' {
  export default class RedisStore {
    constructor(continueExceeding: boolean, exponentialBackoff: boolean, redis: unknown, key?: string);
    incr(
      key: string,
      callback: (err: Error | null, result: { current: number; ttl: number } | null) => void,
      timeWindow: number,
      max: number,
    ): void;
  }
}
