/** Graceful SIGTERM, repeated: 5 rounds of 200 logins in flight per database. */
import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { sigtermWithInFlight } from '../security/helpers/sigterm.ts';

describe.each(dialects)('long graceful SIGTERM on %s', (dialect) => {
  it('5 × SIGTERM with 200 logins in flight → 1000/1000 answered, exit 0 each time', async () => {
    let completed = 0;
    const exits: (number | null)[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await sigtermWithInFlight(dialect, 200);
      completed += r.completed;
      exits.push(r.exitCode);
    }
    recordFigure(`sigterm.long.${dialect}.in_flight_completed`, completed);
    recordFigure(`sigterm.long.${dialect}.nonzero_exits`, exits.filter((e) => e !== 0).length);
    expect(completed).toBe(1000);
    expect(exits).toEqual([0, 0, 0, 0, 0]);
  }, 600_000);
});
