/**
 * The world an authorization cell runs in, and how a cell's ownership becomes concrete path
 * values: `own` (the caller's own object, or its organization's), `same` (someone else's object in
 * the caller's organization A), `other` (an object of organization B, where the caller is not),
 * `missing` (no such object). Targets are created fresh per cell, so a cell that deletes or
 * changes something never disturbs the next. Passwords are left out: no argon2 in setup.
 */
import { randomUUID } from 'node:crypto';
import type { Organization, Project } from '../../src/core/tenancy/types.ts';
import type { User } from '../../src/core/users/users.types.ts';
import type { TestApp } from '../helpers/app.ts';
import { actorFor, type Principal, principal, uniqueSlug } from '../tenancy/helpers.ts';
import type { CredentialKind } from './world.ts';

export type Ownership = 'own' | 'same' | 'other' | 'missing';

/** What a route's path parameters address, and so which ownerships apply. */
export type TargetKind =
  | 'none'
  | 'user:id'
  | 'user:uuid'
  | 'user:ref'
  | 'org'
  | 'project'
  | 'project:uuid'
  | 'member'
  | 'projectMember'
  | 'ownKey'
  | 'userKey'
  | 'session'
  | 'invitation'
  | 'group'
  | 'serviceAccount'
  | 'serviceAccountKey'
  | 'oauthClient';

export const ownershipsOf: Record<TargetKind, Ownership[]> = {
  none: [],
  'user:id': ['own', 'same', 'other', 'missing'],
  'user:uuid': ['own', 'same', 'other', 'missing'],
  'user:ref': ['own', 'same', 'other', 'missing'],
  org: ['own', 'other', 'missing'],
  project: ['own', 'other', 'missing'],
  'project:uuid': ['own', 'other', 'missing'],
  member: ['own', 'same', 'other', 'missing'],
  projectMember: ['own', 'same', 'other', 'missing'],
  ownKey: ['own', 'other', 'missing'],
  userKey: ['own', 'same', 'other', 'missing'],
  session: ['own', 'other', 'missing'],
  invitation: ['own', 'other', 'missing'],
  group: ['own', 'missing'],
  serviceAccount: ['own', 'other', 'missing'],
  serviceAccountKey: ['own', 'other', 'missing'],
  oauthClient: ['own', 'other', 'missing'],
};

export interface AuthzWorld {
  orgA: Organization;
  orgB: Organization;
  projectA: Project;
  projectB: Project;
  ownerB: Principal;
  /** the caller; undefined for anonymous */
  actor?: Principal;
  /** the header value(s) the caller sends */
  secret?: string;
}

let seq = 0;
export const unique = (p: string) => `${p}${process.pid}x${++seq}x${Math.floor(Math.random() * 1e6)}`;

export async function authzWorld(t: TestApp, kind: CredentialKind): Promise<AuthzWorld> {
  const ownerA = await principal(t);
  const orgA = await t.core.orgs.create(ownerA.actor, { slug: uniqueSlug('aza'), name: 'A' });
  const ownerB = await principal(t);
  const orgB = await t.core.orgs.create(ownerB.actor, { slug: uniqueSlug('azb'), name: 'B' });
  const projectA = await t.core.projects.create(ownerA.actor, orgA.id, { name: 'PA' });
  const projectB = await t.core.projects.create(ownerB.actor, orgB.id, { name: 'PB' });
  const base = { orgA, orgB, projectA, projectB, ownerB };
  const inA = async (role: 'worker' | 'maintainer', opts: Parameters<TestApp['newUser']>[1] = {}) => {
    const p = await principal(t, {}, opts);
    await t.core.memberships.addTrusted({ orgId: orgA.id, userId: p.user.id, role });
    return p;
  };
  switch (kind) {
    case 'anonymous':
      return base;
    case 'user': {
      const p = await principal(t);
      return { ...base, actor: p, secret: p.key };
    }
    case 'member': {
      const p = await inA('worker');
      await t.core.projects.addMember(ownerA.actor, projectA.id, p.user.id, 'member');
      return { ...base, actor: p, secret: p.key };
    }
    case 'maintainer': {
      const p = await inA('maintainer');
      return { ...base, actor: p, secret: p.key };
    }
    case 'owner':
      return { ...base, actor: ownerA, secret: ownerA.key };
    case 'siteAdmin': {
      const p = await principal(t, { isSuperuser: true, isStaff: true });
      return { ...base, actor: p, secret: p.key };
    }
    case 'serviceAccount': {
      const p = await inA('worker', { isServiceAccount: true, serviceOrgId: orgA.id });
      return { ...base, actor: p, secret: p.key };
    }
    case 'revoked': {
      const p = await inA('worker');
      const extra = await t.core.apiKeys.mintTrusted(p.user);
      await t.core.apiKeys.revoke(p.actor, p.user, extra.key.uuid);
      return { ...base, actor: { ...p, key: extra.secret }, secret: extra.secret };
    }
  }
}

