/** Shared bits of the Overplane tests: the seed's attribute order and request shortcuts. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { bearer, type TestApp } from '../../helpers/app.ts';

/** Every attribute of the User object in seed 003, in the seed's order. */
export const seedAttributes = [
  'id',
  'created_at',
  'updated_at',
  'email',
  'first_name',
  'middle_name',
  'last_name',
  'full_name',
  'username',
  'enabled',
  'user_type',
  'language',
  'time_zone',
  'user_image',
  'gender',
  'phone',
  'mobile_no',
  'birth_date',
  'last_login',
  'last_active',
  'api_key',
  'api_secret',
  'signature_image',
];

export const isoSecondsPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export type Call = (
  opts: Omit<InjectOptions, 'headers'> & { key?: string; headers?: Record<string, string> },
) => Promise<LightMyRequestResponse>;

/** Requests with the admin key unless another `key` is given. */
export function caller(t: () => TestApp): Call {
  return ({ key, headers, ...opts }) => t().inject({ ...opts, headers: { ...bearer(key ?? t().adminKey), ...headers } });
}

let n = 0;
/** A unique email for this process. */
export const uniqueEmail = (label = 'op') => `${label}${process.pid}x${++n}x${Math.floor(Math.random() * 1e6)}@example.com`;

/** Asserts a Stripe-style error envelope and returns its `error` object. */
export function stripeError(r: LightMyRequestResponse, status: number): Record<string, unknown> {
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toContain('application/json');
  const body = r.json() as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.type).toBe('string');
  expect(typeof body.error.message).toBe('string');
  expect(r.body).not.toMatch(/at .*\.ts:\d+|node_modules|stack/);
  return body.error;
}
