/**
 * Runs every row of the policy table through the HTTP API on a fresh world (organization,
 * founder, project, actor placed as the row says), and checks the table covers every action.
 * 2xx means allowed; 403 or 404 denied; anything else means the probe itself is broken. A denial
 * to someone outside the organization must be 404, exactly like a missing object.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, can, policyActions } from '../../src/core/policy/policy.ts';
import type { Organization, Project } from '../../src/core/tenancy/types.ts';
import { bearer, buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { actorFor, type Principal, principal, uniqueSlug } from '../tenancy/helpers.ts';
import { describeRow, type PolicyRow, policyOnlyActions, policyTable } from './policy-table.ts';

interface World {
  row: PolicyRow;
  actor: Principal;
  org: Organization;
  founder: Principal;
  project: Project;
}

type Probe = (t: TestApp, w: World) => Promise<LightMyRequestResponse | boolean>;

let seq = 0;
const unique = (p: string) => `${p}-${process.pid}-${++seq}-${Math.floor(Math.random() * 1e6)}`;

async function makeActor(t: TestApp, row: PolicyRow, org: Organization, otherOrg: () => Promise<Organization>): Promise<Principal> {
  switch (row.actor) {
    case 'superuser':
      return principal(t, { isSuperuser: true, isStaff: true });
    case 'groupAdmin': {
      const p = await principal(t);
      await t.core.groups.addUser(p.user.id, 'admin');
      return { ...p, actor: await actorFor(t, p.key) };
    }
    case 'user':
      return principal(t);
    case 'readOnly': {
      const p = await principal(t);
      const { secret } = await t.core.apiKeys.mintTrusted(p.user, { scopes: ['read'] });
      return { user: p.user, key: secret, actor: await actorFor(t, secret) };
    }
    case 'serviceAccount': {
      const bound = row.standing === 'own' ? org : await otherOrg();
      return principal(t, {}, { isServiceAccount: true, serviceOrgId: bound.id });
    }
  }
}

async function buildWorld(t: TestApp, row: PolicyRow): Promise<World> {
  const founder = await principal(t);
  const org = await t.core.orgs.create(founder.actor, { slug: uniqueSlug('pt'), name: 'Policy' });
  const project = await t.core.projects.create(founder.actor, org.id, { name: 'P' });
  const otherOrg = async () => t.core.orgs.create(founder.actor, { slug: uniqueSlug('elsewhere'), name: 'Elsewhere' });
  const actor = await makeActor(t, row, org, otherOrg);
  const s = row.actor === 'serviceAccount' ? undefined : row.standing;
  if (s === 'owner' || s === 'maintainer' || s === 'supervisor' || s === 'worker') {
    await t.core.memberships.addTrusted({ orgId: org.id, userId: actor.user.id, role: s });
  } else if (s === 'inactive') {
    await t.core.memberships.addTrusted({ orgId: org.id, userId: actor.user.id, role: 'maintainer' });
    await t.core.memberships.setActive(founder.actor, org.id, actor.user.id, false);
  } else if (s === 'projectAdmin') {
    await t.core.memberships.addTrusted({ orgId: org.id, userId: actor.user.id, role: 'worker' });
    await t.core.projects.addMember(founder.actor, project.id, actor.user.id, 'admin');
  }
  return { row, actor, org, founder, project };
}

const send = (t: TestApp, w: World, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object) =>
  t.inject({ method, url: `/v1${url}`, headers: bearer(w.actor.key), ...(payload ? { payload } : {}) });

/** The user a user-action targets: the actor itself, or a fresh stranger. */
async function targetUser(t: TestApp, w: World) {
  return w.row.target === 'self' ? w.actor.user : (await t.newUser()).user;
}

/** The member a member-action targets: the actor's own membership, or a fresh member with the row's role. */
async function targetMember(t: TestApp, w: World): Promise<number> {
  if (w.row.target === 'self') return w.actor.user.id;
  const role = w.row.target as NonNullable<PolicyRow['grant']>;
  const { user } = await t.newUser();
  await t.core.memberships.addTrusted({ orgId: w.org.id, userId: user.id, role });
  return user.id;
}

async function membershipOf(t: TestApp, w: World) {
  const membership = await t.core.memberships.find(w.actor.user.id, w.org.id);
  return membership ? { membership } : {};
}