/** A fresh user in an organization (or in none). */
async function freshUser(t: TestApp, org?: Organization): Promise<User> {
  const { user } = await t.newUser();
  if (org) await t.core.memberships.addTrusted({ orgId: org.id, userId: user.id, role: 'worker' });
  return user;
}

const MISSING_ID = 99_999_999;
const MISSING_SLUG = 'no-such-org-zz';

/** The path parameter values of one cell, by parameter name. */
export async function cellParams(
  t: TestApp,
  w: AuthzWorld,
  target: TargetKind,
  own: Ownership | undefined,
): Promise<Record<string, string>> {
  const self = w.actor?.user;
  const userOf = async (): Promise<User | undefined> => {
    if (own === 'own') return self ?? (await freshUser(t, w.orgA));
    if (own === 'same') return freshUser(t, w.orgA);
    if (own === 'other') return freshUser(t, w.orgB);
    return undefined;
  };
  switch (target) {
    case 'none':
      return {};
    case 'user:id':
    case 'user:uuid':
    case 'user:ref': {
      const u = await userOf();
      const v =
        target === 'user:id'
          ? u
            ? String(u.id)
            : String(MISSING_ID)
          : target === 'user:uuid'
            ? (u?.uuid ?? randomUUID())
            : (u?.ref ?? 'user_doesnotexist00');
      return { id: v, user_id: v };
    }
    case 'org': {
      const slug = own === 'own' ? w.orgA.slug : own === 'other' ? w.orgB.slug : MISSING_SLUG;
      return { org: slug, slug };
    }
    case 'project':
    case 'project:uuid': {
      const p = own === 'own' ? w.projectA : own === 'other' ? w.projectB : undefined;
      const slug = own === 'other' ? w.orgB.slug : w.orgA.slug;
      const id = target === 'project:uuid' ? (p?.uuid ?? randomUUID()) : p ? String(p.id) : String(MISSING_ID);
      return { id, project_id: id, slug };
    }
    case 'member': {
      // Nested objects: `missing` is a missing parent, what a foreign parent must look like.
      if (own === 'missing') return { org: MISSING_SLUG, userId: String(MISSING_ID) };
      const org = own === 'other' ? w.orgB : w.orgA;
      const u = await userOf();
      return { org: org.slug, userId: u ? String(u.id) : String(MISSING_ID) };
    }
    case 'projectMember': {
      if (own === 'missing') return { id: String(MISSING_ID), userId: String(MISSING_ID) };
      const project = own === 'other' ? w.projectB : w.projectA;
      const u = await userOf();
      if (u && own !== 'own')
        await t.core.projects.addMember(own === 'other' ? w.ownerB.actor : await ownerActorOf(t, w.orgA), project.id, u.id, 'member');
      return { id: String(project.id), userId: u ? String(u.id) : String(MISSING_ID) };
    }
    case 'ownKey': {
      if (own === 'missing') return { key_id: randomUUID() };
      const owner = own === 'own' && self ? self : await freshUser(t, w.orgA);
      return { key_id: (await t.core.apiKeys.mintTrusted(owner, { name: 'cell' })).key.uuid };
    }
    case 'userKey': {
      if (own === 'missing') return { id: String(MISSING_ID), key_id: randomUUID() };
      const u = (await userOf()) as User;
      return { id: String(u.id), key_id: (await t.core.apiKeys.mintTrusted(u, { name: 'cell' })).key.uuid };
    }
    case 'session': {
      if (own === 'missing') return { session_id: randomUUID() };
      const u = own === 'own' && self ? self : await freshUser(t, w.orgA);
      return { session_id: (await t.core.sessions.start(u)).session.uuid };
    }
    case 'invitation': {
      if (own === 'missing') return { org: MISSING_SLUG, invitationId: randomUUID() };
      const org = own === 'other' ? w.orgB : w.orgA;
      const inviter = own === 'other' ? w.ownerB.actor : await ownerActorOf(t, w.orgA);
      const { invitation } = await t.core.invitations.create(inviter, org.id, { email: `${unique('inv')}@example.com`, role: 'worker' });
      return { org: org.slug, invitationId: invitation.uuid };
    }
    case 'group': {
      if (own === 'missing') return { id: String(MISSING_ID) };
      return { id: String((await t.core.groups.ensure(unique('grp'))).id) };
    }
    // Service accounts and OAuth clients: `own` is organization A's, `other` organization B's.
    case 'serviceAccount':
    case 'serviceAccountKey':
    case 'oauthClient': {
      if (own === 'missing') return { id: randomUUID(), key_id: randomUUID() };
      const org = own === 'other' ? w.orgB : w.orgA;
      const owner = own === 'other' ? w.ownerB.actor : await ownerActorOf(t, w.orgA);
      if (target === 'oauthClient') {
        const { client } = await t.core.oauthClients.createApp(owner, org, { name: 'cell', redirectUris: ['https://app.example/cb'] });
        return { id: client.uuid };
      }
      const account = await t.core.serviceAccounts.create(owner, org, { username: unique('sa') });
      if (target === 'serviceAccount') return { id: account.uuid };
      const { key } = await t.core.serviceAccounts.createKey(owner, account.uuid, { name: 'cell' });
      return { id: account.uuid, key_id: key.uuid };
    }
  }
}

