/**
 * Crash durability on every database: 10 × SIGKILL of the real server during concurrent
 * acknowledged writes; nothing acknowledged is lost or duplicated, the database passes its
 * integrity check and the server starts again on it. test/long runs more rounds.
 */
import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { crashRounds } from './helpers/crash.ts';

describe.each(dialects)('crash durability on %s', (dialect) => {
  it('10 × SIGKILL under concurrent writes: every acknowledged write is there once, integrity ok', async () => {
    const r = await crashRounds(dialect, 10);
    recordFigure(`crash.${dialect}.rounds`, r.rounds);
    recordFigure(`crash.${dialect}.acknowledged`, r.acknowledged);
    recordFigure(`crash.${dialect}.lost`, r.lost);
    recordFigure(`crash.${dialect}.duplicated`, r.duplicated);
    recordFigure(`crash.${dialect}.integrity`, r.integrity);
    expect(r.problems.slice(0, 20)).toEqual([]);
    expect(r.rounds).toBe(10);
    // how many depends on the machine's load; some of each kind in every run
    expect(r.acknowledgedCreates).toBeGreaterThan(10);
    expect(r.acknowledgedUpdates).toBeGreaterThan(10);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.phantoms).toBe(0);
    expect(r.integrity).toBe('ok');
  }, 180_000);
});
