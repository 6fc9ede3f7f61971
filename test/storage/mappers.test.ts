/**
 * `userPicker` reads each field from its own column; it must give what `rowToUser` gives for
 * the same fields, whatever the row holds (booleans stored as 0/1, metadata as JSON text, a
 * password hash or none), and nothing else.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/core/users/users.types.ts';
import { rowToUser, userColumns, userPicker } from '../../src/storage/mappers.ts';
import type { UserRow } from '../../src/storage/schema.ts';

function rowWith(overrides: Partial<Record<keyof UserRow, unknown>>): UserRow {
  const row: Record<string, unknown> = { id: 41, version: 3 };
  for (const column of Object.values(userColumns)) row[column] = `${column} value`;
  for (const column of ['password_expired', 'is_active', 'is_staff', 'is_superuser', 'is_service_account', 'is_onboarded', 'tfa_enabled'])
    row[column] = 0;
  Object.assign(row, { service_org_id: null, role_id: 7, created_by: null, updated_by: 2, metadata: '{}' }, overrides);
  return row as unknown as UserRow;
}

const rows: [string, UserRow][] = [
  ['every flag off, no password', rowWith({ password_hash: null })],
  [
    'every flag on, a password, metadata',
    rowWith({
      password_hash: '$argon2id$…',
      password_expired: 1,
      is_active: 1,
      is_staff: 1,
      is_superuser: 1,
      is_service_account: 1,
      is_onboarded: 1,
      tfa_enabled: 1,
      metadata: '{"team":"qa","n":[1,2]}',
    }),
  ],
  ['metadata that is not an object', rowWith({ metadata: '[1]' })],
];

describe('userPicker', () => {
  it.each(rows)('gives every field as rowToUser does: %s', (_name, row) => {
    const full = rowToUser(row);
    const fields = Object.keys(full) as (keyof User)[];
    expect(userPicker(fields)(row)).toStrictEqual(full);
  });

  it.each(rows)('gives only the fields asked for: %s', (_name, row) => {
    const fields = ['id', 'isActive', 'hasPassword', 'metadata', 'createdAt'] as const;
    const full = rowToUser(row);
    expect(userPicker(fields)(row)).toStrictEqual({
      id: full.id,
      isActive: full.isActive,
      hasPassword: full.hasPassword,
      metadata: full.metadata,
      createdAt: full.createdAt,
    });
  });

  it('is made once per field list, whether or not the list is the same array', () => {
    expect(userPicker(['id', 'email'])).toBe(userPicker(['id', 'email']));
    expect(userPicker(['id', 'email'])).not.toBe(userPicker(['email', 'id']));
  });
});
