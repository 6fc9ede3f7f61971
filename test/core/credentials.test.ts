/**
 * Password login, throttling, password change and registration in core, over a real database
 * and a clock the test moves. argon2's `verify` is wrapped (not replaced) to count calls.
 */
import * as argon2 from '@node-rs/argon2';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../src/core/auth/actor.ts';
import { argonParams } from '../../src/core/auth/passwords.ts';
import { AppError } from '../../src/core/errors.ts';
import type { InvitationRedeemer } from '../../src/core/ports.ts';
import type { User } from '../../src/core/users/users.types.ts';
import { buildTestCore, type TestCore } from '../helpers/core.ts';
import { dialects } from '../helpers/dialects.ts';

vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...real, verify: vi.fn(real.verify) };
});
const verifyCalls = () => vi.mocked(argon2.verify).mock.calls.length;

const PASSWORD = 'correct horse battery';

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

let n = 0;
const unique = () => `${Date.now().toString(36)}${++n}`;

describe.each(dialects)('credentials core on %s', (dialect) => {
  let t: TestCore;
  const newUser = (input: Partial<Parameters<TestCore['core']['users']['createTrusted']>[0]> = {}) => {
    const u = unique();
    return t.core.users.createTrusted({ email: `p${u}@example.com`, username: `p${u}`, password: PASSWORD, ...input });
  };
  const sessionActor = (user: User, sessionUuid: string): Actor => ({
    user,
    credential: { kind: 'session', id: sessionUuid, scopes: ['read', 'write', 'admin'] },
  });

  beforeAll(async () => {
    t = await buildTestCore(dialect, { loginMaxFailures: 3, registration: 'open' });
  });
  afterAll(async () => t?.close());
  beforeEach(() => {
    // Every test starts an hour later, so no earlier test's counters or blocks remain.
    t.clock.advance(7200);
  });

  it('logs in by username, by email in any case, and sets last_login_at', async () => {
    const user = await newUser();
    const byName = await t.core.credentials.loginWithPassword(user.username.toUpperCase(), PASSWORD, { ip: '10.0.0.1' });
    expect(byName.id).toBe(user.id);
    const byEmail = await t.core.credentials.loginWithPassword(`  ${user.email.toUpperCase()} `, PASSWORD, { ip: '10.0.0.1' });
    expect(byEmail.id).toBe(user.id);
    const row = await t.handle.db.selectFrom('users').select('last_login_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.last_login_at).toBe(t.clock.now().toISOString());
    // A username that looks like an email still logs in.
    const odd = await newUser({ username: `odd@${unique()}` });
    expect((await t.core.credentials.loginWithPassword(odd.username, PASSWORD)).id).toBe(odd.id);
  });

  it('answers wrong password, unknown account, no password and deactivated alike, each after one verify', async () => {
    const user = await newUser();
    const noPassword = await newUser({ password: undefined });
    const inactive = await newUser({ isActive: false });
    const cases: [string, string][] = [
      [user.username, 'wrong password here'],
      [`nobody-${unique()}`, PASSWORD],
      [`nobody-${unique()}@example.com`, PASSWORD],
      [noPassword.username, PASSWORD],
      [inactive.username, PASSWORD],
      [user.username, 'x'.repeat(5000)],
    ];
    for (const [login, password] of cases) {
      const before = verifyCalls();
      const err = await failure(t.core.credentials.loginWithPassword(login, password, { ip: `10.1.0.${unique().length}` }));
      expect(verifyCalls() - before, login).toBe(1);
      expect(err.code).toBe('CREDENTIALS_INVALID');
      expect(err.message).toBe('Invalid credentials');
    }
  });

  it('checks the password exactly as typed: no trimming, no case folding, no truncation', async () => {
    const long = `${'a1b2c3d4e5'.repeat(10)}`;
    const user = await newUser({ password: long });
    expect((await t.core.credentials.loginWithPassword(user.username, long)).id).toBe(user.id);
    for (const variant of [`${long.slice(0, -1)}X`, `${long} `, long.toUpperCase(), long.slice(0, 72)]) {
      expect((await failure(t.core.credentials.loginWithPassword(user.username, variant))).code).toBe('CREDENTIALS_INVALID');
    }
  });

  it('re-hashes a password stored with other parameters on the next good login', async () => {
    const user = await newUser({ password: undefined });
    const weak = await argon2.hash(PASSWORD, { algorithm: 2, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    await t.handle.db.updateTable('users').set({ password_hash: weak }).where('id', '=', user.id).execute();
    await t.core.credentials.loginWithPassword(user.username, PASSWORD);
    const row = await t.handle.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(
      new RegExp(`^\\$argon2id\\$v=19\\$m=${argonParams.memoryCost},t=${argonParams.timeCost},p=${argonParams.parallelism}\\$`),
    );
    expect((await t.core.credentials.loginWithPassword(user.username, PASSWORD)).id).toBe(user.id);
  });

  it('refuses an expired password with PASSWORD_EXPIRED, unless the native flow sets a new one', async () => {
    const user = await newUser({ passwordExpired: true });
    const { session } = await t.core.sessions.start(user);
    expect((await failure(t.core.credentials.loginWithPassword(user.username, PASSWORD))).message).toBe('Password expired');
    // A wrong password is still just wrong, so "expired" never confirms a guess.
    expect((await failure(t.core.credentials.loginWithPassword(user.username, 'not the password!'))).code).toBe('CREDENTIALS_INVALID');
    const weak = await failure(t.core.credentials.loginWithPassword(user.username, PASSWORD, { newPassword: 'password1' }));
    expect(weak.issues[0]).toMatchObject({ field: 'new_password', kind: 'common' });
    const same = await failure(t.core.credentials.loginWithPassword(user.username, PASSWORD, { newPassword: PASSWORD }));
    expect(same.code).toBe('VALIDATION_FAILED');
    const renewed = await t.core.credentials.loginWithPassword(user.username, PASSWORD, { newPassword: 'a brand new passphrase' });
    expect(renewed.passwordExpired).toBe(false);
    expect((await t.core.credentials.loginWithPassword(user.username, 'a brand new passphrase')).id).toBe(user.id);
    expect(
      (await t.handle.db.selectFrom('sessions').select('revoked_at').where('uuid', '=', session.uuid).executeTakeFirstOrThrow()).revoked_at,
    ).not.toBeNull();
  });

  describe('throttling (maxFailures = 3)', () => {
    it('delays after the limit, doubling, with the same answer for a right password, and clears on success', async () => {
      const user = await newUser();
      const ip = '192.0.2.1';
      const login = (password: string) => t.core.credentials.loginWithPassword(user.username, password, { ip });
      for (let i = 0; i < 3; i++) expect((await failure(login('wrong wrong wrong'))).code).toBe('CREDENTIALS_INVALID');
      // The 4th attempt starts a 1 s delay and is still evaluated.
      expect((await failure(login('wrong wrong wrong'))).code).toBe('CREDENTIALS_INVALID');
      const before = verifyCalls();
      const blocked = await failure(login('wrong wrong wrong'));
      expect(blocked).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 1 });
      // Locked: the right password gets exactly the same answer, and nothing is verified.
      const right = await failure(login(PASSWORD));
      expect({ code: right.code, message: right.message, retryAfter: right.retryAfter }).toEqual({
        code: blocked.code,
        message: blocked.message,
        retryAfter: blocked.retryAfter,
      });
      expect(verifyCalls()).toBe(before);
      t.clock.advance(1);
      expect((await failure(login('wrong wrong wrong'))).code).toBe('CREDENTIALS_INVALID');
      expect(await failure(login(PASSWORD))).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 2 });
      t.clock.advance(2);
      expect((await login(PASSWORD)).id).toBe(user.id);
      // Success forgot the failures: the next wrong password is evaluated again.
      expect((await failure(login('wrong wrong wrong'))).code).toBe('CREDENTIALS_INVALID');
    });

    it('does not lock the account out for other client addresses', async () => {
      const user = await newUser();
      for (let i = 0; i < 5; i++)
        await failure(t.core.credentials.loginWithPassword(user.username, 'nope nope nope', { ip: '198.51.100.7' }));
      expect((await failure(t.core.credentials.loginWithPassword(user.username, PASSWORD, { ip: '198.51.100.7' }))).code).toBe(
        'RATE_LIMITED',
      );
      expect((await t.core.credentials.loginWithPassword(user.username, PASSWORD, { ip: '203.0.113.9' })).id).toBe(user.id);
    });

    it('limits one account across many addresses (5×) and one address across many accounts (10×)', async () => {
      const user = await newUser();
      for (let i = 0; i < 15; i++)
        await failure(t.core.credentials.loginWithPassword(user.username, 'nope nope nope', { ip: `10.2.${i}.1` }));
      const over = await failure(t.core.credentials.loginWithPassword(user.username, 'nope nope nope', { ip: '10.2.99.1' }));
      expect(over.code).toBe('CREDENTIALS_INVALID');
      expect((await failure(t.core.credentials.loginWithPassword(user.username, PASSWORD, { ip: '10.2.98.1' }))).code).toBe('RATE_LIMITED');
      t.clock.advance(7200);
      const ip = '10.3.0.1';
      for (let i = 0; i < 31; i++) await failure(t.core.credentials.loginWithPassword(`ghost-${unique()}`, 'nope nope nope', { ip }));
      const other = await newUser();
      expect((await failure(t.core.credentials.loginWithPassword(other.username, PASSWORD, { ip }))).code).toBe('RATE_LIMITED');
    });

    it('throttles unknown accounts exactly like known ones', async () => {
      const ghost = `ghost-${unique()}`;
      const codes: string[] = [];
      for (let i = 0; i < 5; i++)
        codes.push((await failure(t.core.credentials.loginWithPassword(ghost, PASSWORD, { ip: '10.4.0.1' }))).code);
      expect(codes).toEqual(['CREDENTIALS_INVALID', 'CREDENTIALS_INVALID', 'CREDENTIALS_INVALID', 'CREDENTIALS_INVALID', 'RATE_LIMITED']);
    });

    it('evaluates at most limit + 1 of 40 parallel guesses; the rest are refused unverified', async () => {
      const user = await newUser();
      const before = verifyCalls();
      const results = await Promise.all(
        Array.from({ length: 40 }, () =>
          failure(t.core.credentials.loginWithPassword(user.username, 'parallel guess!', { ip: '10.5.0.1' })),
        ),
      );
      const evaluated = verifyCalls() - before;
      expect(evaluated).toBeLessThanOrEqual(4);
      expect(results.filter((e) => e.code === 'CREDENTIALS_INVALID')).toHaveLength(evaluated);
      expect(results.filter((e) => e.code === 'RATE_LIMITED')).toHaveLength(40 - evaluated);
    });
  });

  it('costs one verify for unknown and known accounts alike, in about the same time', async () => {
    const user = await newUser();
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 16; i++) {
      t.clock.advance(7200);
      for (const kind of ['known', 'unknown'] as const) {
        const login = kind === 'known' ? user.username : `nobody-${unique()}`;
        const start = performance.now();
        await failure(t.core.credentials.loginWithPassword(login, 'a wrong password', { ip: `10.6.${i}.1` }));
        times[kind].push(performance.now() - start);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const known = median(times.known);
    const unknown = median(times.unknown);
    console.log(`login failure median: known account ${known.toFixed(1)} ms, unknown account ${unknown.toFixed(1)} ms`);
    // Both pay for a full argon2id verify. A skipped verify would make one side ~1 ms against tens of
    // ms; the generous bound only absorbs the noise of a shared 2-core machine.
    expect(Math.min(known, unknown)).toBeGreaterThan(0.5 * Math.max(known, unknown));
  });

  describe('password change and re-authentication', () => {
    it('needs the current password, ends the other sessions and keeps this one', async () => {
      const user = await newUser({ passwordExpired: true });
      const mine = await t.core.sessions.start(user);
      const other = await t.core.sessions.start(user);
      const actor = sessionActor(user, mine.session.uuid);
      const wrong = await failure(t.core.credentials.changePassword(actor, 'not my password', 'a fresh passphrase'));
      expect(wrong).toMatchObject({ code: 'FORBIDDEN', message: 'The current password is incorrect' });
      const weak = await failure(t.core.credentials.changePassword(actor, PASSWORD, 'short'));
      expect(weak.issues[0]).toMatchObject({ field: 'new_password', kind: 'too_short' });
      const similar = await failure(t.core.credentials.changePassword(actor, PASSWORD, `my ${user.username} pass`));
      expect(similar.issues[0]).toMatchObject({ kind: 'similar' });
      const { user: changed, endedSessions } = await t.core.credentials.changePassword(actor, PASSWORD, 'a fresh passphrase');
      expect(endedSessions).toBe(1);
      expect(changed.passwordExpired).toBe(false);
      expect(await t.core.sessions.verify(mine.token)).toBeDefined();
      expect(await t.core.sessions.verify(other.token)).toBeUndefined();
      expect((await t.core.credentials.loginWithPassword(user.username, 'a fresh passphrase')).id).toBe(user.id);
    });

    it('throttles guesses of the current password', async () => {
      const user = await newUser();
      const actor = sessionActor(user, 'none');
      for (let i = 0; i < 4; i++) await failure(t.core.credentials.confirmPassword(actor, 'guess guess guess', { ip: '10.7.0.1' }));
      expect((await failure(t.core.credentials.confirmPassword(actor, PASSWORD, { ip: '10.7.0.1' }))).code).toBe('RATE_LIMITED');
    });

    it("asks for the password before one changes one's own email", async () => {
      const user = await newUser();
      const actor = sessionActor(user, 'none');
      const rule = (email: string | undefined, password: string | undefined, target = user, who = actor) =>
        t.core.credentials.assertEmailChangeAllowed(who, target, email, password);
      await rule(undefined, undefined);
      await rule(user.email.toUpperCase(), undefined);
      expect((await failure(rule('new@example.com', undefined))).code).toBe('FORBIDDEN');
      expect((await failure(rule('new@example.com', 'wrong wrong'))).code).toBe('FORBIDDEN');
      await rule('new@example.com', PASSWORD);
      const admin = await newUser({ isSuperuser: true, password: undefined });
      const adminActor = sessionActor(admin, 'none');
      await rule('other@example.com', undefined, user, adminActor);
      await rule('admin-new@example.com', undefined, admin, adminActor);
      const bot = await newUser({ password: undefined });
      expect((await failure(rule('bot-new@example.com', undefined, bot, sessionActor(bot, 'none')))).code).toBe('FORBIDDEN');
    });
  });

  describe('registration', () => {
    it('creates an ordinary user with a hashed password under REGISTRATION=open', async () => {
      const u = unique();
      const user = await t.core.credentials.register({ email: `R${u}@Example.com`, password: 'my own passphrase', firstName: 'Reg' });
      expect(user).toMatchObject({ email: `r${u}@example.com`, isSuperuser: false, isStaff: false, isActive: true, hasPassword: true });
      const row = await t.handle.db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect((await t.core.credentials.loginWithPassword(user.email, 'my own passphrase')).id).toBe(user.id);
      expect((await failure(t.core.credentials.register({ email: user.email, password: 'another passphrase' }))).code).toBe('EMAIL_TAKEN');
    });

    it('enforces 8 ≤ length ≤ 1024 and refuses common passwords', async () => {
      const reg = (password: string) => t.core.credentials.register({ email: `b${unique()}@example.com`, password });
      expect((await failure(reg('seven77'))).issues[0]).toMatchObject({ field: 'password', kind: 'too_short' });
      expect((await reg('tq8-vmz4')).hasPassword).toBe(true);
      expect((await reg('x'.repeat(1024))).hasPassword).toBe(true);
      expect((await failure(reg('x'.repeat(1025)))).issues[0]).toMatchObject({ kind: 'too_long' });
      // the first four from Roster's own list, the rest only in zxcvbn-ts's breach dictionary
      for (const common of [
        'password1',
        'PassWord123',
        'qwertyuiop',
        'iloveyou1',
        'Mississippi',
        'friendster',
        'baseball1',
        '12345qwerty',
      ]) {
        expect((await failure(reg(common))).issues[0], common).toMatchObject({ kind: 'common' });
      }
      expect((await failure(t.core.credentials.register({ email: 'bad', password: 'fine passphrase' }))).issues[0]).toMatchObject({
        field: 'email',
      });
    });
  });
});