async function ownerActorOf(t: TestApp, org: Organization) {
  const members = await t.core.memberships.listByOrg(org.id);
  const owner = members.find((m) => m.membership.role === 'owner');
  if (!owner) throw new Error('organization without owner');
  const { secret } = await t.core.apiKeys.mintTrusted(owner.user);
  return actorFor(t, secret);
}

/** Fills a body template: `$orgA` → organization A's slug, `$unique` → a fresh name, `$email` → a fresh address, `$freshUserId` → a new user's id, `$freshMemberA` → a new member of A. */
export async function fillBody(t: TestApp, w: AuthzWorld, body: unknown): Promise<unknown> {
  if (typeof body === 'string') {
    if (body === '$freshUserId') return (await freshUser(t)).id;
    if (body === '$freshMemberA') return (await freshUser(t, w.orgA)).id;
    if (body === '$invitationToken') {
      if (!w.actor) return 'rsi_nothing';
      try {
        return (await t.core.invitations.create(await ownerActorOf(t, w.orgA), w.orgA.id, { email: w.actor.user.email, role: 'worker' }))
          .token;
      } catch {
        return 'rsi_nothing';
      }
    }
    if (body === '$orgA') return w.orgA.slug;
    return body
      .replace(/\$orgA/g, w.orgA.slug)
      .replace(/\$unique/g, () => unique('u'))
      .replace(/\$email/g, () => `${unique('e')}@example.com`);
  }
  if (Array.isArray(body)) return Promise.all(body.map((b) => fillBody(t, w, b)));
  if (body && typeof body === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(body)) out[k] = await fillBody(t, w, v);
    return out;
  }
  return body;
}