const probes: Record<Action, Probe> = {
  'users.read': async (t, w) => send(t, w, 'GET', `/users/${(await targetUser(t, w)).id}`),
  'users.list': (t, w) => send(t, w, 'GET', '/users'),
  'users.create': (t, w) => send(t, w, 'POST', '/users', { email: `${unique('new')}@example.com` }),
  'users.update': async (t, w) => send(t, w, 'PATCH', `/users/${(await targetUser(t, w)).id}`, { company: 'Acme' }),
  'users.update.privileged': async (t, w) => send(t, w, 'PATCH', `/users/${(await targetUser(t, w)).id}`, { is_staff: true }),
  'users.delete': async (t, w) => send(t, w, 'DELETE', `/users/${(await targetUser(t, w)).id}`),
  'users.admin': async (_t, w) => can(w.actor.actor, 'users.admin').allow,
  'users.update.username': async (t, w) => can(w.actor.actor, 'users.update.username', { target: await targetUser(t, w) }).allow,
  'keys.manage': async (t, w) => can(w.actor.actor, 'keys.manage', { target: await targetUser(t, w) }).allow,
  'plane.workspace.members.list': async (t, w) =>
    can(w.actor.actor, 'plane.workspace.members.list', { org: w.org, ...(await membershipOf(t, w)) }).allow,
  'plane.project.members.list': async (t, w) =>
    can(w.actor.actor, 'plane.project.members.list', {
      org: w.org,
      ...(await membershipOf(t, w)),
      inAnyProjectOfOrg: await t.core.projects.hasAnyProjectIn(w.actor.user.id, w.org.id),
    }).allow,
  'serviceAccounts.manage': (t, w) => send(t, w, 'POST', '/service-accounts', { org: w.org.slug, username: unique('bot') }),
  'serviceAccounts.read': (t, w) => send(t, w, 'GET', `/service-accounts?org=${w.org.slug}`),
  'oauthClients.manage': (t, w) =>
    send(t, w, 'POST', '/oauth-clients', {
      name: 'App',
      org: w.org.slug,
      redirect_uris: ['https://app.example.com/cb'],
      scopes: ['openid', 'read'],
    }),
  'orgs.create': (t, w) => send(t, w, 'POST', '/orgs', { slug: uniqueSlug('made'), name: 'Made' }),
  'orgs.read': (t, w) => send(t, w, 'GET', `/orgs/${w.org.slug}`),
  'orgs.update': (t, w) => send(t, w, 'PATCH', `/orgs/${w.org.slug}`, { name: 'Renamed' }),
  'orgs.delete': (t, w) => send(t, w, 'DELETE', `/orgs/${w.org.slug}`),
  'members.list': (t, w) => send(t, w, 'GET', `/orgs/${w.org.slug}/members`),
  'members.add': async (t, w) =>
    send(t, w, 'POST', `/orgs/${w.org.slug}/members`, { user_id: (await t.newUser()).user.id, role: w.row.grant ?? 'worker' }),
  'members.invite': (t, w) =>
    send(t, w, 'POST', `/orgs/${w.org.slug}/invitations`, { email: `${unique('inv')}@example.com`, role: w.row.grant ?? 'worker' }),
  'members.update': async (t, w) =>
    send(t, w, 'PATCH', `/orgs/${w.org.slug}/members/${await targetMember(t, w)}`, { role: w.row.grant ?? 'worker' }),
  'members.remove': async (t, w) => send(t, w, 'DELETE', `/orgs/${w.org.slug}/members/${await targetMember(t, w)}`),
  'invitations.accept': async (t, w) => {
    const { token } = await t.core.invitations.create(w.founder.actor, w.org.id, { email: w.actor.user.email, role: 'worker' });
    return send(t, w, 'POST', '/invitations/accept', { token });
  },
  'projects.create': (t, w) => send(t, w, 'POST', `/orgs/${w.org.slug}/projects`, { name: 'New' }),
  'projects.read': (t, w) => send(t, w, 'GET', `/projects/${w.project.id}`),
  'projects.manage': (t, w) => send(t, w, 'PATCH', `/projects/${w.project.id}`, { name: 'Renamed' }),
  'groups.read': (t, w) => send(t, w, 'GET', '/groups'),
  'groups.manage': (t, w) => send(t, w, 'POST', '/groups', { name: unique('g') }),
  'roles.read': (t, w) => send(t, w, 'GET', '/roles'),
  'roles.manage': (t, w) => send(t, w, 'POST', '/roles', { name: unique('r') }),
};

/** Organization-scoped actions: outsiders must get 404, never 403. */
const orgScoped = new Set<Action>([
  'orgs.read',
  'orgs.update',
  'orgs.delete',
  'members.list',
  'members.add',
  'members.invite',
  'members.update',
  'members.remove',
  'projects.create',
  'projects.read',
  'projects.manage',
]);

describe('the policy table', () => {
  it('has rows for every policy action, and a probe for each', () => {
    const covered = new Set(policyTable.map((r) => r.action));
    const missing = policyActions.filter((a) => !covered.has(a));
    expect(missing, `actions without rows in test/policy/policy-table.ts: ${missing.join(', ')}`).toEqual([]);
    expect(Object.keys(probes).sort()).toEqual([...policyActions].sort());
  });

  it('has for every action at least one allow and one deny row', () => {
    for (const action of policyActions) {
      const expects = new Set(policyTable.filter((r) => r.action === action).map((r) => r.expect));
      if (action === 'users.list' || action === 'groups.read' || action === 'roles.read') continue; // open to every authenticated caller
      expect([...expects].sort(), action).toEqual(['allow', 'deny']);
    }
  });
});

describe.each(dialects)('the policy table through the HTTP API on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it(`runs all ${policyTable.length} rows`, async () => {
    const failures: string[] = [];
    for (const row of policyTable) {
      const world = await buildWorld(t, row);
      const answer = await probes[row.action](t, world);
      if (typeof answer === 'boolean') {
        if (!policyOnlyActions.includes(row.action)) failures.push(`${describeRow(row)}: decided by can() but not listed as policy-only`);
        if ((answer ? 'allow' : 'deny') !== row.expect) failures.push(`${describeRow(row)}: policy said ${answer ? 'allow' : 'deny'}`);
        continue;
      }
      const status = answer.statusCode;
      const got = status >= 200 && status < 300 ? 'allow' : status === 403 || status === 404 ? 'deny' : `unexpected ${status}`;
      if (got !== row.expect) {
        failures.push(`${describeRow(row)}: HTTP ${status} ${answer.body.slice(0, 160)}`);
        continue;
      }
      const outsider = row.standing === 'none' || row.standing === 'inactive';
      if (got === 'deny' && outsider && orgScoped.has(row.action) && status !== 404) {
        failures.push(`${describeRow(row)}: an outsider got ${status}, not 404`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
