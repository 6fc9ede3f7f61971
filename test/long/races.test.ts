/** The registration race at full size: 2,000 concurrent registrations of one email, per database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { fiveHundreds, type RaceApp, registrationRace, startRaceApp } from '../security/helpers/races.ts';

const registrations = 2000;

describe.each(dialects)('long races on %s', (dialect) => {
  let app: RaceApp;
  beforeAll(async () => {
    app = await startRaceApp(dialect);
  });
  afterAll(async () => app?.close());

  it(`${registrations} concurrent registrations of one email → one user, no 5xx`, async () => {
    const r = await registrationRace(app, registrations);
    recordFigure(`race.long.${dialect}.registrations_sent`, registrations);
    recordFigure(`race.long.${dialect}.registrations_users_created`, r.usersCreated);
    recordFigure(`race.long.${dialect}.registrations_5xx`, fiveHundreds(r.answers));
    expect(r.usersCreated).toBe(1);
    expect(r.statuses[201]).toBe(1);
    expect(fiveHundreds(r.answers)).toBe(0);
  });
});
