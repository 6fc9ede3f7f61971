/**
 * Value rules for user fields, shared by every surface (each surface adds only its own wire
 * constraints, e.g. ZenML's 50-character names). Returns normalised values or field issues.
 */
import { type FieldIssue, validationError } from '../errors.ts';
import type { UserInput } from './users.types.ts';

export const usernamePattern = /^[\w.@+-]+$/;
export const limits = {
  username: 150,
  email: 254,
  name: 150,
  displayName: 255,
  short: 50,
  text: 1024,
  url: 2048,
};

// Deliberately simple (WHATWG's "valid email" minus quoting): one @, no spaces, a dot-free host is
// allowed so `admin@localhost` works.
const emailPattern =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function isValidEmail(email: string): boolean {
  return email.length <= limits.email && emailPattern.test(email);
}

export function isValidUsername(username: string): boolean {
  return username.length >= 1 && username.length <= limits.username && usernamePattern.test(username);
}

function isValidDate(v: string): boolean {
  if (!datePattern.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** The display name Roster derives (DESIGN §6): "First Last" when names are set, else the email's local part. */
export function defaultDisplayName(firstName: string, lastName: string, email: string): string {
  const full = [firstName.trim(), lastName.trim()].filter(Boolean).join(' ');
  return full || (email.split('@')[0] ?? email);
}

/** Derives a username from an email local part: only allowed characters, at most 150. */
export function usernameFromEmail(email: string): string {
  const local = (email.split('@')[0] ?? '').replace(/[^\w.@+-]/g, '');
  return (local || 'user').slice(0, limits.username - 8);
}

const stringLimits: Partial<Record<keyof UserInput, number>> = {
  firstName: limits.name,
  middleName: limits.name,
  lastName: limits.name,
  displayName: limits.displayName,
  company: limits.short,
  jobTitle: limits.short,
  timezone: 64,
  language: 35,
  dateFormat: 64,
  timeFormat: 64,
  gender: 64,
  phone: 32,
  mobileNo: 32,
  avatarUrl: limits.url,
  signatureImage: limits.url,
  userType: 32,
};

const controlChars = /[\u0000-\u001f\u007f]/;

/**
 * Validates and normalises the fields present in `input`. Trims names, lower-cases email, turns
 * empty optional strings into null. Throws VALIDATION_FAILED listing every issue.
 */
export function validateUserInput(input: UserInput): UserInput {
  const issues: FieldIssue[] = [];
  const out: UserInput = { ...input };

  if (input.email !== undefined) {
    const email = normaliseEmail(input.email);
    if (!isValidEmail(email)) issues.push({ field: 'email', kind: 'format', message: 'Enter a valid email address.', input: input.email });
    out.email = email;
  }
  if (input.username !== undefined) {
    const username = input.username.trim();
    if (username.length > limits.username) {
      issues.push({
        field: 'username',
        kind: 'too_long',
        message: `Ensure this field has no more than ${limits.username} characters.`,
        ctx: { max_length: limits.username },
      });
    } else if (!isValidUsername(username)) {
      issues.push({
        field: 'username',
        kind: 'pattern',
        message: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
        input: input.username,
      });
    }
    out.username = username;
  }
  for (const [field, max] of Object.entries(stringLimits) as [keyof UserInput, number][]) {
    const value = input[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') {
      issues.push({ field, kind: 'type', message: 'Not a valid string.' });
      continue;
    }
    const trimmed = value.trim();
    if ([...trimmed].length > max) {
      issues.push({ field, kind: 'too_long', message: `Ensure this field has no more than ${max} characters.`, ctx: { max_length: max } });
    }
    if (controlChars.test(trimmed)) issues.push({ field, kind: 'invalid', message: 'Control characters are not allowed.' });
    (out as Record<string, unknown>)[field] = trimmed;
  }
  // Optional attributes: "" means unset (null); the name fields stay "" (DESIGN §3).
  for (const field of [
    'avatarUrl',
    'company',
    'jobTitle',
    'timezone',
    'language',
    'dateFormat',
    'timeFormat',
    'gender',
    'phone',
    'mobileNo',
    'signatureImage',
  ] as const) {
    if (out[field] === '') out[field] = null;
  }
  if (input.birthDate !== undefined && input.birthDate !== null) {
    if (!isValidDate(input.birthDate))
      issues.push({ field: 'birthDate', kind: 'format', message: 'Date has wrong format. Use YYYY-MM-DD.', input: input.birthDate });
  }
  if (input.userType !== undefined && !['System User', 'Website User'].includes(input.userType.trim())) {
    issues.push({ field: 'userType', kind: 'invalid', message: 'must be "System User" or "Website User"', input: input.userType });
  }
  if (input.metadata !== undefined && (input.metadata === null || typeof input.metadata !== 'object' || Array.isArray(input.metadata))) {
    issues.push({ field: 'metadata', kind: 'type', message: 'must be an object' });
  }
  if (issues.length > 0) throw validationError(issues);
  return out;
}
