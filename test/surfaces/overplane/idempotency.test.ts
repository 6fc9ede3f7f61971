/**
 * Idempotency-Key on POST /api/core/user (DESIGN §6): replay, refusal of other parameters, 409 while
 * in flight, 24 h per credential, and 50 parallel retries giving one user. The mechanism lives in
 * core + storage, so part of it is driven here through the service with a controllable clock.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/auth/actor.ts';
import { AppError } from '../../../src/core/errors.ts';
import { canonicalJson, fingerprintHash } from '../../../src/core/idempotency/fingerprint.ts';
import { createIdempotencyService, type StoredResponse } from '../../../src/core/idempotency/idempotency.service.ts';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { caller, stripeError, uniqueEmail } from './helpers.ts';

describe.each(dialects)('overplane Idempotency-Key on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());
  const call = caller(() => t);
  const post = (key: string | undefined, payload: unknown, extra: { credential?: string; type?: string } = {}) =>
    call({
      method: 'POST',
      url: '/api/core/user',
      ...(extra.credential ? { key: extra.credential } : {}),
      headers: { ...(key !== undefined ? { 'idempotency-key': key } : {}), ...(extra.type ? { 'content-type': extra.type } : {}) },
      payload: payload as string,
    });
  const usersWithEmail = async (email: string) => ((await t.core.users.findByEmail(email)) ? 1 : 0);

  it('replays the first response for the same key and body (same status, same bytes)', async () => {
    const key = randomUUID();
    const email = uniqueEmail('idem');
    const first = await post(key, { email, first_name: 'Once' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    // the same parameters, spelled differently: other key order and whitespace
    const again = await post(key, `{ "first_name" : "Once",\n "email": "${email}" }`, { type: 'application/json' });
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers['content-type']).toContain('application/json');
    expect(await usersWithEmail(email)).toBe(1);
  });

  it('refuses the same key with other parameters: 400 idempotency_error, nothing written', async () => {
    const key = randomUUID();
    const email = uniqueEmail('idem');
    expect((await post(key, { email, first_name: 'A' })).statusCode).toBe(200);
    const otherEmail = uniqueEmail('other');
    const e = stripeError(await post(key, { email: otherEmail, first_name: 'A' }), 400);
    expect(e).toEqual({ type: 'idempotency_error', message: expect.stringContaining(key) });
    expect(stripeError(await post(key, { email, first_name: 'A', last_name: 'B' }), 400).type).toBe('idempotency_error');
    expect(await usersWithEmail(otherEmail)).toBe(0);
  });

  it('keeps keys per credential: another key may reuse the same Idempotency-Key', async () => {
    const admin = (await t.core.users.findByRef(t.admin.ref))!;
    const second = (await t.core.apiKeys.mintTrusted(admin, { name: 'second' })).secret;
    const key = randomUUID();
    const a = await post(key, { email: uniqueEmail('cred'), first_name: 'A' });
    const b = await post(key, { email: uniqueEmail('cred'), first_name: 'B' }, { credential: second });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(b.json().id).not.toBe(a.json().id);
  });

  it('does not remember failures: a refused attempt leaves the key free for a retry', async () => {
    const key = randomUUID();
    const email = uniqueEmail('fail');
    const blocker = await post(undefined, { email, first_name: 'Blocker' });
    const conflict = await post(key, { email, first_name: 'Later' });
    expect(stripeError(conflict, 409).code).toBe('resource_already_exists');
    await call({ method: 'DELETE', url: `/api/core/user/${blocker.json().id}` });
    const retry = await post(key, { email, first_name: 'Later' });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().first_name).toBe('Later');
    // schema-invalid requests never reach the store either
    const key2 = randomUUID();
    expect(stripeError(await post(key2, { email: uniqueEmail(), first_name: 'X', bogus: 1 }), 400).code).toBe('parameter_unknown');
    expect((await post(key2, { email: uniqueEmail('ok'), first_name: 'X' })).statusCode).toBe(200);
  });

  it('refuses an unusable key with 400 parameter_invalid on Idempotency-Key', async () => {
    const e = stripeError(await post('k'.repeat(256), { email: uniqueEmail(), first_name: 'A' }), 400);
    expect(e).toMatchObject({ type: 'invalid_request_error', code: 'parameter_invalid', param: 'Idempotency-Key' });
    expect(stripeError(await post('', { email: uniqueEmail(), first_name: 'A' }), 400).param).toBe('Idempotency-Key');
    expect((await post('k'.repeat(255), { email: uniqueEmail('long'), first_name: 'A' })).statusCode).toBe(200);
  });

  it('50 parallel retries of one key make one user; every answer is the first one or 409 in flight', async () => {
    const key = randomUUID();
    const email = uniqueEmail('race');
    const answers = await Promise.all(Array.from({ length: 50 }, () => post(key, { email, first_name: 'Race' })));
    const ok = answers.filter((r) => r.statusCode === 200);
    const busy = answers.filter((r) => r.statusCode !== 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((r) => r.body)).size).toBe(1);
    for (const r of busy) {
      expect(stripeError(r, 409)).toMatchObject({ type: 'idempotency_error', code: 'idempotency_key_in_use' });
    }
    expect(await usersWithEmail(email)).toBe(1);
    if (process.env.OVERPLANE_RACE_REPORT) console.log(`${dialect}: ${ok.length} × 200, ${busy.length} × 409`);
    const after = await post(key, { email, first_name: 'Race' });
    expect(after.body).toBe(ok[0]!.body);
    expect(after.headers['idempotent-replayed']).toBe('true');
  });

  describe('the core service over the real store', () => {
    let nowMs = Date.parse('2031-01-01T00:00:00.000Z');
    const clock = { now: () => new Date(nowMs) };
    const actor = (): Actor => ({ user: t.admin, credential: { kind: 'api_key', id: `cred-${randomUUID()}`, scopes: ['admin'] } });
    const service = () => createIdempotencyService({ store: t.core.store, clock });
    const answer = (n: number): StoredResponse => ({ status: 200, body: `{"n":${n}}` });

    it('answers 409 while the first run is still in progress, then replays it', async () => {
      const idem = service();
      const who = actor();
      const req = { key: 'in-flight', fingerprint: { body: 1 } };
      let open!: () => void;
      const gate = new Promise<void>((r) => {
        open = r;
      });
      const first = idem.run(who, req, async () => {
        await gate;
        return answer(1);
      });
      await new Promise((r) => setTimeout(r, 20));
      await expect(idem.run(who, req, async () => answer(2))).rejects.toMatchObject({ code: 'IDEMPOTENCY_IN_PROGRESS' });
      open();
      expect(await first).toEqual({ ...answer(1), replayed: false });
      expect(await idem.run(who, req, async () => answer(3))).toEqual({ ...answer(1), replayed: true });
    });

    it('keeps a key 24 hours, then runs the request afresh', async () => {
      const idem = service();
      const who = actor();
      const req = { key: 'daily', fingerprint: ['x'] };
      let runs = 0;
      const exec = async () => answer(++runs);
      expect((await idem.run(who, req, exec)).replayed).toBe(false);
      nowMs += 24 * 3600 * 1000 - 1000;
      expect(await idem.run(who, req, exec)).toEqual({ ...answer(1), replayed: true });
      nowMs += 2000;
      expect(await idem.run(who, req, exec)).toEqual({ ...answer(2), replayed: false });
      expect(runs).toBe(2);
    });

    it('lets a retry take over an abandoned in-progress key after its lease', async () => {
      const idem = service();
      const who = actor();
      const scope = `${who.credential.kind}:${who.credential.id}`;
      const req = { key: 'crashed', fingerprint: { a: 1 } };
      // what a process that died mid-request leaves behind
      const createdAt = new Date(nowMs).toISOString();
      expect(
        await t.core.store.idempotency.claim({ scope, key: req.key, requestHash: fingerprintHash(req.fingerprint), createdAt }, '0'),
      ).toBe(true);
      nowMs += 30_000;
      await expect(idem.run(who, req, async () => answer(1))).rejects.toBeInstanceOf(AppError);
      nowMs += 31_000;
      expect(await idem.run(who, req, async () => answer(7))).toEqual({ ...answer(7), replayed: false });
      expect(await idem.run(who, req, async () => answer(8))).toEqual({ ...answer(7), replayed: true });
    });

    it('claims exactly once under concurrent inserts, and purges expired rows', async () => {
      const repo = t.core.store.idempotency;
      const scope = `test:${randomUUID()}`;
      const at = '2020-01-01T00:00:00.000Z';
      const wins = await Promise.all(
        Array.from({ length: 20 }, () => repo.claim({ scope, key: 'k', requestHash: 'h', createdAt: at }, '0')),
      );
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await repo.find(scope, 'k')).toMatchObject({ state: 'in_progress', response: null, requestHash: 'h' });
      await repo.complete(scope, 'k', { status: 201, body: '{}' });
      expect(await repo.find(scope, 'k')).toMatchObject({ state: 'completed', response: { status: 201, body: '{}' } });
      expect(await repo.purgeExpired('2020-01-02T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      expect(await repo.find(scope, 'k')).toBeUndefined();
    });

    it('fingerprints ignore key order but not values', () => {
      expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
      expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: '1' }));
    });
  });
});
