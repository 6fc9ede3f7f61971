/** The semaphore that bounds concurrent argon2 computations (src/core/auth/passwords.ts). */
import { describe, expect, it } from 'vitest';
import { semaphore } from '../../src/core/auth/semaphore.ts';

describe('semaphore', () => {
  it('runs at most `limit` tasks at once, the rest in arrival order, and frees a slot on failure', async () => {
    const s = semaphore(2);
    let peak = 0;
    let now = 0;
    const order: number[] = [];
    const task = (i: number, fail = false) =>
      s.run(async () => {
        now += 1;
        peak = Math.max(peak, now);
        await new Promise((r) => setTimeout(r, 5));
        now -= 1;
        order.push(i);
        if (fail) throw new Error(`task ${i}`);
        return i;
      });
    const results = await Promise.allSettled([task(1), task(2, true), task(3), task(4), task(5)]);
    expect(peak).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(order.slice(0, 2).sort()).toEqual([1, 2]);
    expect(order.slice(2)).toEqual([3, 4, 5]);
    expect(s.running).toBe(0);
    expect(s.waiting).toBe(0);
  });
});
