/** The canonical user (DESIGN §3) as core and surfaces see it. The password hash is never here. */
export interface User {
  id: number;
  uuid: string;
  ref: string;
  username: string;
  email: string;
  firstName: string;
  middleName: string;
  lastName: string;
  displayName: string;
  avatarUrl: string | null;
  company: string | null;
  jobTitle: string | null;
  timezone: string | null;
  language: string | null;
  dateFormat: string | null;
  timeFormat: string | null;
  gender: string | null;
  phone: string | null;
  mobileNo: string | null;
  /** YYYY-MM-DD */
  birthDate: string | null;
  signatureImage: string | null;
  /** Overplane/Frappe user type: "System User" or "Website User" */
  userType: string;
  metadata: Record<string, unknown>;
  hasPassword: boolean;
  passwordExpired: boolean;
  isActive: boolean;
  isStaff: boolean;
  isSuperuser: boolean;
  isServiceAccount: boolean;
  serviceOrgId: number | null;
  oauthProvider: string | null;
  oauthId: string | null;
  isOnboarded: boolean;
  tfaEnabled: boolean;
  roleId: number | null;
  lastLoginAt: string | null;
  lastActiveAt: string | null;
  createdAt: string;
  updatedAt: string | null;
  createdBy: number | null;
  updatedBy: number | null;
  /** row version, +1 on every update: the native API's ETag */
  version: number;
}

/** Fields a caller may supply when creating or patching a user (all optional here; rules in the service). */
export interface UserInput {
  username?: string;
  email?: string;
  firstName?: string;
  middleName?: string;
  lastName?: string;
  displayName?: string;
  avatarUrl?: string | null;
  company?: string | null;
  jobTitle?: string | null;
  timezone?: string | null;
  language?: string | null;
  dateFormat?: string | null;
  timeFormat?: string | null;
  gender?: string | null;
  phone?: string | null;
  mobileNo?: string | null;
  birthDate?: string | null;
  signatureImage?: string | null;
  userType?: string;
  metadata?: Record<string, unknown>;
  isOnboarded?: boolean;
  tfaEnabled?: boolean;
  // privileged: only an actor allowed `users.update.privileged` may set these
  isActive?: boolean;
  isStaff?: boolean;
  isSuperuser?: boolean;
  passwordExpired?: boolean;
  roleId?: number | null;
  /** plain password; hashed by the service */
  password?: string;
}

export type CreateUserInput = UserInput & { email: string };

/** Fields only a site admin may set (mass-assignment guard). */
export const privilegedUserFields = [
  'isActive',
  'isStaff',
  'isSuperuser',
  'passwordExpired',
  'roleId',
] as const satisfies readonly (keyof UserInput)[];

/** What storage writes: the validated, normalised record (no plain password). */
export type UserRecord = Omit<User, 'id' | 'hasPassword' | 'version'> & { passwordHash: string | null };
export type UserRecordPatch = Partial<Omit<UserRecord, 'uuid' | 'ref' | 'createdAt' | 'createdBy'>>;
