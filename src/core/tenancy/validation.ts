/** Input rules for tenancy entities: slugs, names, roles, emails. Errors name the field. */
import { AppError } from '../errors.ts';
import { isValidEmail } from '../users/users.validation.ts';
import { isOrgRole, isProjectRole } from './roles.ts';
import type { OrgRole, ProjectRole } from './types.ts';
import { orgRoles, projectRoles } from './types.ts';

const invalid = (field: string, kind: string, message: string, input?: unknown): AppError =>
  new AppError('VALIDATION_FAILED', `${field}: ${message}`, { issues: [{ field, kind, message, input }] });

/**
 * Letters, digits, `-` and `_`, starting with a letter or digit, at most 48 characters, and not
 * all digits, so an id and a slug never look alike.
 */
export const slugPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/;

export function checkSlug(value: unknown, field = 'slug'): string {
  if (typeof value !== 'string' || value.length === 0) throw invalid(field, 'required', 'This field is required.', value);
  if (value.length > 48) throw invalid(field, 'too_long', 'must be at most 48 characters', value);
  if (!slugPattern.test(value))
    throw invalid(field, 'pattern', 'may contain only letters, digits, "-" and "_", and must start with a letter or digit', value);
  if (/^\d+$/.test(value)) throw invalid(field, 'pattern', 'must not be only digits', value);
  return value;
}

/** A display name: trimmed, 1..max characters, no control characters. */
export function checkName(value: unknown, field = 'name', max = 150): string {
  if (typeof value !== 'string') throw invalid(field, 'required', 'This field is required.', value);
  const v = value.trim();
  if (v.length === 0) throw invalid(field, 'required', 'This field may not be blank.', value);
  if ([...v].length > max) throw invalid(field, 'too_long', `must be at most ${max} characters`, value);
  if (/[\u0000-\u001f\u007f]/.test(v)) throw invalid(field, 'pattern', 'must not contain control characters', value);
  return v;
}

/** Group and role names: like usernames (`^[\w.@+-]+$`), at most 150 characters; no commas or spaces. */
export const groupNamePattern = /^[\w.@+-]{1,150}$/;

export function checkGroupName(value: unknown, field = 'name'): string {
  if (typeof value !== 'string' || !groupNamePattern.test(value)) {
    throw invalid(field, 'pattern', 'must be 1 to 150 letters, digits or @.+-_', value);
  }
  return value;
}

/** Site role names may contain spaces ("Test Lead"). */
export function checkRoleName(value: unknown, field = 'name'): string {
  return checkName(value, field, 100);
}

export function checkOrgRole(value: unknown, field = 'role'): OrgRole {
  if (!isOrgRole(value)) throw invalid(field, 'invalid', `must be one of ${orgRoles.join(', ')}`, value);
  return value;
}

export function checkProjectRole(value: unknown, field = 'role'): ProjectRole {
  if (!isProjectRole(value)) throw invalid(field, 'invalid', `must be one of ${projectRoles.join(', ')}`, value);
  return value;
}

export function checkEmail(value: unknown, field = 'email'): string {
  if (typeof value !== 'string') throw invalid(field, 'required', 'This field is required.', value);
  const v = value.trim().toLowerCase();
  if (!isValidEmail(v)) throw invalid(field, 'format', 'Enter a valid email address.', value);
  return v;
}
