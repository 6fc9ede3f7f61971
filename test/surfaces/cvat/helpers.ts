import type { LightMyRequestResponse } from 'fastify';
import { type Actor, allScopes } from '../../../src/core/auth/actor.ts';
import type { OrgRole } from '../../../src/core/tenancy/types.ts';
import type { User } from '../../../src/core/users/users.types.ts';
import type { TestApp } from '../../helpers/app.ts';

export const token = (key: string) => ({ authorization: `Token ${key}` });
export const basic = (login: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`,
});
// biome-ignore lint/suspicious/noExplicitAny: response bodies are objects or arrays; tests index them freely
export const json = (r: LightMyRequestResponse) => r.json() as any;

export const BASIC_KEYS = ['url', 'id', 'username', 'first_name', 'last_name'];
export const FULL_KEYS = [
  ...BASIC_KEYS,
  'email',
  'groups',
  'is_staff',
  'is_superuser',
  'is_active',
  'last_login',
  'date_joined',
  'has_analytics_access',
];
export const FORBIDDEN = { detail: 'You do not have permission to perform this action.' };

const actorOf = (user: User): Actor => ({ user, credential: { kind: 'api_key', id: 'test', scopes: allScopes }, groups: [] });

let n = 0;
/** An organization owned by `owner`, with the given further members. */
export async function newOrg(t: TestApp, owner: User, members: [User, OrgRole, boolean?][] = []) {
  n += 1;
  const org = await t.core.orgs.create(actorOf(owner), { slug: `org${process.pid}x${n}${Math.floor(Math.random() * 1e5)}`, name: 'Org' });
  for (const [user, role, active] of members) {
    await t.core.memberships.addTrusted({ orgId: org.id, userId: user.id, role });
    if (active === false) await t.core.memberships.setActive(actorOf(owner), org.id, user.id, false);
  }
  return org;
}
