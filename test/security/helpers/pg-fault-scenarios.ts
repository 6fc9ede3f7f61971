/** The two PostgreSQL fault scenarios, sized by the caller (default suite or test/long). */
import { expect } from 'vitest';
import { recordFigure } from '../../helpers/figures.ts';
import { load, newTally, sleep, startFaultServer, type Tally, terminateBackends, timeToRecover } from './pg-faults.ts';

function expectClean(t: Tally) {
  expect(t.samples.filter((s) => !/ 503 /.test(s) || t.badBodies > 0)).toEqual([]);
  expect(t.otherServerErrors).toBe(0);
  expect(t.clientErrors).toBe(0);
  expect(t.networkErrors).toBe(0);
  expect(t.badBodies).toBe(0);
}

/** `rounds` × terminate every backend of the server, `everyMs` apart, under load. */
export async function terminateScenario(prefix: string, rounds: number, everyMs: number) {
  const f = await startFaultServer({ proxy: false });
  try {
    const tally = newTally();
    let stop = false;
    const running = load(f.server.url, tally, 12, () => stop);
    let terminated = 0;
    for (let i = 0; i < rounds; i++) {
      await sleep(everyMs);
      terminated += await terminateBackends(f);
    }
    const recoveryMs = await timeToRecover(f.server.url, 5000);
    stop = true;
    await running;
    const crashed = f.server.child.exitCode !== null ? 1 : 0;
    recordFigure(`${prefix}.terminate.rounds`, rounds);
    recordFigure(`${prefix}.terminate.backends_terminated`, terminated);
    recordFigure(`${prefix}.terminate.requests`, tally.requests);
    recordFigure(`${prefix}.terminate.503`, tally.unavailable);
    recordFigure(`${prefix}.terminate.5xx_other_than_503`, tally.otherServerErrors);
    recordFigure(`${prefix}.terminate.4xx`, tally.clientErrors);
    recordFigure(`${prefix}.terminate.crashed`, crashed);
    recordFigure(`${prefix}.terminate.recovery_ms`, recoveryMs);
    expect(terminated).toBeGreaterThan(0);
    expect(crashed).toBe(0);
    expect(recoveryMs).toBeGreaterThanOrEqual(0);
    expectClean(tally);
    expect(tally.ok).toBeGreaterThan(0);
  } finally {
    await f.close();
  }
}

/** The database unreachable for `downMs` under load: 503s in each surface's format, readyz down, healthz up, recovery < 5 s. */
export async function outageScenario(prefix: string, downMs: number) {
  const f = await startFaultServer({ proxy: true });
  const proxy = f.proxy as NonNullable<typeof f.proxy>;
  const url = f.server.url;
  try {
    const before = newTally();
    let stop = false;
    let running = load(url, before, 8, () => stop);
    await sleep(500);
    stop = true;
    await running;

    await proxy.cut();
    const during = newTally();
    const cutAt = Date.now();
    stop = false;
    running = load(url, during, 8, () => stop);
    let readyDown = 0;
    let healthUp = 0;
    let checks = 0;
    while (Date.now() - cutAt < downMs) {
      await sleep(Math.min(500, downMs / 4));
      checks += 1;
      const [ready, health] = await Promise.all([fetch(`${url}/readyz`), fetch(`${url}/healthz`)]);
      await Promise.all([ready.arrayBuffer(), health.arrayBuffer()]);
      if (ready.status === 503) readyDown += 1;
      if (health.status === 200) healthUp += 1;
    }
    stop = true;
    await running;

    await proxy.open();
    const recoveryMs = await timeToRecover(url, 5000);
    const after = newTally();
    stop = false;
    running = load(url, after, 8, () => stop);
    await sleep(500);
    stop = true;
    await running;
    const ready = await fetch(`${url}/readyz`);
    await ready.arrayBuffer();
    const crashed = f.server.child.exitCode !== null ? 1 : 0;

    recordFigure(`${prefix}.outage.down_ms`, downMs);
    recordFigure(`${prefix}.outage.requests_while_down`, during.requests);
    recordFigure(`${prefix}.outage.503_while_down`, during.unavailable);
    recordFigure(`${prefix}.outage.other_answers_while_down`, during.requests - during.unavailable);
    recordFigure(`${prefix}.outage.readyz_not_ready`, `${readyDown}/${checks}`);
    recordFigure(`${prefix}.outage.healthz_up`, `${healthUp}/${checks}`);
    recordFigure(`${prefix}.outage.recovery_ms`, recoveryMs);
    recordFigure(`${prefix}.outage.crashed`, crashed);
    recordFigure(`${prefix}.outage.failures_after_recovery`, after.requests - after.ok);

    expect(crashed).toBe(0);
    expect(before.ok).toBe(before.requests);
    // every request while down: a 503 in its surface's format, none hanging, none 500
    expect(during.requests).toBeGreaterThan(10);
    expect(during.unavailable).toBe(during.requests);
    expectClean(during);
    expect(readyDown).toBe(checks);
    expect(healthUp).toBe(checks);
    expect(recoveryMs).toBeGreaterThanOrEqual(0);
    expect(recoveryMs).toBeLessThan(5000);
    expect(after.ok).toBe(after.requests);
    expect(ready.status).toBe(200);
  } finally {
    await f.close();
  }
}
