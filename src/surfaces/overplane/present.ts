/** Core ↔ Overplane wire: the user object and the body parameters. */
import type { User, UserInput } from '../../core/users/users.types.ts';
import type { CreateUserBody, OverplaneUser, PatchUserBody } from './schemas.ts';

/** `2024-01-15T09:30:00.000Z` → `2024-01-15T09:30:00Z` (seconds, UTC, no spaces). */
export function isoSeconds(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s);

/**
 * Frappe joins first and last name; Overplane documents a middle name too, so it sits between
 * them: the non-empty parts joined by single spaces ("Ada King Lovelace"); null with no names.
 */
export function fullName(u: Pick<User, 'firstName' | 'middleName' | 'lastName'>): string | null {
  const parts = [u.firstName, u.middleName, u.lastName].map((p) => p.trim()).filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : null;
}

export function presentUser(u: User, apiKeyPrefix: string | null): OverplaneUser {
  return {
    id: u.ref,
    created_at: isoSeconds(u.createdAt),
    updated_at: isoSeconds(u.updatedAt ?? u.createdAt),
    email: u.email,
    // required by the seed, so a string ("" for users made elsewhere without one)
    first_name: u.firstName,
    middle_name: orNull(u.middleName),
    last_name: orNull(u.lastName),
    full_name: fullName(u),
    username: u.username,
    enabled: u.isActive,
    user_type: u.userType,
    language: u.language,
    time_zone: u.timezone,
    user_image: u.avatarUrl,
    gender: u.gender,
    phone: u.phone,
    mobile_no: u.mobileNo,
    birth_date: u.birthDate ? u.birthDate.slice(0, 10) : null,
    last_login: u.lastLoginAt ? isoSeconds(u.lastLoginAt) : null,
    last_active: u.lastActiveAt ? isoSeconds(u.lastActiveAt) : null,
    api_key: apiKeyPrefix,
    api_secret: null,
    signature_image: u.signatureImage,
  };
}

/** Writable wire attribute → canonical field. System-managed ones are absent, so they are dropped. */
export const wireToCore = {
  email: 'email',
  first_name: 'firstName',
  middle_name: 'middleName',
  last_name: 'lastName',
  username: 'username',
  enabled: 'isActive',
  user_type: 'userType',
  language: 'language',
  time_zone: 'timezone',
  user_image: 'avatarUrl',
  gender: 'gender',
  phone: 'phone',
  mobile_no: 'mobileNo',
  birth_date: 'birthDate',
  signature_image: 'signatureImage',
} as const satisfies Record<string, keyof UserInput>;

const coreToWire: Record<string, string> = Object.fromEntries(Object.entries(wireToCore).map(([w, c]) => [c, w]));

/** The wire name of a canonical field, for an error's `param` (unknown names pass through). */
export function wireParam(coreField: string): string {
  return coreToWire[coreField] ?? coreField;
}

/** Names are "" when unset in the canonical user; null clears them. */
const blankWhenNull = new Set<string>(['middleName', 'lastName']);

export function userInputFromWire(body: CreateUserBody | PatchUserBody): UserInput {
  const out: Record<string, unknown> = {};
  for (const [wire, value] of Object.entries(body)) {
    const field = (wireToCore as Record<string, string>)[wire];
    if (!field || value === undefined) continue;
    out[field] = value === null && blankWhenNull.has(field) ? '' : value;
  }
  return out as UserInput;
}
