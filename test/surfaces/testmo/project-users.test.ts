/**
 * `GET /api/v1/projects/{id}/users`: who may read a project's users (policy `projects.read`), and
 * that an unknown project and one the caller cannot access answer the same 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../../src/core/tenancy/types.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { actorFor, orgWith, type Principal, principal } from '../../tenancy/helpers.ts';
import { caller, testmoError } from './helpers.ts';

describe.each(dialects)('testmo project users on %s', (dialect) => {
  let t: TestApp;
  let project: Project;
  let owner: Principal;
  let worker: Principal;
  let projectMember: Principal;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
    const o = await orgWith(t, ['worker', 'worker']);
    owner = o.owner;
    [worker, projectMember] = o.members as [Principal, Principal];
    project = await t.core.projects.create(owner.actor, o.org.id, { name: 'Checkout' });
    await t.core.projects.addMember(owner.actor, project.id, projectMember.user.id);
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const url = () => `/api/v1/projects/${project.id}/users`;

  it('lists the project members as {id, name}, by id, for members, org members and admins', async () => {
    const expected = [owner.user, projectMember.user].sort((a, b) => a.id - b.id).map((u) => ({ id: u.id, name: u.displayName }));
    for (const key of [owner.key, projectMember.key, worker.key, t.adminKey]) {
      const r = await call({ method: 'GET', url: url(), key });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ page: 1, prev_page: null, next_page: null, last_page: 1, per_page: 100, total: 2, result: expected });
    }
  });

  it('an outsider, a deactivated org member and a foreign service account get the unknown-project 404', async () => {
    const unknown = testmoError(await call({ method: 'GET', url: '/api/v1/projects/987654/users' }), 404);
    expect(unknown).toEqual({ message: 'The project could not be found.', errors: {} });

    const outsider = await principal(t);
    expect(testmoError(await call({ method: 'GET', url: url(), key: outsider.key }), 404)).toEqual(unknown);

    const other = await orgWith(t);
    const bot = await t.newUser({}, { isServiceAccount: true, serviceOrgId: other.org.id });
    expect(testmoError(await call({ method: 'GET', url: url(), key: bot.key }), 404)).toEqual(unknown);

    const leaving = await principal(t);
    await t.core.memberships.addTrusted({ orgId: project.orgId, userId: leaving.user.id, role: 'worker' });
    expect((await call({ method: 'GET', url: url(), key: leaving.key })).statusCode).toBe(200);
    await t.core.memberships.setActive(owner.actor, project.orgId, leaving.user.id, false);
    expect(testmoError(await call({ method: 'GET', url: url(), key: leaving.key }), 404)).toEqual(unknown);

    // the project's own organization's service account may read it
    const ownBot = await t.newUser({}, { isServiceAccount: true, serviceOrgId: project.orgId });
    expect((await call({ method: 'GET', url: url(), key: ownBot.key })).statusCode).toBe(200);
  });

  it('a project member who leaves the organization loses access', async () => {
    const p = await principal(t);
    await t.core.memberships.addTrusted({ orgId: project.orgId, userId: p.user.id, role: 'worker' });
    await t.core.projects.addMember(owner.actor, project.id, p.user.id);
    expect((await call({ method: 'GET', url: url(), key: p.key })).json().total).toBe(3);
    await t.core.memberships.remove(await actorFor(t, p.key), project.orgId, p.user.id);
    testmoError(await call({ method: 'GET', url: url(), key: p.key }), 404);
    expect((await call({ method: 'GET', url: url() })).json().total).toBe(2);
  });
});
