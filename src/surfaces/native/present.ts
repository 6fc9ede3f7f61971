/** Core → native wire. Only the fields of the response schema leave, so nothing secret can. */
import type { User, UserInput } from '../../core/users/users.types.ts';
import type { PatchUserBody } from './schemas/users.ts';

export function presentUser(u: User) {
  return {
    id: u.id,
    uuid: u.uuid,
    ref: u.ref,
    username: u.username,
    email: u.email,
    first_name: u.firstName,
    middle_name: u.middleName,
    last_name: u.lastName,
    display_name: u.displayName,
    avatar_url: u.avatarUrl,
    company: u.company,
    job_title: u.jobTitle,
    timezone: u.timezone,
    language: u.language,
    date_format: u.dateFormat,
    time_format: u.timeFormat,
    gender: u.gender,
    phone: u.phone,
    mobile_no: u.mobileNo,
    birth_date: u.birthDate,
    user_type: u.userType,
    metadata: u.metadata,
    is_active: u.isActive,
    is_staff: u.isStaff,
    is_superuser: u.isSuperuser,
    is_service_account: u.isServiceAccount,
    service_org_id: u.serviceOrgId,
    oauth_provider: u.oauthProvider,
    oauth_id: u.oauthId,
    is_onboarded: u.isOnboarded,
    tfa_enabled: u.tfaEnabled,
    password_expired: u.passwordExpired,
    has_password: u.hasPassword,
    role_id: u.roleId,
    last_login_at: u.lastLoginAt,
    last_active_at: u.lastActiveAt,
    created_at: u.createdAt,
    updated_at: u.updatedAt,
    created_by: u.createdBy,
    updated_by: u.updatedBy,
  };
}

const wireToCore: Record<string, keyof UserInput> = {
  username: 'username',
  email: 'email',
  first_name: 'firstName',
  middle_name: 'middleName',
  last_name: 'lastName',
  display_name: 'displayName',
  avatar_url: 'avatarUrl',
  company: 'company',
  job_title: 'jobTitle',
  timezone: 'timezone',
  language: 'language',
  date_format: 'dateFormat',
  time_format: 'timeFormat',
  gender: 'gender',
  phone: 'phone',
  mobile_no: 'mobileNo',
  birth_date: 'birthDate',
  user_type: 'userType',
  metadata: 'metadata',
  is_onboarded: 'isOnboarded',
  is_active: 'isActive',
  is_staff: 'isStaff',
  is_superuser: 'isSuperuser',
  password_expired: 'passwordExpired',
  role_id: 'roleId',
  password: 'password',
};

/** Native wire body → core input (names only; values are checked by core). */
export function userInputFromWire(body: PatchUserBody & { password?: string }): UserInput {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const key = wireToCore[k];
    if (key && v !== undefined) out[key] = v;
  }
  return out as UserInput;
}
