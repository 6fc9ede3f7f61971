import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { actorFor, countingStore, principal } from './helpers.ts';

describe.each(dialects)('groups and roles (core) on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  it('seeds admin, user, worker and the four site roles; the bootstrap admin is in admin', async () => {
    expect((await t.core.groups.list()).map((g) => g.name)).toEqual(['admin', 'user', 'worker']);
    expect((await t.core.roles.list()).map((r) => [r.id, r.name])).toEqual([
      [1, 'Guest'],
      [2, 'Tester'],
      [3, 'Lead'],
      [4, 'Admin'],
    ]);
    expect(await t.core.groups.namesOfUser(t.admin.id)).toEqual(['admin']);
    expect((await actorFor(t, t.adminKey)).groups).toEqual(['admin']);
  });

  it('ensure is idempotent and safe under concurrency', async () => {
    const made = await Promise.all(Array.from({ length: 8 }, () => t.core.groups.ensure('reviewers')));
    expect(new Set(made.map((g) => g.id)).size).toBe(1);
    const role = await Promise.all([t.core.roles.ensure('Auditor'), t.core.roles.ensure('Auditor')]);
    expect(role[0].id).toBe(role[1].id);
    await expect(t.core.groups.ensure('no spaces')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('sets, adds and removes a user’s groups; unknown names change nothing', async () => {
    const { user } = await principal(t);
    await t.core.groups.setUserGroups(user.id, ['user', 'worker']);
    expect(await t.core.groups.namesOfUser(user.id)).toEqual(['user', 'worker']);
    await expect(t.core.groups.setUserGroups(user.id, ['user', 'ghosts'])).rejects.toMatchObject({
      code: 'GROUP_NOT_FOUND',
      message: 'Object with name=ghosts does not exist.',
    });
    expect(await t.core.groups.namesOfUser(user.id)).toEqual(['user', 'worker']);
    await t.core.groups.removeUser(user.id, 'worker');
    await t.core.groups.addUser(user.id, 'user');
    expect(await t.core.groups.namesOfUser(user.id)).toEqual(['user']);
  });

  it('ofUsers returns every user’s groups in one query; getMany the roles in one', async () => {
    const a = await principal(t);
    const b = await principal(t);
    await t.core.groups.setUserGroups(a.user.id, ['worker', 'user']);
    const counted = countingStore(t);
    const map = await counted.store.groups.ofUsers([a.user.id, b.user.id, a.user.id]);
    expect(counted.queries()).toBe(1);
    expect(map.get(a.user.id)?.map((g) => g.name)).toEqual(['user', 'worker']);
    expect(map.get(b.user.id)).toEqual([]);
    const roles = await counted.store.roles.getMany([4, 2, 4, 999]);
    expect(counted.queries()).toBe(2);
    expect(roles.map((r) => r.name)).toEqual(['Tester', 'Admin']);
  });

  // One join on PostgreSQL (one round trip); on SQLite two point reads (key by hash, owner with
  // groups), which cost a third of the join there (src/storage/repositories/api-keys.repository.ts).
  const authQueries = dialect === 'postgres' ? 1 : 2;

  it('authenticating an API key (every /me) costs a fixed query or two, groups included', async () => {
    const p = await principal(t);
    await t.core.groups.setUserGroups(p.user.id, ['user', 'worker']);
    const counted = countingStore(t);
    const core = createCore(counted.store, t.core.settings);
    await core.authenticate(p.key); // the first use also records last_used_at (once a minute)
    await new Promise((r) => setTimeout(r, 20));
    const before = counted.queries();
    const outcome = await core.authenticate(p.key);
    expect(counted.queries() - before).toBe(authQueries);
    expect(outcome.ok && [...(outcome.actor.groups ?? [])].sort()).toEqual(['user', 'worker']);
    // a verifier that does not read groups gets them filled once
    core.verifiers.unshift(async (secret) =>
      secret === 'session-x'
        ? { ok: true, actor: { user: p.user, credential: { kind: 'session', id: 's', scopes: ['read'] } } }
        : undefined,
    );
    const viaSession = await core.authenticate('session-x');
    expect(viaSession.ok && viaSession.actor.groups).toEqual(['user', 'worker']);
  });

  it('only admins manage groups', async () => {
    const p = await principal(t);
    await expect(t.core.groups.createAs(p.actor, 'mine')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.core.groups.setUserGroupsAs(p.actor, p.user.id, ['admin'])).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const admin = await actorFor(t, t.adminKey);
    expect((await t.core.groups.createAs(admin, 'mine')).name).toBe('mine');
    await expect(t.core.groups.createAs(admin, 'mine')).rejects.toMatchObject({ code: 'NAME_TAKEN' });
    const admins = (await t.core.groups.list()).find((g) => g.name === 'admin')!;
    await expect(t.core.groups.deleteAs(admin, admins.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
