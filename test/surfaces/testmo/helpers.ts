/** Shared bits of the Testmo tests: request shortcuts, the error-body check, bulk users. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { seedDatabase } from '../../../src/storage/seed.ts';
import { bearer, type TestApp } from '../../helpers/app.ts';

export type Call = (
  opts: Omit<InjectOptions, 'headers'> & { key?: string | null; headers?: Record<string, string> },
) => Promise<LightMyRequestResponse>;

/** Requests with the admin key unless another `key` is given (`null`: no credential). */
export function caller(t: () => TestApp): Call {
  return ({ key, headers, ...opts }) =>
    t().inject({ ...opts, headers: { ...(key === null ? {} : bearer(key ?? t().adminKey)), ...headers } });
}

/** Asserts Testmo's error body and returns it. */
export function testmoError(r: LightMyRequestResponse, status: number): { message: string; errors: Record<string, string[]> } {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toContain('application/json');
  const body = r.json() as { message: string; errors: Record<string, string[]> };
  expect(Object.keys(body)).toEqual(['message', 'errors']);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  expect(body.errors).toBeTypeOf('object');
  expect(Array.isArray(body.errors)).toBe(false);
  for (const list of Object.values(body.errors)) for (const m of list) expect(typeof m).toBe('string');
  expect(r.body).not.toMatch(/at .*\.ts:\d+|node_modules|stack/);
  return body;
}

/** Adds `n` plain users through the bulk seeder (no organizations): multi-row inserts, fast on both databases. */
export async function addUsersInBulk(t: TestApp, n: number): Promise<void> {
  if (n > 0) await seedDatabase(t.runtime.handle, { users: n, orgs: 0, seed: Math.floor(Math.random() * 1e9) });
}

export const envelopeKeys = ['page', 'prev_page', 'next_page', 'last_page', 'per_page', 'total', 'result'];
export const adminUserKeys = [
  'id',
  'name',
  'email',
  'type',
  'timezone',
  'date_format',
  'time_format',
  'notifications',
  'tfa_enabled',
  'is_active',
  'is_forgotten',
  'is_api',
  'role_id',
  'groups',
  'created_at',
  'created_by',
  'updated_at',
  'updated_by',
];

/** The envelope the seed's arithmetic gives for `total` rows (an independent oracle for the tests). */
export function expectedEnvelope(total: number, perPage: number, page: number) {
  if (total === 0) return { page: null, prev_page: null, next_page: null, last_page: null, per_page: perPage, total };
  const last = Math.ceil(total / perPage);
  let prev: number | null = null;
  if (page > last) prev = last;
  else if (page > 1) prev = page - 1;
  return { page, prev_page: prev, next_page: page < last ? page + 1 : null, last_page: last, per_page: perPage, total };
}
