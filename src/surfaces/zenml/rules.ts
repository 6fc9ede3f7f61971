/**
 * ZenML Pro's own business rules for account changes (seed 001, the Pro "User Accounts" guide,
 * DESIGN §6). They refuse what the product refuses whoever asks; who may ask at all is policy's
 * decision (`users.admin`, `users.update.privileged`), which these checks consult but do not replace.
 */
import type { Actor } from '../../core/auth/actor.ts';
import { AppError } from '../../core/errors.ts';
import { can } from '../../core/policy/policy.ts';
import type { User } from '../../core/users/users.types.ts';
import { normaliseEmail } from '../../core/users/users.validation.ts';
import type { UserUpdate } from './schemas.ts';

/** ZenML Pro's reserved bootstrap account; Roster's bootstrap admin has this username. */
export const RESERVED_ADMIN = 'admin';

export function isReservedAdmin(u: User): boolean {
  return u.username.toLowerCase() === RESERVED_ADMIN;
}

/**
 * ZenML's "internal users" are principals the platform runs for itself rather than accounts of an
 * organization. Roster's counterpart: a service account that belongs to no organization.
 */
export function isInternalUser(u: User): boolean {
  return u.isServiceAccount && u.serviceOrgId === null;
}

const forbidden = (message: string) => new AppError('FORBIDDEN', message);

/** `PATCH /users/me`: the product raises for internal users and service accounts. */
export function assertSelfServiceAllowed(target: User): void {
  if (isInternalUser(target)) throw forbidden('Internal users cannot update their account.');
  if (target.isServiceAccount) throw forbidden('Service accounts cannot update their account.');
}

/**
 * The rules every update of `target` by `actor` obeys (self-service and administration alike),
 * checked before anything is written. `update` is the validated ZenML body.
 */
export function assertUpdateAllowed(actor: Actor, target: User, update: UserUpdate): void {
  const self = actor.user.id === target.id;
  const usernameChanges = update.username != null && update.username !== target.username;
  const emailChanges = update.email != null && normaliseEmail(update.email) !== target.email;

  if (self && update.password_expired != null) throw forbidden('You cannot change the password_expired flag of your own account.');
  if ((update.is_active != null || update.is_superuser != null) && !can(actor, 'users.update.privileged', { target }).allow) {
    throw forbidden('Only superusers can change is_active or is_superuser.');
  }
  if (target.oauthProvider !== null) {
    if (usernameChanges)
      throw forbidden('The username of an OAuth2 user account cannot be changed: it is the email address of the identity provider.');
    if (emailChanges)
      throw forbidden('The email address of an OAuth2 user account cannot be changed: it comes from the identity provider.');
    if (update.password != null) throw forbidden('OAuth2 user accounts have no password: they log in through their identity provider.');
  }
  if (isReservedAdmin(target)) {
    if (usernameChanges) throw forbidden('The admin account cannot be renamed.');
    if (update.is_active === false) throw forbidden('The admin account cannot be deactivated.');
    if (update.is_superuser === false) throw forbidden('The admin account cannot lose its superuser status.');
  } else if (update.username != null && update.username.toLowerCase() === RESERVED_ADMIN) {
    // The reserved name is always taken (DESIGN §6: a taken username, `admin` included, is 409).
    throw new AppError('USERNAME_TAKEN', "The username 'admin' is reserved.");
  }
}

/** `DELETE /users/{user_id}`: the reserved admin stays, and nobody deletes their own account here. */
export function assertDeleteAllowed(actor: Actor, target: User): void {
  if (isReservedAdmin(target)) throw forbidden('The admin account cannot be deleted.');
  if (actor.user.id === target.id) throw forbidden('You cannot delete your own account.');
}
