/**
 * Races over real HTTP, on every database: duplicate registrations, Idempotency-Key retries,
 * If-Match writers and single-use tokens each let exactly one request through. The default suite
 * sends RACE_REGISTRATIONS (200) registrations; test/long sends 2,000.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import {
  fiveHundreds,
  idempotencyRace,
  ifMatchRace,
  invitationRace,
  membershipIfMatchRace,
  type RaceApp,
  registrationRace,
  rotationRace,
  startRaceApp,
} from './helpers/races.ts';

const registrations = Number(process.env.RACE_REGISTRATIONS ?? 200);

describe.each(dialects)('races on %s', (dialect) => {
  let app: RaceApp;
  beforeAll(async () => {
    app = await startRaceApp(dialect);
  });
  afterAll(async () => app?.close());

  it(`${registrations} concurrent registrations of one email (case and whitespace variants, native and CVAT) → one user`, async () => {
    const r = await registrationRace(app, registrations);
    recordFigure(`race.${dialect}.registrations_sent`, registrations);
    recordFigure(`race.${dialect}.registrations_users_created`, r.usersCreated);
    recordFigure(`race.${dialect}.registrations_5xx`, fiveHundreds(r.answers));
    expect(r.usersCreated).toBe(1);
    expect(r.statuses[201]).toBe(1);
    // the losers: native 409 EMAIL_TAKEN, CVAT 400 {"email": […]}
    expect((r.statuses[409] ?? 0) + (r.statuses[400] ?? 0)).toBe(registrations - 1);
  }, 120_000);

  it('50 concurrent retries of one Idempotency-Key → one row, identical replays, the rest 409 in progress', async () => {
    const r = await idempotencyRace(app, 50);
    recordFigure(`race.${dialect}.idempotency_rows`, r.userRows);
    expect(r.userRows).toBe(1);
    expect(r.keyRows).toBe(1);
    expect(fiveHundreds(r.answers)).toBe(0);
    const done = r.answers.filter((a) => a.status === 200);
    expect(done.length).toBeGreaterThanOrEqual(1);
    for (const a of done) expect(a.body).toBe(done[0]?.body);
    for (const a of r.answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(409);
      expect(JSON.parse(a.body).error.type).toBe('idempotency_error');
    }
    expect(r.replay.status).toBe(200);
    expect(r.replay.body).toBe(done[0]?.body);
  });

  it('100 concurrent PATCHes with one If-Match ETag → one 200, 99 × 412, the winner’s write stored', async () => {
    const r = await ifMatchRace(app, 100);
    recordFigure(`race.${dialect}.if_match_successes`, r.statuses[200] ?? 0);
    recordFigure(`race.${dialect}.if_match_412`, r.statuses[412] ?? 0);
    expect(r.statuses).toEqual({ 200: 1, 412: 99 });
    expect(r.after?.company).toBe(JSON.parse(r.winner?.body ?? '{}').company);
    expect(r.after?.version).toBe(2);
    for (const a of r.answers.filter((x) => x.status === 412)) expect(JSON.parse(a.body)).toMatchObject({ code: 'PRECONDITION_FAILED' });
  });

  it('50 concurrent membership PATCHes with one If-Match ETag → one 200, 49 × 412', async () => {
    const r = await membershipIfMatchRace(app, 50);
    recordFigure(`race.${dialect}.membership_if_match_successes`, r.statuses[200] ?? 0);
    expect(r.statuses).toEqual({ 200: 1, 412: 49 });
  });

  it('16 concurrent accepts of one invitation token → one membership', async () => {
    const r = await invitationRace(app, 16);
    recordFigure(`race.${dialect}.single_use_token_successes`, r.statuses[201] ?? 0);
    expect(r.statuses[201]).toBe(1);
    expect(r.members).toBe(1);
    expect(fiveHundreds(r.answers)).toBe(0);
  });

  it('16 concurrent rotations of one API key → one successor key (with and without overlap)', async () => {
    const now = await rotationRace(app, 16, 0);
    const overlap = await rotationRace(app, 16, 3600);
    recordFigure(`race.${dialect}.key_rotation_successes`, now.statuses[201] ?? 0);
    recordFigure(`race.${dialect}.key_rotation_overlap_successes`, overlap.statuses[201] ?? 0);
    // revoked at once: the others find no live key (404); with an overlap the old key already ends sooner (409)
    expect(now.statuses).toEqual({ 201: 1, 404: 15 });
    expect(overlap.statuses).toEqual({ 201: 1, 409: 15 });
    expect(now.minted).toBe(1);
    expect(overlap.minted).toBe(1);
  });
});
