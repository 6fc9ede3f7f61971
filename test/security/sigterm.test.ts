/** Graceful SIGTERM on every database: 200 logins in flight all complete, exit 0 (test/long: 5 rounds). */
import { describe, expect, it } from 'vitest';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { sigtermWithInFlight } from './helpers/sigterm.ts';

describe.each(dialects)('graceful SIGTERM on %s', (dialect) => {
  it('200 logins in flight when SIGTERM arrives → all 200 answered 200, exit 0', async () => {
    const r = await sigtermWithInFlight(dialect, 200);
    recordFigure(`sigterm.${dialect}.in_flight`, r.inFlight);
    recordFigure(`sigterm.${dialect}.in_flight_completed`, r.completed);
    recordFigure(`sigterm.${dialect}.exit_code`, r.exitCode ?? 'none');
    recordFigure(`sigterm.${dialect}.drain_ms`, r.drainMs);
    expect(r.inFlight).toBe(200);
    expect(r.statuses).toEqual({ 200: 200 });
    expect(r.completed).toBe(200);
    expect(r.exitCode).toBe(0);
    expect(r.drainMs).toBeLessThan(30_000);
    // a request sent after the signal is refused or answered 503, not served half-closed
    expect(r.lateAnswers[0]).toMatch(/^(503|refused)/);
  }, 90_000);
});
