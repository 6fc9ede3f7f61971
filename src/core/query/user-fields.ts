/**
 * The user fields the query model knows, with their types. A surface chooses, per caller, which of
 * these may be filtered or sorted on; storage maps each to its column.
 */
import type { Scalar } from './model.ts';

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

/** Fields whose column may hold NULL (the compiler keeps leaves over them two-valued). */
export const nullableUserFields: ReadonlySet<string> = new Set<UserField>([
  'mobileNo',
  'serviceOrgId',
  'roleId',
  'updatedAt',
  'lastLoginAt',
]);

/** Integers travel as 32-bit on PostgreSQL (`serial`, `integer` columns). */
export const INT32 = { min: -2147483648, max: 2147483647 } as const;

/** Whether `value` is a legal comparison value for a field of `type` (null always is). */
export function fitsFieldType(type: FieldType, value: Scalar): boolean {
  if (value === null) return true;
  switch (type) {
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value) && value >= INT32.min && value <= INT32.max;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
    case 'timestamp':
      return typeof value === 'string';
  }
}