describe.each(dialects)('registration modes on %s', (dialect) => {
  it('refuses when closed, and when invite-only without a valid invitation', async () => {
    const closed = await buildTestCore(dialect, { registration: 'closed' });
    const invite = await buildTestCore(dialect, { registration: 'invite' });
    try {
      const input = { email: 'someone@example.com', password: 'a good passphrase' };
      expect(await failure(closed.core.credentials.register(input))).toMatchObject({
        code: 'FORBIDDEN',
        message: 'Registration is closed',
      });
      expect((await failure(invite.core.credentials.register(input))).message).toBe('Registration needs an invitation');
      expect((await failure(invite.core.credentials.register({ ...input, invitation: 'tok-unknown-123' }))).message).toMatch(/invalid/);
      expect(await closed.core.users.count()).toBe(0);
      expect(await invite.core.users.count()).toBe(0);
    } finally {
      await closed.close();
      await invite.close();
    }
  });

  it('redeems the invitation in the registration transaction: all or nothing', async () => {
    const t = await buildTestCore(dialect, { registration: 'invite' });
    try {
      const seen: { token: string; email: string; userId: number }[] = [];
      const redeemer: InvitationRedeemer = {
        async redeem(token, email, { user, store }) {
          seen.push({ token, email, userId: user.id });
          // What a real redeemer does (record the membership) goes through the transaction's store.
          await store.users.update(user.id, { company: 'Invited Co' });
          return token === 'good' ? { orgId: 7, role: 'worker' } : undefined;
        },
      };
      t.core.credentials.useInvitationRedeemer(redeemer);
      const refused = await failure(
        t.core.credentials.register({ email: 'A@example.com', password: 'a good passphrase', invitation: 'bad' }),
      );
      expect(refused.code).toBe('FORBIDDEN');
      expect(await t.core.users.count()).toBe(0);
      const user = await t.core.credentials.register({ email: 'A@example.com', password: 'a good passphrase', invitation: 'good' });
      expect(user.email).toBe('a@example.com');
      expect(seen.map((s) => [s.token, s.email])).toEqual([
        ['bad', 'a@example.com'],
        ['good', 'a@example.com'],
      ]);
      expect((await t.core.users.findById(user.id))?.company).toBe('Invited Co');
    } finally {
      await t.close();
    }
  });

  it('registers through a real invitation: one user, one membership, the token single-use', async () => {
    const t = await buildTestCore(dialect, { registration: 'invite' });
    try {
      const owner = await t.core.users.createTrusted({ email: 'owner@example.com', isSuperuser: true });
      const actor = { user: owner, credential: { kind: 'api_key' as const, id: 'test', scopes: ['read', 'write', 'admin'] as const } };
      const org = await t.core.orgs.create(actor, { slug: 'invited', name: 'Invited' });
      const { token } = await t.core.invitations.create(actor, org.id, { email: 'new@example.com', role: 'worker' });
      const input = { email: 'New@example.com', password: 'a good passphrase', invitation: token };
      const user = await t.core.credentials.register(input);
      const membership = await t.core.memberships.find(user.id, org.id);
      expect(membership).toMatchObject({ role: 'worker', isActive: true, invitedBy: owner.id });
      const again = await failure(t.core.credentials.register({ ...input, email: 'new@example.com', invitation: token }));
      expect(again.code).not.toBeUndefined();
      expect(await t.core.users.count()).toBe(2);
    } finally {
      await t.close();
    }
  });
});
