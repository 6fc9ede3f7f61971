/**
 * The user fields the query model knows, with their types. A surface chooses, per caller, which of
 * these may be filtered or sorted on; storage maps each to its column.
 */
export type FieldType = 'integer' | 'string' | 'boolean' | 'timestamp';

export const userFieldTypes = {
  id: 'integer',
  uuid: 'string',
  ref: 'string',
  username: 'string',
  email: 'string',
  firstName: 'string',
  middleName: 'string',
  lastName: 'string',
  displayName: 'string',
  mobileNo: 'string',
  isActive: 'boolean',
  isStaff: 'boolean',
  isSuperuser: 'boolean',
  isServiceAccount: 'boolean',
  serviceOrgId: 'integer',
  roleId: 'integer',
  userType: 'string',
  createdAt: 'timestamp',
  updatedAt: 'timestamp',
  lastLoginAt: 'timestamp',
} as const satisfies Record<string, FieldType>;

export type UserField = keyof typeof userFieldTypes;

export function isUserField(name: string): name is UserField {
  return Object.hasOwn(userFieldTypes, name);
}
