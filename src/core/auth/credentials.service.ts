/**
 * Password credentials, shared by every surface's login: verify a username-or-email and password
 * (throttled, one argon2 verify whether or not the account exists, transparent re-hash), change a
 * password, confirm one before a sensitive change, and self-registration under the REGISTRATION
 * setting. Surfaces turn the user this returns into their own credential: a native session, a
 * CVAT key (`core.apiKeys.mintTrusted`), a ZenML token.
 */
import { type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { authorize } from '../policy/policy.ts';
import type { InvitationRedeemer, Store } from '../ports.ts';
import { createUsersService, type UsersService } from '../users/users.service.ts';
import type { User } from '../users/users.types.ts';
import { normaliseEmail, validateUserInput } from '../users/users.validation.ts';
import { type Actor, isSiteAdmin } from './actor.ts';
import type { LoginThrottle } from './login-throttle.ts';
import {
  accountContextWords,
  checkPasswordStrength,
  hashPassword,
  needsRehash,
  passwordBounds,
  verifyPassword,
  warmUpPasswordHashing,
} from './passwords.ts';
import { type SessionsService, sessionIdOf } from './sessions.service.ts';

export type RegistrationMode = 'closed' | 'open' | 'invite';

export interface LoginContext {
  /** the client address, for per-address throttling */
  ip?: string | undefined;
  /**
   * Native login only: when the password has expired, set this one instead of refusing
   * (DESIGN §6). Other surfaces never pass it, so they answer PASSWORD_EXPIRED.
   */
  newPassword?: string | undefined;
  /** false for HTTP Basic, where every request carries the password: not a login to record */
  recordLogin?: boolean;
}

/** What a person may give when registering themselves; no privileged field can get in. */
export interface RegistrationInput {
  email: string;
  password: string;
  username?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  /** the invitation token, required when REGISTRATION=invite */
  invitation?: string | undefined;
}

export interface CredentialsDeps {
  store: Store;
  clock: Clock;
  users: UsersService;
  sessions: SessionsService;
  throttle: LoginThrottle;
  registration: RegistrationMode;
}

export type CredentialsService = ReturnType<typeof createCredentialsService>;

const invalid = () => new AppError('CREDENTIALS_INVALID', 'Invalid credentials');
const wrongCurrent = () => new AppError('FORBIDDEN', 'The current password is incorrect');

export function createCredentialsService({ store, clock, users, sessions, throttle, registration }: CredentialsDeps) {
  let redeemer: InvitationRedeemer | undefined;
  // The first unknown-account login must not cost an extra hash.
  void warmUpPasswordHashing();

  async function findAccount(login: string): Promise<User | undefined> {
    const l = login.trim();
    if (!l || l.length > 254) return undefined;
    // A username may contain `@` too, so an email-looking login falls back to the username.
    if (l.includes('@')) {
      const byEmail = await users.findByEmail(l);
      if (byEmail) return byEmail;
    }
    return users.findByUsername(l);
  }

  /** Exactly one argon2 verify, whether or not the account exists or has a password. */
  async function passwordMatches(user: User | undefined, password: string): Promise<boolean> {
    // The same query for an unknown account (id 0 matches no row): one fewer round trip was
    // ~0.5 ms, below the 5 ms bound but plain to a rank test over 500 trials.
    const stored = await store.users.passwordHash(user?.id ?? 0);
    // Longer than any password we accept: still one verify, so the answer time says nothing.
    const ok = await verifyPassword(stored, password.length > passwordBounds.max ? '' : password);
    if (ok && user && stored && needsRehash(stored)) {
      // Parameters changed since this hash was made: replace it while the plain text is at hand.
      await store.users.update(user.id, { passwordHash: await hashPassword(password) }).catch(() => undefined);
    }
    return ok && password.length <= passwordBounds.max;
  }

  /** Throttled check of a known user's password (re-authentication before a sensitive change). */
  async function confirmFor(user: User, password: string, ip: string | undefined): Promise<boolean> {
    const ticket = await throttle.begin({ subject: `user:${user.id}`, ip });
    if (!(await passwordMatches(user, password))) return false;
    await throttle.succeeded(ticket);
    return true;
  }

  async function setPassword(user: User, next: string, current: string, field: string): Promise<User> {
    checkPasswordStrength(next, field, accountContextWords(user));
    if (next === current) {
      throw new AppError('VALIDATION_FAILED', `${field}: must differ from the current password`, {
        issues: [{ field, kind: 'invalid', message: 'The new password must differ from the current one.' }],
      });
    }
    const updated = await store.users.update(user.id, {
      passwordHash: await hashPassword(next),
      passwordExpired: false,
      updatedAt: isoNow(clock),
      updatedBy: user.id,
    });
    if (!updated) throw invalid();
    return updated;
  }

  return {
    /**
     * The login every surface uses: username or email, and password → the user. Wrong password,
     * unknown account, no password and deactivated account all answer CREDENTIALS_INVALID after
     * one verify; too many failures answer RATE_LIMITED (with `retryAfter`) without a verify; an
     * expired password answers PASSWORD_EXPIRED unless `context.newPassword` replaces it.
     * Sets `last_login_at`.
     */
    async loginWithPassword(login: string, password: string, context: LoginContext = {}): Promise<User> {
      const user = await findAccount(login);
      const subject = user ? `user:${user.id}` : `login:${login.trim().toLowerCase()}`;
      const ticket = await throttle.begin({ subject, ip: context.ip });
      const ok = await passwordMatches(user, password);
      if (!ok || !user?.isActive) throw invalid();
      await throttle.succeeded(ticket);
      let current = user;
      if (user.passwordExpired) {
        if (context.newPassword === undefined) throw new AppError('PASSWORD_EXPIRED', 'Password expired');
        current = await setPassword(user, context.newPassword, password, 'new_password');
        // A forced change ends whatever sessions the old password had opened.
        await sessions.revokeAll(current);
      }
      if (context.recordLogin === false) return current;
      return (await store.users.update(current.id, { lastLoginAt: isoNow(clock) })) ?? current;
    },

    /**
     * Changes the caller's password: needs the current one (throttled like a login), clears
     * `password_expired`, and ends every other session (the caller's own session stays).
     */
    async changePassword(actor: Actor, currentPassword: string, newPassword: string, context: { ip?: string | undefined } = {}) {
      authorize(actor, 'users.update', { target: actor.user });
      if (!(await confirmFor(actor.user, currentPassword, context.ip))) throw wrongCurrent();
      const user = await setPassword(actor.user, newPassword, currentPassword, 'new_password');
      const ended = await sessions.revokeAll(user, sessionIdOf(actor));
      return { user, endedSessions: ended };
    },

    /** Throws FORBIDDEN unless `password` is the caller's current one (throttled). */
    async confirmPassword(actor: Actor, password: string, context: { ip?: string | undefined } = {}): Promise<void> {
      if (!(await confirmFor(actor.user, password, context.ip))) throw wrongCurrent();
    },

    /**
     * Roster's own rule (native API): changing one's own email needs the current password. An
     * account without a password cannot re-authenticate, so only a site admin may change theirs.
     * Other people's emails are policy's business (admins), not this rule's.
     */
    async assertEmailChangeAllowed(
      actor: Actor,
      target: User,
      newEmail: string | undefined,
      currentPassword: string | undefined,
      context: { ip?: string | undefined } = {},
    ): Promise<void> {
      if (newEmail === undefined || normaliseEmail(newEmail) === target.email) return;
      if (actor.user.id !== target.id) return;
      if (!target.hasPassword) {
        if (isSiteAdmin(actor)) return;
        throw new AppError('FORBIDDEN', 'This account has no password to confirm an email change; ask an administrator');
      }
      if (currentPassword === undefined) throw new AppError('FORBIDDEN', 'Changing your email needs your current password');
      if (!(await confirmFor(target, currentPassword, context.ip))) throw wrongCurrent();
    },

    /** The mode in force: `closed`, `open` or `invite`. */
    registrationMode: (): RegistrationMode => registration,

    /** The tenancy module plugs invitation-only registration in here. */
    useInvitationRedeemer(r: InvitationRedeemer): void {
      redeemer = r;
    },

    /**
     * Self-registration. `closed` refuses; `open` creates the user; `invite` creates the user and
     * redeems the invitation in one transaction (refused when no redeemer is installed).
     */
    async register(input: RegistrationInput): Promise<User> {
      if (registration === 'closed') throw new AppError('FORBIDDEN', 'Registration is closed');
      const inviteOnly = registration === 'invite';
      const invitation = input.invitation;
      if (inviteOnly && !invitation) throw new AppError('FORBIDDEN', 'Registration needs an invitation');
      if (inviteOnly && !redeemer) throw new AppError('FORBIDDEN', 'Invitations are not available on this server');
      const profile = {
        email: input.email,
        ...(input.username !== undefined ? { username: input.username } : {}),
        ...(input.firstName !== undefined ? { firstName: input.firstName } : {}),
        ...(input.lastName !== undefined ? { lastName: input.lastName } : {}),
      };
      // Every cheap check first, so a bad request costs no hash.
      validateUserInput(profile);
      checkPasswordStrength(input.password, 'password', accountContextWords(profile));
      const passwordHash = await hashPassword(input.password);
      if (!inviteOnly || !redeemer || !invitation) return users.createTrusted(profile, { passwordHash });
      const r = redeemer;
      return store.transaction(async (tx) => {
        const user = await createUsersService({ store: tx, clock }).createTrusted(profile, { passwordHash });
        const grant = await r.redeem(invitation, user.email, { user, store: tx });
        if (!grant) throw new AppError('FORBIDDEN', 'The invitation is invalid, expired or for another email');
        return user;
      });
    },
  };
}
