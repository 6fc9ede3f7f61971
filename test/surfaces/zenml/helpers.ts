/** Shared fixtures for the ZenML surface tests. */
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../../helpers/app.ts';

/** The seventeen keys in the order of ZenML's documented `/users/me` example. */
export const USER_KEYS = [
  'password',
  'password_expired',
  'name',
  'avatar_url',
  'company',
  'job_title',
  'metadata',
  'id',
  'username',
  'email',
  'oauth_provider',
  'oauth_id',
  'is_active',
  'is_superuser',
  'is_service_account',
  'organization_id',
  'is_onboarded',
];

/** Every user object a response carries has exactly the documented keys, in order, and no password. */
export function expectZenmlUser(u: Record<string, unknown>): void {
  expect(Object.keys(u)).toEqual(USER_KEYS);
  expect(u.password).toBeNull();
}

export function json(r: LightMyRequestResponse): Record<string, unknown> {
  return r.json() as Record<string, unknown>;
}

/** An organization row (the tenancy module has no service yet), returning its id and uuid. */
export async function newOrganization(t: TestApp): Promise<{ id: number; uuid: string }> {
  const uuid = randomUUID();
  const row = await t.runtime.handle.db
    .insertInto('organizations')
    .values({
      uuid,
      slug: `org-${uuid.slice(0, 8)}`,
      name: 'Acme',
      created_by: null,
      created_at: new Date().toISOString(),
      updated_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, uuid };
}

export const form = (fields: Record<string, string>) => ({
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: new URLSearchParams(fields).toString(),
});

export const STRONG_PASSWORD = 'Zenml-Initial-Passw0rd';
