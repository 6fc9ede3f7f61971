/** The batch read behind a list's `api_key`: newest active key per user, one query, both databases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../helpers/app.ts';
import { dialects } from '../../helpers/dialects.ts';
import { uniqueEmail } from './helpers.ts';

describe.each(dialects)('ApiKeysRepository.newestActiveForUsers on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('agrees with newestActive for users with no, one, revoked, expired and several keys', async () => {
    const repo = t.core.store.apiKeys;
    const now = new Date().toISOString();
    const past = new Date(Date.now() - 60_000).toISOString();
    const none = (await t.core.users.createTrusted({ email: uniqueEmail('none') })).id;
    const one = (await t.newUser({ email: uniqueEmail('one') })).user;
    const revoked = (await t.newUser({ email: uniqueEmail('rev') })).user;
    for (const k of await repo.listByUser(revoked.id)) await repo.revoke(k.id, now);
    const expired = (await t.newUser({ email: uniqueEmail('exp') })).user;
    for (const k of await repo.listByUser(expired.id)) await repo.setExpiry(k.id, past);
    const several = (await t.newUser({ email: uniqueEmail('sev') })).user;
    // two keys with the same created_at: the higher id is the newer
    const sameTime = new Date(Date.now() + 1000).toISOString();
    for (const name of ['a', 'b']) {
      await repo.insert({
        uuid: crypto.randomUUID(),
        userId: several.id,
        name,
        prefix: `rst_same${name}000`,
        secretHash: `${name}${crypto.randomUUID()}`,
        scopes: ['read'],
        expiresAt: null,
        createdAt: sameTime,
        createdBy: null,
      });
    }
    const ids = [none, one.id, revoked.id, expired.id, several.id, one.id, 999_999];
    const batch = await repo.newestActiveForUsers(ids, now);
    for (const id of new Set(ids)) {
      expect(batch.get(id)?.uuid, String(id)).toBe((await repo.newestActive(id, now))?.uuid);
    }
    expect([...batch.keys()].sort()).toEqual([one.id, several.id].sort());
    expect(batch.get(several.id)?.prefix).toBe('rst_sameb000');
    expect((await repo.newestActiveForUsers([], now)).size).toBe(0);
  });
});
