/**
 * ADAPTER for password credentials, the one place to switch when the shared credentials module
 * (throttled login, sessions, registration honouring REGISTRATION) lands on main:
 * - `passwordActor`: HTTP Basic (username or email + password) → an Actor for this request;
 * - `loginKey`: dj-rest-auth login → a new API key (usable on every surface);
 * - `registerUser`: a new account in group `user` with its first key.
 */
import { type Actor, allScopes } from '../../core/auth/actor.ts';
import type { AuthOutcome } from '../../core/auth/authenticate.ts';
import type { Core } from '../../core/index.ts';
import type { LoginOutcome } from '../../core/users/users.service.ts';
import type { CreateUserInput, User } from '../../core/users/users.types.ts';

export const USER_GROUP = 'user';

export function verifyPasswordLogin(core: Core, login: string, password: string): Promise<LoginOutcome> {
  return core.users.verifyLogin(login, password);
}

export async function passwordActor(core: Core, login: string, password: string): Promise<AuthOutcome> {
  const outcome = await verifyPasswordLogin(core, login, password);
  if (!outcome.ok) return { ok: false, reason: outcome.reason === 'inactive' ? 'inactive' : 'invalid' };
  const actor: Actor = {
    user: outcome.user,
    credential: { kind: 'session', id: `basic:${outcome.user.uuid}`, scopes: allScopes },
    groups: await core.groups.namesOfUser(outcome.user.id),
  };
  return { ok: true, actor };
}

export async function mintLoginKey(core: Core, user: User): Promise<string> {
  return (await core.apiKeys.mintTrusted(user, { name: 'cvat-login' })).secret;
}

export async function registerUser(core: Core, input: CreateUserInput): Promise<{ user: User; key: string }> {
  const user = await core.users.createTrusted(input);
  await core.groups.addUser(user.id, USER_GROUP);
  return { user, key: await mintLoginKey(core, user) };
}
