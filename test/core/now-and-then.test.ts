import { describe, expect, it } from 'vitest';
import { nowAndThen } from '../../src/core/now-and-then.ts';

describe('nowAndThen', () => {
  it('runs the sweep at most once per interval, and again after a failed one', async () => {
    const runs: number[] = [];
    let fail = false;
    const tick = nowAndThen(1000, async (now) => {
      runs.push(now);
      if (fail) throw new Error('database away');
    });
    tick(10_000);
    tick(10_500);
    tick(10_999);
    expect(runs).toEqual([10_000]);
    tick(11_000);
    expect(runs).toEqual([10_000, 11_000]);
    fail = true;
    tick(12_000);
    await new Promise((r) => setImmediate(r));
    fail = false;
    tick(12_001); // the failed sweep does not count: retried on the next trigger
    expect(runs).toEqual([10_000, 11_000, 12_000, 12_001]);
  });
});
