/**
 * ZenML's `POST /auth/login`: a password login (`username` + `password`) or an API-key exchange
 * (`password` = the key, no username), answered with a short-lived bearer token.
 *
 * Until the shared login/session service lands, the token is a one-hour API key minted for the
 * principal (`issueAccessToken`); that function is the only place to change at merge.
 */
import type { Scope } from '../../core/auth/actor.ts';
import { addSeconds, isoNow } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Core } from '../../core/index.ts';
import type { User } from '../../core/users/users.types.ts';

export const ACCESS_TOKEN_TTL_SECONDS = 3600;

export interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: 'bearer';
  device_id: null;
  device_metadata: null;
}

/** The one place a verified principal becomes a ZenML access token (never broader than `scopes`). */
export async function issueAccessToken(core: Core, user: User, scopes?: readonly Scope[]): Promise<TokenResponse> {
  const expiresAt = addSeconds(isoNow(core.clock), ACCESS_TOKEN_TTL_SECONDS);
  const { secret } = await core.apiKeys.mintTrusted(user, { name: 'zenml-login', expiresAt, ...(scopes ? { scopes } : {}) });
  return { access_token: secret, expires_in: ACCESS_TOKEN_TTL_SECONDS, token_type: 'bearer', device_id: null, device_metadata: null };
}

const INVALID_LOGIN = 'Invalid username or password.';
const INVALID_KEY = 'Invalid API key.';

/** Throws 401 AppErrors; `Password expired` only once the password itself was right (DESIGN §6). */
export async function login(core: Core, form: { username?: string | undefined; password: string }): Promise<TokenResponse> {
  if (!form.username) {
    const outcome = await core.authenticate(form.password);
    if (!outcome.ok) throw new AppError('CREDENTIALS_INVALID', INVALID_KEY);
    return issueAccessToken(core, outcome.actor.user, outcome.actor.credential.scopes);
  }
  const outcome = await core.users.verifyLogin(form.username, form.password);
  if (outcome.ok) return issueAccessToken(core, outcome.user);
  if (outcome.reason === 'password_expired') throw new AppError('PASSWORD_EXPIRED', 'Password expired');
  throw new AppError('CREDENTIALS_INVALID', INVALID_LOGIN);
}
