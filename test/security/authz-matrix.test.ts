/**
 * The authorization matrix (checklist E1, A1–A4, G5): every route of `/openapi.json` × every
 * credential kind × every ownership the route has, against the expected status in
 * authz-matrix.ts. A route without a row (or without a call spec) fails. Where a surface hides
 * existence, an object of another organization answers byte for byte like a missing one.
 *
 * ROSTER_AUTHZ_RECORD=<file> writes the observed statuses in the table's shape (for a new route's
 * draft row, to be reviewed against DESIGN §6 before it goes in).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { recordFigure } from '../helpers/figures.ts';
import { authzMatrix, type Expectation } from './authz-matrix.ts';
import { routeSpecs } from './authz-routes.ts';
import { runCell } from './authz-run.ts';
import { type AuthzWorld, authzWorld, type Ownership, ownershipsOf } from './authz-world.ts';
import { operationsOf } from './generator.ts';
import { type CredentialKind, credentialKinds, unthrottled } from './world.ts';

/** Ownerships run missing first and own last: a cell that deletes the caller's own object ends its world. */
const order: Ownership[] = ['missing', 'other', 'same', 'own'];

describe.each(dialects)('authorization matrix on %s', (dialect) => {
  let t: TestApp;
  let routes: string[] = [];
  beforeAll(async () => {
    t = await buildTestApp(dialect, unthrottled);
    const doc = (await t.inject({ method: 'GET', url: '/openapi.json' })).json();
    routes = operationsOf(doc).map((op) => `${op.method} ${op.path}`);
  });
  afterAll(async () => t?.close());

  it('has a call spec and a matrix row for every route, and no row for a route that is gone', () => {
    expect(
      routes.filter((r) => !routeSpecs[r]),
      'routes without a call spec',
    ).toEqual([]);
    expect(
      routes.filter((r) => !authzMatrix[r]),
      'routes without a matrix row',
    ).toEqual([]);
    expect(
      Object.keys(authzMatrix).filter((r) => !routes.includes(r)),
      'rows for unknown routes',
    ).toEqual([]);
  });

  it('answers every cell as the table says; other-tenant objects exactly like missing ones', { timeout: 900_000 }, async () => {
    const shared = new Map<CredentialKind, AuthzWorld>();
    for (const kind of credentialKinds) shared.set(kind, await authzWorld(t, kind));
    const mismatches: string[] = [];
    const leaks: string[] = [];
    const observed: Record<string, Record<string, number | number[]>> = {};
    let cells = 0;
    for (const route of routes) {
      const spec = routeSpecs[route];
      if (!spec) continue;
      const owns = ownershipsOf[spec.target];
      const mutating = !route.startsWith('GET ');
      observed[route] = {};
      for (const kind of credentialKinds) {
        const w = mutating && kind !== 'anonymous' && kind !== 'revoked' ? await authzWorld(t, kind) : (shared.get(kind) as AuthzWorld);
        const got = new Map<Ownership | '-', { status: number; body: string }>();
        if (owns.length === 0) got.set('-', await runCell(t, w, route, spec, undefined));
        else for (const own of order.filter((o) => owns.includes(o))) got.set(own, await runCell(t, w, route, spec, own));
        const statuses = owns.length === 0 ? [got.get('-')?.status as number] : owns.map((o) => got.get(o)?.status as number);
        (observed[route] as Record<string, number | number[]>)[kind] = statuses.every((s) => s === statuses[0])
          ? (statuses[0] as number)
          : statuses;
        const expected: Expectation | undefined = authzMatrix[route]?.[kind];
        for (const [i, status] of statuses.entries()) {
          cells++;
          const want = Array.isArray(expected) ? expected[i] : expected;
          if (want !== status) mismatches.push(`${route} as ${kind}${owns.length ? ` (${owns[i]})` : ''}: expected ${want}, got ${status}`);
        }
        // Existence hiding: a foreign object answers like a missing one whenever both are refused
        // alike (a site admin sees everything, so nothing is hidden from it).
        const other = got.get('other');
        const missing = got.get('missing');
        if (
          kind !== 'siteAdmin' &&
          other &&
          missing &&
          other.status === missing.status &&
          other.status >= 400 &&
          other.body !== missing.body
        ) {
          leaks.push(`${route} as ${kind}: other ${other.body.slice(0, 120)} ≠ missing ${missing.body.slice(0, 120)}`);
        }
      }
    }
    if (process.env.ROSTER_AUTHZ_RECORD) writeFileSync(process.env.ROSTER_AUTHZ_RECORD, JSON.stringify(observed, null, 1));
    recordFigure(`authz.${dialect}.routes`, routes.length);
    recordFigure(`authz.${dialect}.cells`, cells);
    recordFigure(`authz.${dialect}.mismatches`, mismatches.length);
    recordFigure(`authz.${dialect}.other_unlike_missing`, leaks.length);
    expect(leaks).toEqual([]);
    expect(mismatches).toEqual([]);
  });
});
