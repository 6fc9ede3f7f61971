/** The only place where snake_case rows meet camelCase core objects. */
import type { ApiKey } from '../core/ports.ts';
import type { User, UserRecord, UserRecordPatch } from '../core/users/users.types.ts';
import type { ApiKeyRow, NewUserRow, UserRow, UserRowPatch } from './schema.ts';

const bool = (v: number | boolean): boolean => v === 1 || v === true;
const int = (v: boolean): number => (v ? 1 : 0);

function parseObject(text: string): Record<string, unknown> {
  // absent (a row without the column) or empty: no parse, and no exception to catch
  if (typeof text !== 'string' || text === '{}') return {};
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function rowToUser(r: UserRow): User {
  return {
    id: r.id,
    uuid: r.uuid,
    ref: r.ref,
    username: r.username,
    email: r.email,
    firstName: r.first_name,
    middleName: r.middle_name,
    lastName: r.last_name,
    displayName: r.display_name,
    avatarUrl: r.avatar_url,
    company: r.company,
    jobTitle: r.job_title,
    timezone: r.timezone,
    language: r.language,
    dateFormat: r.date_format,
    timeFormat: r.time_format,
    gender: r.gender,
    phone: r.phone,
    mobileNo: r.mobile_no,
    birthDate: r.birth_date,
    signatureImage: r.signature_image,
    userType: r.user_type,
    metadata: parseObject(r.metadata),
    hasPassword: r.password_hash !== null,
    passwordExpired: bool(r.password_expired),
    isActive: bool(r.is_active),
    isStaff: bool(r.is_staff),
    isSuperuser: bool(r.is_superuser),
    isServiceAccount: bool(r.is_service_account),
    serviceOrgId: r.service_org_id,
    oauthProvider: r.oauth_provider,
    oauthId: r.oauth_id,
    isOnboarded: bool(r.is_onboarded),
    tfaEnabled: bool(r.tfa_enabled),
    roleId: r.role_id,
    lastLoginAt: r.last_login_at,
    lastActiveAt: r.last_active_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

/** core field name → column, for patches, filters and sorts */
export const userColumns = {
  uuid: 'uuid',
  ref: 'ref',
  username: 'username',
  email: 'email',
  firstName: 'first_name',
  middleName: 'middle_name',
  lastName: 'last_name',
  displayName: 'display_name',
  avatarUrl: 'avatar_url',
  company: 'company',
  jobTitle: 'job_title',
  timezone: 'timezone',
  language: 'language',
  dateFormat: 'date_format',
  timeFormat: 'time_format',
  gender: 'gender',
  phone: 'phone',
  mobileNo: 'mobile_no',
  birthDate: 'birth_date',
  signatureImage: 'signature_image',
  userType: 'user_type',
  metadata: 'metadata',
  passwordHash: 'password_hash',
  passwordExpired: 'password_expired',
  isActive: 'is_active',
  isStaff: 'is_staff',
  isSuperuser: 'is_superuser',
  isServiceAccount: 'is_service_account',
  serviceOrgId: 'service_org_id',
  oauthProvider: 'oauth_provider',
  oauthId: 'oauth_id',
  isOnboarded: 'is_onboarded',
  tfaEnabled: 'tfa_enabled',
  roleId: 'role_id',
  lastLoginAt: 'last_login_at',
  lastActiveAt: 'last_active_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  createdBy: 'created_by',
  updatedBy: 'updated_by',
} as const satisfies Record<keyof UserRecord, keyof UserRow>;

/** The column each User field is read from (`rowToUser`). */
function columnOfUserField(field: keyof User): keyof UserRow {
  if (field === 'id' || field === 'version') return field;
  if (field === 'hasPassword') return 'password_hash';
  return userColumns[field];
}

/** The columns `rowToUser` needs for `fields`, and `id` always (lists page by it). */
export function columnsOfUserFields(fields: readonly (keyof User)[]): (keyof UserRow)[] {
  return [...new Set<keyof UserRow>(['id', ...fields.map(columnOfUserField)])];
}

/** The User fields whose value is not their column's value as stored (`rowToUser` reads them so). */
const fieldConversions: Partial<Record<keyof User, (value: never) => unknown>> = {
  metadata: parseObject,
  hasPassword: (hash: string | null) => hash !== null,
  passwordExpired: bool,
  isActive: bool,
  isStaff: bool,
  isSuperuser: bool,
  isServiceAccount: bool,
  isOnboarded: bool,
  tfaEnabled: bool,
};

type Picker = (row: Record<string, unknown>) => Record<string, unknown>;
/** Pickers by field list; a list's fields are constants of the surfaces, so few are ever made. */
const pickers = new Map<string, Picker>();
const PICKERS_KEPT = 64;

/**
 * A function reading only `fields` of a user from a row holding at least
 * `columnsOfUserFields(fields)`, with the values `rowToUser` gives. Lists read a few fields of up
 * to 100 rows a page: building the whole user (~50 fields) and copying the wanted ones out cost
 * 3-4 % of a Testmo page's CPU, and a loop over (field, column) pairs, whose keyed reads and
 * writes V8 cannot specialise, 3 %. So the picker is generated once per field list as one object
 * literal, `(r, c) => ({"id": r["id"], "isActive": c[1](r["is_active"]), …})`, as
 * statement-cache.ts does for rows. Names are JSON-quoted field and column names of the schema.
 * Take it once per page, not per row.
 */
export function userPicker<K extends keyof User>(fields: readonly K[]): (row: UserRow) => Pick<User, K> {
  const key = fields.join(',');
  let picker = pickers.get(key);
  if (!picker) {
    const conversions: ((v: unknown) => unknown)[] = [];
    const parts = fields.map((f) => {
      const read = `r[${JSON.stringify(columnOfUserField(f))}]`;
      const convert = fieldConversions[f] as ((v: unknown) => unknown) | undefined;
      if (!convert) return `${JSON.stringify(f)}: ${read}`;
      conversions.push(convert);
      return `${JSON.stringify(f)}: c[${conversions.length - 1}](${read})`;
    });
    const build = new Function('r', 'c', `return {${parts.join(', ')}};`) as (
      r: Record<string, unknown>,
      c: typeof conversions,
    ) => Record<string, unknown>;
    picker = (row) => build(row, conversions);
    if (pickers.size >= PICKERS_KEPT) pickers.delete(pickers.keys().next().value as string);
    pickers.set(key, picker);
  }
  return picker as unknown as (row: UserRow) => Pick<User, K>;
}

function toColumnValue(value: unknown): unknown {
  if (typeof value === 'boolean') return int(value);
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function recordToRow(r: UserRecord): NewUserRow {
  const row: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(userColumns)) row[col] = toColumnValue((r as Record<string, unknown>)[key]);
  return row as unknown as NewUserRow;
}

export function patchToRow(p: UserRecordPatch): UserRowPatch {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(p)) {
    const col = (userColumns as Record<string, string>)[key];
    if (col && value !== undefined) row[col] = toColumnValue(value);
  }
  return row as UserRowPatch;
}

export function rowToApiKey(r: ApiKeyRow): ApiKey {
  return {
    id: r.id,
    uuid: r.uuid,
    userId: r.user_id,
    name: r.name,
    prefix: r.prefix,
    scopes: JSON.parse(r.scopes) as string[],
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
    revokedAt: r.revoked_at,
  };
}
