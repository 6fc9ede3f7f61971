/** Crash durability, longer: 30 × SIGKILL with more writers and longer write windows, per database. */
import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { crashRounds } from '../security/helpers/crash.ts';

const rounds = 30;

describe.each(dialects)('long crash durability on %s', (dialect) => {
  it(`${rounds} × SIGKILL under concurrent writes: nothing acknowledged lost or duplicated`, async () => {
    const r = await crashRounds(dialect, rounds, { writers: 32, windowMs: 2000 });
    recordFigure(`crash.long.${dialect}.rounds`, r.rounds);
    recordFigure(`crash.long.${dialect}.acknowledged`, r.acknowledged);
    recordFigure(`crash.long.${dialect}.lost`, r.lost);
    recordFigure(`crash.long.${dialect}.duplicated`, r.duplicated);
    recordFigure(`crash.long.${dialect}.integrity`, r.integrity);
    expect(r.problems.slice(0, 20)).toEqual([]);
    expect(r.rounds).toBe(rounds);
    expect(r.lost + r.duplicated + r.phantoms).toBe(0);
    expect(r.integrity).toBe('ok');
  }, 900_000);
});
