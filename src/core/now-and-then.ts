/**
 * Housekeeping piggybacked on ordinary traffic (no timers to start, stop or leak): the returned
 * function runs `sweep` at most once per `everyMs`, without awaiting it. Bookkeeping must neither
 * fail nor slow the request that happens to trigger it; a failed sweep is retried by a later one.
 */
export function nowAndThen(everyMs: number, sweep: (nowMs: number) => Promise<unknown>): (nowMs: number) => void {
  let lastMs = Number.NEGATIVE_INFINITY;
  return (nowMs) => {
    if (nowMs - lastMs < everyMs) return;
    lastMs = nowMs;
    sweep(nowMs).catch(() => {
      lastMs = Number.NEGATIVE_INFINITY;
    });
  };
}
