/**
 * Password credentials for CVAT, through the shared credentials service (throttled logins,
 * REGISTRATION): HTTP Basic → an Actor for one request; dj-rest-auth login → a new API key
 * (usable on every surface); registration → a new account in group `user` with its first key.
 */
import { type Actor, allScopes } from '../../core/auth/actor.ts';
import type { AuthOutcome } from '../../core/auth/authenticate.ts';
import { AppError } from '../../core/errors.ts';
import type { Core } from '../../core/index.ts';
import type { User } from '../../core/users/users.types.ts';

export const USER_GROUP = 'user';

/** HTTP Basic: every request carries the password, so it is not recorded as a login. */
export async function passwordActor(core: Core, login: string, password: string, ip: string): Promise<AuthOutcome> {
  try {
    const user = await core.credentials.loginWithPassword(login, password, { ip, recordLogin: false });
    const actor: Actor = {
      user,
      credential: { kind: 'session', id: `basic:${user.uuid}`, scopes: allScopes },
      groups: await core.groups.namesOfUser(user.id),
    };
    return { ok: true, actor };
  } catch (err) {
    if (err instanceof AppError && (err.code === 'CREDENTIALS_INVALID' || err.code === 'PASSWORD_EXPIRED'))
      return { ok: false, reason: 'invalid' };
    throw err;
  }
}

/** The login; CREDENTIALS_INVALID, PASSWORD_EXPIRED and RATE_LIMITED propagate for the route to word. */
export async function loginKey(core: Core, login: string, password: string, ip: string): Promise<string> {
  const user = await core.credentials.loginWithPassword(login, password, { ip });
  return (await core.apiKeys.mintTrusted(user, { name: 'cvat-login' })).secret;
}

export async function registerUser(
  core: Core,
  input: { username: string; email: string; password: string; firstName: string; lastName: string },
): Promise<{ user: User; key: string }> {
  const user = await core.credentials.register(input);
  await core.groups.addUser(user.id, USER_GROUP);
  return { user, key: (await core.apiKeys.mintTrusted(user, { name: 'cvat-login' })).secret };
}
