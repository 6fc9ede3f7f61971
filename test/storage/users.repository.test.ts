import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';

describe.each(dialects)('users storage on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('stores every canonical field and reads it back', async () => {
    const u = await t.core.users.createTrusted({
      email: '  Ada@Example.COM ',
      username: 'ada',
      firstName: 'Ada',
      lastName: 'Lovelace',
      company: 'Engines',
      jobTitle: 'Analyst',
      timezone: 'Europe/London',
      birthDate: '1815-12-10',
      mobileNo: '+44 1',
      metadata: { k: [1, 2] },
      isOnboarded: true,
    });
    expect(u.email).toBe('ada@example.com');
    expect(u.displayName).toBe('Ada Lovelace');
    expect(u.ref).toMatch(/^user_[A-Za-z0-9]{14}$/);
    expect(u.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const again = await t.core.users.findByUuid(u.uuid);
    expect(again).toEqual(u);
    expect(await t.core.users.findByEmail('ADA@example.com')).toEqual(u);
    expect(await t.core.users.findByUsername('ADA')).toEqual(u);
    expect(await t.core.users.findByRef(u.ref)).toEqual(u);
    expect(again?.metadata).toEqual({ k: [1, 2] });
    expect(again?.isOnboarded).toBe(true);
  });

  it('derives the display name from the email local part when names are unset', async () => {
    const u = await t.core.users.createTrusted({ email: 'grace.hopper@example.com' });
    expect(u.displayName).toBe('grace.hopper');
    expect(u.firstName).toBe('');
    expect(u.username).toBe('grace.hopper');
  });

  it('refuses duplicate email, username (case-insensitive) and mobile number', async () => {
    await t.core.users.createTrusted({ email: 'dup@example.com', username: 'Dup', mobileNo: '555-1' });
    await expect(t.core.users.createTrusted({ email: 'DUP@example.com' })).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
    await expect(t.core.users.createTrusted({ email: 'other@example.com', username: 'dUP' })).rejects.toMatchObject({
      code: 'USERNAME_TAKEN',
    });
    await expect(t.core.users.createTrusted({ email: 'other2@example.com', mobileNo: '555-1' })).rejects.toMatchObject({
      code: 'MOBILE_TAKEN',
    });
  });

  it('lets the database decide uniqueness under concurrency: 50 creates of one email give one user', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => t.core.users.createTrusted({ email: i % 2 ? ' Race@Example.com' : 'race@example.COM ' })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const taken = results.filter((r) => r.status === 'rejected' && (r.reason as AppError).code === 'EMAIL_TAKEN');
    expect(ok).toHaveLength(1);
    expect(taken).toHaveLength(49);
  });

  it('validates values: email syntax, username pattern and length, dates', async () => {
    await expect(t.core.users.createTrusted({ email: 'not-an-email' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(t.core.users.createTrusted({ email: 'a@b.c', username: 'has space' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(t.core.users.createTrusted({ email: 'a@b.c', username: 'x'.repeat(151) })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(t.core.users.createTrusted({ email: 'a@b.c', birthDate: '2024-02-30' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await t.core.users.findByEmail('a@b.c')).toBeUndefined();
  });

  it('updates only the given fields and keeps a derived display name derived', async () => {
    const u = await t.core.users.createTrusted({ email: 'pat@example.com', firstName: 'Pat' });
    expect(u.displayName).toBe('Pat');
    const v = await t.core.users.updateTrusted(u, { lastName: 'Smith' });
    expect(v.displayName).toBe('Pat Smith');
    expect(v.firstName).toBe('Pat');
    expect(v.updatedAt).not.toBeNull();
    const w = await t.core.users.updateTrusted(v, { displayName: 'PS' });
    const x = await t.core.users.updateTrusted(w, { firstName: 'Patricia' });
    expect(x.displayName).toBe('PS');
  });
});
