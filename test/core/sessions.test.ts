/** Sessions in core: hashed tokens, idle and absolute expiry, revocation, owner deactivation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/actor.ts';
import { AppError } from '../../src/core/errors.ts';
import { sha256Hex } from '../../src/core/ids.ts';
import type { User } from '../../src/core/users/users.types.ts';
import { buildTestCore, type TestCore } from '../helpers/core.ts';
import { dialects } from '../helpers/dialects.ts';

let n = 0;

describe.each(dialects)('sessions core on %s', (dialect) => {
  let t: TestCore;
  const newUser = () => {
    n += 1;
    return t.core.users.createTrusted({ email: `s${n}${Date.now()}@example.com` });
  };
  const actorFor = (user: User, id: string): Actor => ({ user, credential: { kind: 'session', id, scopes: ['read', 'write', 'admin'] } });

  beforeAll(async () => {
    t = await buildTestCore(dialect, { sessionIdleMinutes: 60, sessionMaxHours: 24 });
  });
  afterAll(async () => t?.close());

  it('hands out a ≥128-bit token once and keeps only its SHA-256', async () => {
    const user = await newUser();
    const { session, token } = await t.core.sessions.start(user, { ip: '127.0.0.1', userAgent: 'vitest' });
    expect(token).toMatch(/^rss_[A-Za-z0-9]{43}$/);
    const row = await t.handle.db.selectFrom('sessions').selectAll().where('uuid', '=', session.uuid).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(4));
    expect(row).toMatchObject({ ip: '127.0.0.1', user_agent: 'vitest', revoked_at: null });
    const outcome = await t.core.authenticate(token);
    expect(outcome).toMatchObject({ ok: true, actor: { user: { id: user.id }, credential: { kind: 'session', id: session.uuid } } });
  });

  it('ends after the idle timeout unless used, and at the absolute expiry however used', async () => {
    const user = await newUser();
    const { token, session } = await t.core.sessions.start(user);
    const idle = await t.core.sessions.start(user);
    // The idle expiry moves in a fire-and-forget write: wait until the row shows this use.
    const touched = async () => {
      const now = t.clock.now().toISOString();
      for (let tries = 0; tries < 200; tries++) {
        const row = await t.handle.db
          .selectFrom('sessions')
          .select('last_seen_at')
          .where('uuid', '=', session.uuid)
          .executeTakeFirstOrThrow();
        if (row.last_seen_at === now) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error('session was not touched');
    };
    for (let i = 0; i < 23; i++) {
      t.clock.advance(59 * 60);
      expect(await t.core.sessions.verify(token), `hour ${i}`).toBeDefined();
      await touched();
    }
    expect(await t.core.sessions.verify(idle.token)).toBeUndefined();
    t.clock.advance(60 * 60);
    expect(await t.core.sessions.verify(token)).toBeUndefined();
    expect(await t.core.authenticate(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('answers inactive for a deactivated owner, on the very next request', async () => {
    const user = await newUser();
    const { token } = await t.core.sessions.start(user);
    await t.core.users.updateTrusted(user, { isActive: false });
    expect(await t.core.authenticate(token)).toEqual({ ok: false, reason: 'inactive' });
  });

  it("lists and revokes only the caller's own live sessions", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const a = await t.core.sessions.start(user);
    const b = await t.core.sessions.start(user);
    const theirs = await t.core.sessions.start(stranger);
    const me = actorFor(user, a.session.uuid);
    expect((await t.core.sessions.list(me)).map((s) => s.uuid).sort()).toEqual([a.session.uuid, b.session.uuid].sort());
    await expect(t.core.sessions.revoke(me, theirs.session.uuid)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.core.sessions.verify(theirs.token)).toBeDefined();
    await t.core.sessions.revoke(me, b.session.uuid);
    expect(await t.core.sessions.verify(b.token)).toBeUndefined();
    await t.core.sessions.end(me);
    expect(await t.core.sessions.verify(a.token)).toBeUndefined();
    const keyActor: Actor = { user, credential: { kind: 'api_key', id: 'k', scopes: ['read', 'write'] } };
    await expect(t.core.sessions.end(keyActor)).rejects.toBeInstanceOf(AppError);
  });

  it('logout everywhere ends every session; a new login prunes dead rows', async () => {
    const user = await newUser();
    const tokens = await Promise.all([1, 2, 3].map(() => t.core.sessions.start(user)));
    expect(await t.core.sessions.endAll(actorFor(user, tokens[0]?.session.uuid ?? ''))).toBe(3);
    for (const s of tokens) expect(await t.core.sessions.verify(s.token)).toBeUndefined();
    await t.core.sessions.start(user);
    const rows = await t.handle.db.selectFrom('sessions').select('revoked_at').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([{ revoked_at: null }]);
  });

  it('ignores tokens that are not session tokens without a query, and refuses forged ones', async () => {
    expect(await t.core.sessions.verify('rst_notasession_key')).toBeUndefined();
    expect(await t.core.sessions.verify(`rss_${'A'.repeat(43)}`)).toBeUndefined();
    expect(await t.core.authenticate(`rss_${'A'.repeat(43)}`)).toEqual({ ok: false, reason: 'invalid' });
  });
});
