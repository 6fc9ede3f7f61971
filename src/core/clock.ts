/** Time as core sees it; tests pass a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** ISO 8601 UTC with milliseconds, e.g. 2024-01-15T09:30:00.000Z (sorts as text). */
export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}

export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}
