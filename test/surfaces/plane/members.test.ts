/**
 * Plane member lists: `GET /workspaces/{slug}/members/`, the two project-member paths and
 * `GET /users/me/workspaces/`, with Plane's permission rules and bodies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Organization, Project } from '../../../src/core/tenancy/types.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { type Principal, principal, uniqueSlug } from '../../tenancy/helpers.ts';

const userLiteKeys = ['id', 'first_name', 'last_name', 'email', 'avatar', 'avatar_url', 'display_name'];
const forbidden = { detail: 'You do not have permission to perform this action.' };
const resourceMissing = { error: 'The requested resource does not exist.' };

describe.each(dialects)('Plane member lists on %s', (dialect) => {
  let t: TestApp;
  let org: Organization;
  let otherOrg: Organization;
  let owner: Principal;
  let maintainer: Principal; // workspace Admin (20), in no project
  let supervisor: Principal; // Member (15), only in project two
  let worker: Principal; // Member (15), in project one
  let guest: Principal; // deactivated membership (5), was in project one
  let outsider: Principal;
  let one: Project;
  let two: Project;
  let foreign: Project;

  beforeAll(async () => {
    t = await buildTestApp(dialect);
    owner = await principal(t, { firstName: 'Olga', lastName: 'Owner' });
    org = await t.core.orgs.create(owner.actor, { slug: uniqueSlug('ws'), name: 'Workspace' });
    maintainer = await principal(t);
    supervisor = await principal(t);
    worker = await principal(t);
    guest = await principal(t);
    outsider = await principal(t);
    for (const [p, role] of [
      [maintainer, 'maintainer'],
      [supervisor, 'supervisor'],
      [worker, 'worker'],
      [guest, 'worker'],
    ] as const) {
      await t.core.memberships.addTrusted({ orgId: org.id, userId: p.user.id, role });
    }
    one = await t.core.projects.create(owner.actor, org.id, { name: 'One' });
    two = await t.core.projects.create(owner.actor, org.id, { name: 'Two' });
    await t.core.projects.addMember(owner.actor, one.id, worker.user.id);
    await t.core.projects.addMember(owner.actor, one.id, guest.user.id);
    await t.core.projects.addMember(owner.actor, two.id, supervisor.user.id);
    await t.core.memberships.setActive(owner.actor, org.id, guest.user.id, false);
    const otherOwner = await principal(t);
    otherOrg = await t.core.orgs.create(otherOwner.actor, { slug: uniqueSlug('other'), name: 'Other' });
    foreign = await t.core.projects.create(otherOwner.actor, otherOrg.id, { name: 'Foreign' });
  });
  afterAll(async () => t?.close());

  const get = (url: string, key?: string) => t.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });
  const workspaceMembers = (slug: string, key?: string) => get(`/api/v1/workspaces/${slug}/members/`, key);
  const projectMembers = (slug: string, projectId: string, key?: string, leaf = 'members') =>
    get(`/api/v1/workspaces/${slug}/projects/${projectId}/${leaf}/`, key);

  describe('GET /api/v1/workspaces/{slug}/members/', () => {
    it('is a plain array of UserLite plus an integer role, for every membership row', async () => {
      const r = await workspaceMembers(org.slug, owner.key);
      expect(r.statusCode).toBe(200);
      const rows = r.json();
      expect(Array.isArray(rows)).toBe(true);
      expect(rows).toHaveLength(5);
      for (const row of rows) expect(Object.keys(row)).toEqual([...userLiteKeys, 'role']);
      const byId = new Map(rows.map((row: { id: string; role: number }) => [row.id, row.role]));
      expect(byId.get(owner.user.uuid)).toBe(20);
      expect(byId.get(maintainer.user.uuid)).toBe(20);
      expect(byId.get(supervisor.user.uuid)).toBe(15);
      expect(byId.get(worker.user.uuid)).toBe(15);
      // an inactive membership is listed too, as Guest
      expect(byId.get(guest.user.uuid)).toBe(5);
      const own = rows.find((row: { id: string }) => row.id === owner.user.uuid);
      expect(own).toMatchObject({ first_name: 'Olga', last_name: 'Owner', display_name: 'Olga Owner', avatar: '', avatar_url: null });
    });

    it('is readable by a Member (15) as well as an Admin (20)', async () => {
      expect((await workspaceMembers(org.slug, worker.key)).statusCode).toBe(200);
      expect((await workspaceMembers(org.slug, maintainer.key)).statusCode).toBe(200);
    });

    it('refuses a Guest (deactivated membership) with 403', async () => {
      const r = await workspaceMembers(org.slug, guest.key);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual(forbidden);
    });

    it('answers a non-member and an unknown workspace with the same 403', async () => {
      const nonMember = await workspaceMembers(org.slug, outsider.key);
      const unknown = await workspaceMembers('no-such-workspace-anywhere', outsider.key);
      expect(nonMember.statusCode).toBe(403);
      expect(unknown.statusCode).toBe(403);
      expect(nonMember.json()).toEqual(forbidden);
      expect(unknown.body).toBe(nonMember.body);
    });

    it('gives a site admin who is not a member no bypass (Plane has none)', async () => {
      const r = await workspaceMembers(org.slug, t.adminKey);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual(forbidden);
    });

    it('answers 401 without a key and 405 for other methods', async () => {
      const anonymous = await workspaceMembers(org.slug);
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toEqual({ detail: 'Authentication credentials were not provided.' });
      const post = await t.inject({ method: 'POST', url: `/api/v1/workspaces/${org.slug}/members/`, headers: { 'x-api-key': owner.key } });
      expect(post.statusCode).toBe(405);
      expect(post.json()).toEqual({ detail: 'Method "POST" not allowed.' });
    });
  });

  describe('GET …/projects/{project_id}/members/ and …/project-members/', () => {
    it('is a plain array of UserLite (no role), the same on both paths', async () => {
      const members = await projectMembers(org.slug, one.uuid, owner.key);
      const alias = await projectMembers(org.slug, one.uuid, owner.key, 'project-members');
      expect(members.statusCode).toBe(200);
      expect(alias.statusCode).toBe(200);
      expect(alias.body).toBe(members.body);
      const rows = members.json();
      for (const row of rows) expect(Object.keys(row)).toEqual(userLiteKeys);
      // the deactivated workspace member is no longer an active project member
      expect(rows.map((row: { id: string }) => row.id).sort()).toEqual([owner.user.uuid, worker.user.uuid].sort());
    });

    it("lets a member of any project of the workspace read another project's members (Plane's quirk)", async () => {
      const r = await projectMembers(org.slug, one.uuid, supervisor.key, 'project-members');
      expect(r.statusCode).toBe(200);
      expect(r.json()).toHaveLength(2);
    });

    it('refuses a workspace member who is in no project', async () => {
      const r = await projectMembers(org.slug, one.uuid, maintainer.key);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual(forbidden);
    });

    it('refuses a project member whose workspace membership is deactivated', async () => {
      const r = await projectMembers(org.slug, one.uuid, guest.key);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual(forbidden);
    });

    it('answers a non-member and an unknown workspace with the same 403, before any project lookup', async () => {
      const nonMember = await projectMembers(org.slug, one.uuid, outsider.key);
      const unknown = await projectMembers('no-such-workspace-anywhere', one.uuid, owner.key);
      const unknownBoth = await projectMembers('no-such-workspace-anywhere', '00000000-0000-4000-8000-000000000000', owner.key);
      for (const r of [nonMember, unknown, unknownBoth]) {
        expect(r.statusCode).toBe(403);
        expect(r.json()).toEqual(forbidden);
      }
    });

    it('answers 404 "does not exist" for an unknown project and for a project of another workspace', async () => {
      const unknown = await projectMembers(org.slug, '00000000-0000-4000-8000-000000000000', owner.key);
      const elsewhere = await projectMembers(org.slug, foreign.uuid, owner.key, 'project-members');
      for (const r of [unknown, elsewhere]) {
        expect(r.statusCode).toBe(404);
        expect(r.json()).toEqual(resourceMissing);
      }
    });

    it('answers a project id that is not a uuid as an unknown URL', async () => {
      for (const id of [String(one.id), 'not-a-uuid', one.uuid.toUpperCase(), `urn:uuid:${one.uuid}`]) {
        const r = await projectMembers(org.slug, id, owner.key);
        expect(r.statusCode, id).toBe(404);
        expect(r.json()).toEqual({ error: 'Page not found.' });
      }
    });
  });

  describe('GET /api/v1/users/me/workspaces/', () => {
    it('is a plain array of {id, name, slug} of the active memberships, id being the uuid', async () => {
      const r = await get('/api/v1/users/me/workspaces/', worker.key);
      expect(r.statusCode).toBe(200);
      expect(r.json()).toEqual([{ id: org.uuid, name: 'Workspace', slug: org.slug }]);
      expect(Object.keys(r.json()[0])).toEqual(['id', 'name', 'slug']);
    });

    it('leaves out deactivated memberships and is [] without any', async () => {
      expect((await get('/api/v1/users/me/workspaces/', guest.key)).json()).toEqual([]);
      expect((await get('/api/v1/users/me/workspaces/', outsider.key)).json()).toEqual([]);
    });

    it('lists every workspace of a user in several', async () => {
      await t.core.memberships.addTrusted({ orgId: otherOrg.id, userId: supervisor.user.id, role: 'worker' });
      const slugs = (await get('/api/v1/users/me/workspaces/', supervisor.key)).json().map((w: { slug: string }) => w.slug);
      expect(slugs.sort()).toEqual([org.slug, otherOrg.slug].sort());
    });
  });
});
