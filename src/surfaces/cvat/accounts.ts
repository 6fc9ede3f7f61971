/**
 * Password credentials for CVAT, through the shared credentials service (throttled logins,
 * REGISTRATION): dj-rest-auth login → a new API key
 * (usable on every surface) and a browser session; registration → a new account in group `user` with its first key.
 */
import type { Core } from '../../core/index.ts';
import type { User } from '../../core/users/users.types.ts';

export const USER_GROUP = 'user';

/** The login; CREDENTIALS_INVALID, PASSWORD_EXPIRED and RATE_LIMITED propagate for the route to word. */
export async function loginKey(
  core: Core,
  login: string,
  password: string,
  context: { ip: string; userAgent?: string | undefined },
): Promise<{ key: string; session: { token: string; expiresAt: string } }> {
  const user = await core.credentials.loginWithPassword(login, password, { ip: context.ip });
  const key = (await core.apiKeys.mintTrusted(user, { name: 'cvat-login' })).secret;
  const { session, token } = await core.sessions.start(user, context);
  return { key, session: { token, expiresAt: session.expiresAt } };
}

export async function registerUser(
  core: Core,
  input: { username: string; email: string; password: string; firstName: string; lastName: string },
): Promise<{ user: User; key: string }> {
  const user = await core.credentials.register(input);
  await core.groups.addUser(user.id, USER_GROUP);
  return { user, key: (await core.apiKeys.mintTrusted(user, { name: 'cvat-login' })).secret };
}
