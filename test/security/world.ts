/**
 * The seeded world the security suite attacks: two organizations and one principal per
 * credential kind (anonymous, user, org member, maintainer, owner, site admin, service account,
 * revoked key), plus canary secrets created through core so they really exist — passwords, API
 * key secrets, session tokens, invitation tokens — that no response or log line may ever show.
 */
import { randomBytes } from 'node:crypto';
import type { Organization, Project } from '../../src/core/tenancy/types.ts';
import type { User } from '../../src/core/users/users.types.ts';
import type { TestApp } from '../helpers/app.ts';
import { actorFor, type Principal, uniqueSlug } from '../tenancy/helpers.ts';
import type { Credential, RealValues } from './generator.ts';

export type CredentialKind = 'anonymous' | 'user' | 'member' | 'maintainer' | 'owner' | 'siteAdmin' | 'serviceAccount' | 'revoked';

export const credentialKinds: readonly CredentialKind[] = [
  'anonymous',
  'user',
  'member',
  'maintainer',
  'owner',
  'siteAdmin',
  'serviceAccount',
  'revoked',
];

export interface SecurityWorld {
  orgA: Organization;
  orgB: Organization;
  projectA: Project;
  projectB: Project;
  principals: Record<Exclude<CredentialKind, 'anonymous'>, Principal>;
  /** a member of organization B only */
  outsider: Principal;
  credentials: Credential[];
  /** every secret that must never appear in a response body or a log line */
  canaries: string[];
  /** the secrets the requests themselves carry: they must not show up in logs either */
  usedSecrets: string[];
  real: RealValues;
  /** plain passwords of principals, by username (login tests) */
  passwords: Map<string, string>;
}

/** Limits high enough that the generator exercises routes, not the rate limiter. */
export const unthrottled: Record<string, string> = {
  RATE_LIMIT_PER_MINUTE: '1000000',
  PLANE_RATE_LIMIT_PER_MINUTE: '1000000',
  REGISTER_RATE_LIMIT_PER_HOUR: '1000000',
  LOGIN_MAX_FAILURES: '1000',
  REGISTRATION: 'open',
};

const canary = (kind: string) => `CANARY-${kind}-${randomBytes(12).toString('hex')}`;

let seq = 0;
const uniqueName = (p: string) => `${p}${process.pid}x${++seq}x${Math.floor(Math.random() * 1e6)}`;

async function person(
  t: TestApp,
  passwords: Map<string, string>,
  input: Parameters<TestApp['newUser']>[0] = {},
  opts: Parameters<TestApp['newUser']>[1] = {},
): Promise<Principal> {
  const username = uniqueName('sec');
  const password = canary('pw');
  const { user, key } = await t.newUser({ username, email: `${username}@example.com`, password, ...input }, opts);
  passwords.set(user.username, password);
  return { user, key, actor: await actorFor(t, key) };
}

export async function seedWorld(t: TestApp): Promise<SecurityWorld> {
  const passwords = new Map<string, string>();
  const owner = await person(t, passwords);
  const orgA = await t.core.orgs.create(owner.actor, { slug: uniqueSlug('seca'), name: 'Security A' });
  const outsider = await person(t, passwords);
  const orgB = await t.core.orgs.create(outsider.actor, { slug: uniqueSlug('secb'), name: 'Security B' });
  const projectA = await t.core.projects.create(owner.actor, orgA.id, { name: 'Project A' });
  const projectB = await t.core.projects.create(outsider.actor, orgB.id, { name: 'Project B' });

  const user = await person(t, passwords);
  const member = await person(t, passwords);
  await t.core.memberships.addTrusted({ orgId: orgA.id, userId: member.user.id, role: 'worker' });
  await t.core.projects.addMember(owner.actor, projectA.id, member.user.id, 'member');
  const maintainer = await person(t, passwords);
  await t.core.memberships.addTrusted({ orgId: orgA.id, userId: maintainer.user.id, role: 'maintainer' });
  const siteAdmin = await person(t, passwords, { isSuperuser: true, isStaff: true });
  const serviceAccount = await person(t, passwords, {}, { isServiceAccount: true, serviceOrgId: orgA.id });
  await t.core.memberships.addTrusted({ orgId: orgA.id, userId: serviceAccount.user.id, role: 'worker' });
  const revoked = await person(t, passwords);
  await t.core.memberships.addTrusted({ orgId: orgA.id, userId: revoked.user.id, role: 'worker' });
  const revokedKey = await t.core.apiKeys.mintTrusted(revoked.user);
  await t.core.apiKeys.revoke(revoked.actor, revoked.user, revokedKey.key.uuid);

  const principals = { user, member, maintainer, owner, siteAdmin, serviceAccount, revoked: { ...revoked, key: revokedKey.secret } };

  // Canaries: secrets that exist in the store but are never sent by any request.
  const canaries: string[] = [...passwords.values()];
  const people: User[] = [owner.user, outsider.user, user.user, member.user, maintainer.user, siteAdmin.user, serviceAccount.user];
  for (const u of people) {
    canaries.push((await t.core.apiKeys.mintTrusted(u, { name: 'canary' })).secret);
    canaries.push((await t.core.sessions.start(u)).token);
  }
  canaries.push((await t.core.invitations.create(owner.actor, orgA.id, { email: 'invitee-a@example.com', role: 'worker' })).token);
  canaries.push((await t.core.invitations.create(outsider.actor, orgB.id, { email: 'invitee-b@example.com', role: 'maintainer' })).token);
  canaries.push(
    (await t.core.invitations.create(owner.actor, orgA.id, { email: member.user.email.replace('@', '+x@'), role: 'worker' })).token,
  );

  const credentials: Credential[] = [
    { kind: 'anonymous' },
    { kind: 'anonymous-basic', login: { username: member.user.username, password: 'wrong-password-for-basic' } },
    ...Object.entries(principals).map(([kind, p]) => ({ kind, secret: p.key })),
  ];
  const usedSecrets = Object.values(principals).map((p) => p.key);

  const users = [...people, revoked.user];
  const keys = await t.core.apiKeys.list(owner.actor, owner.user);
  const sessions = await t.core.sessions.list(member.actor);
  const invitations = await t.core.invitations.list(owner.actor, orgA.id);
  const ids = users.flatMap((u) => [String(u.id), u.uuid, u.ref]);
  const real: RealValues = {
    '*': [...ids, orgA.slug, String(projectA.id), '999999', '0'],
    id: [...ids, String(projectA.id), String(projectB.id)],
    user_id: ids,
    userId: users.map((u) => String(u.id)),
    org: [orgA.slug, orgB.slug, 'nope-org'],
    slug: [orgA.slug, orgB.slug],
    project_id: [String(projectA.id), String(projectB.id), projectA.uuid],
    key_id: keys.map((k) => k.uuid),
    session_id: sessions.map((s) => s.uuid),
    invitationId: invitations.map((i) => i.uuid),
    email: users.map((u) => u.email),
    username: users.map((u) => u.username),
  };
  return { orgA, orgB, projectA, projectB, principals, outsider, credentials, canaries, usedSecrets, real, passwords };
}

/** Which secrets (and password hashes) a text shows. */
export function canaryHits(text: string, secrets: readonly string[]): string[] {
  const hits = secrets.filter((s) => text.includes(s));
  if (text.includes('$argon2')) hits.push('$argon2');
  return hits;
}
