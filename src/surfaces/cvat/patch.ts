/**
 * `PATCH /api/users/{id}` body rules (DESIGN §6): a non-admin may change their own `first_name`,
 * `last_name` and `email`; `username`, `is_staff`, `is_superuser`, `is_active` and `groups` need
 * an admin. Any other key → 403 "Attempted to update an unknown field". Field checks give DRF's
 * messages; the permission checks come first, as CVAT's permission class runs before the serializer.
 */
import type { Actor } from '../../core/auth/actor.ts';
import type { Action } from '../../core/policy/policy.ts';
import { can } from '../../core/policy/policy.ts';
import type { User, UserInput } from '../../core/users/users.types.ts';
import { isValidEmail, isValidUsername, limits } from '../../core/users/users.validation.ts';
import { CvatDetailError, CvatValidationError, cvatMessages } from './errors.ts';

/** wire field → the policy action it needs */
const fieldActions: Record<string, Action> = {
  first_name: 'users.update',
  last_name: 'users.update',
  email: 'users.update',
  username: 'users.update.username',
  is_staff: 'users.update.privileged',
  is_superuser: 'users.update.privileged',
  is_active: 'users.update.privileged',
  groups: 'groups.manage',
};

export interface CvatPatch {
  input: UserInput;
  groups?: string[];
}

/** Throws 403 for unknown or forbidden fields. */
export function authorizePatch(actor: Actor, target: User, body: Record<string, unknown>): void {
  for (const key of Object.keys(body)) {
    if (!Object.hasOwn(fieldActions, key)) throw new CvatDetailError(403, cvatMessages.unknownField);
  }
  for (const key of Object.keys(body)) {
    const action = fieldActions[key] as Action;
    // Every field also needs the ordinary update right on the target (self or admin).
    if (!can(actor, 'users.update', { target }).allow || !can(actor, action, { target }).allow) {
      throw new CvatDetailError(403, cvatMessages.forbidden);
    }
  }
}

function text(errors: Record<string, string[]>, key: string, v: unknown, max: number, allowBlank: boolean): string | undefined {
  if (v === null) errors[key] = ['This field may not be null.'];
  else if (typeof v !== 'string' && typeof v !== 'number') errors[key] = ['Not a valid string.'];
  else {
    const s = String(v).trim();
    if (!allowBlank && s === '') errors[key] = ['This field may not be blank.'];
    else if (s.length > max) errors[key] = [`Ensure this field has no more than ${max} characters.`];
    else return s;
  }
  return undefined;
}

function bool(errors: Record<string, string[]>, key: string, v: unknown): boolean | undefined {
  if (v === true || v === 'true' || v === 'True' || v === 1 || v === '1') return true;
  if (v === false || v === 'false' || v === 'False' || v === 0 || v === '0') return false;
  errors[key] = [v === null ? 'This field may not be null.' : 'Must be a valid boolean.'];
  return undefined;
}

/** DRF's field validation; throws 400 with every field's errors at once. */
export function validatePatch(body: Record<string, unknown>, knownGroups: ReadonlySet<string>): CvatPatch {
  const errors: Record<string, string[]> = {};
  const input: UserInput = {};
  const out: CvatPatch = { input };
  if ('username' in body) {
    const v = text(errors, 'username', body.username, limits.username, false);
    if (v !== undefined && !isValidUsername(v)) {
      errors.username = ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'];
    } else if (v !== undefined) input.username = v;
  }
  if ('first_name' in body) {
    const v = text(errors, 'first_name', body.first_name, limits.name, true);
    if (v !== undefined) input.firstName = v;
  }
  if ('last_name' in body) {
    const v = text(errors, 'last_name', body.last_name, limits.name, true);
    if (v !== undefined) input.lastName = v;
  }
  if ('email' in body) {
    const v = text(errors, 'email', body.email, limits.email, false);
    if (v !== undefined && !isValidEmail(v)) errors.email = ['Enter a valid email address.'];
    else if (v !== undefined) input.email = v;
  }
  for (const [key, field] of [
    ['is_staff', 'isStaff'],
    ['is_superuser', 'isSuperuser'],
    ['is_active', 'isActive'],
  ] as const) {
    if (key in body) {
      const v = bool(errors, key, body[key]);
      if (v !== undefined) input[field] = v;
    }
  }
  if ('groups' in body) {
    const g = body.groups;
    if (!Array.isArray(g))
      errors.groups = [`Expected a list of items but got type "${g === null ? 'NoneType' : typeof g === 'string' ? 'str' : typeof g}".`];
    else {
      const missing = g.find((n) => typeof n !== 'string' || !knownGroups.has(n));
      if (missing !== undefined) errors.groups = [`Object with name=${String(missing)} does not exist.`];
      else out.groups = [...new Set(g as string[])];
    }
  }
  if (Object.keys(errors).length > 0) throw new CvatValidationError(errors);
  return out;
}
