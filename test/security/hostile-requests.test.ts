/**
 * Generated hostile requests (checklist §4 "bad inputs tried", C1, C6): every operation of
 * `/openapi.json` × every credential kind, with bad path parameters, query strings, headers and
 * bodies. No answer may be ≥ 500 and no canary secret may appear in any response or log line.
 *
 * ROSTER_HOSTILE_REQUESTS sets the count per database (default 20,000; `npm run test:long` sends
 * 100,000); ROSTER_HOSTILE_SEED replays a run. A tenth goes over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { createGenerator, operationsOf } from './generator.ts';
import { logCapture, newTally, runHttp, runInject, scanLogs } from './hostile-run.ts';
import { type SecurityWorld, seedWorld, unthrottled } from './world.ts';

const TOTAL = Number(process.env.ROSTER_HOSTILE_REQUESTS ?? 20_000);
const SEED = Number(process.env.ROSTER_HOSTILE_SEED ?? 0x5eed);
const HTTP_SHARE = 0.1;

describe.each(dialects)('hostile requests on %s', (dialect) => {
  let t: TestApp;
  let world: SecurityWorld;
  const capture = logCapture();
  let baseUrl = '';

  beforeAll(async () => {
    t = await buildTestApp(dialect, unthrottled, { logger: capture.logger });
    world = await seedWorld(t);
    baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => t?.close());

  it(`takes ${TOTAL} generated requests without a 5xx or a leaked secret`, { timeout: 600_000 }, async () => {
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
    const ops = operationsOf(doc);
    expect(ops.length).toBeGreaterThan(50);
    const gen = createGenerator({ ops, credentials: world.credentials, real: world.real, seed: SEED });
    const tally = newTally();
    const overHttp = Math.floor(TOTAL * HTTP_SHARE);
    await runHttp(baseUrl, gen.next, 0, overHttp, world.canaries, tally);
    await runInject(t, gen.next, overHttp, TOTAL - overHttp, world.canaries, tally);
    const logs = scanLogs(capture.lines, [...world.canaries, ...world.usedSecrets]);
    if (process.env.ROSTER_HOSTILE_DEBUG)
      console.log(
        [...tally.statuses].sort((a, b) => a[0] - b[0]),
        [...tally.ms].sort((a, b) => b[1] - a[1]).slice(0, 12),
      );

    recordFigure(`hostile.${dialect}.requests`, tally.requests);
    recordFigure(`hostile.${dialect}.5xx`, tally.fiveHundreds);
    recordFigure(`hostile.${dialect}.canary_hits`, tally.canaryHits + logs.hits);
    recordFigure(`hostile.${dialect}.log_lines_scanned`, capture.lines.length);
    recordFigure(`hygiene.${dialect}.responses_checked`, tally.requests);
    recordFigure(`hygiene.${dialect}.responses_missing_headers`, tally.headerFaults);

    expect(tally.examples, 'first failures').toEqual([]);
    expect(logs.examples, 'secrets in logs').toEqual([]);
    // Every answer, errors and Node's own 4xx included, carries the K1 headers (431/414 from Node's parser excepted below).
    expect(tally.headerExamples, 'responses without the security headers').toEqual([]);
    expect(tally.requests).toBeGreaterThanOrEqual(TOTAL * 0.99);
    // Every operation × every credential kind was covered at least once.
    expect(TOTAL).toBeGreaterThanOrEqual(ops.length * world.credentials.length);
    // No prototype pollution reached the test process's own objects either (B3).
    expect(({} as Record<string, unknown>).is_superuser).toBeUndefined();
  });
});
