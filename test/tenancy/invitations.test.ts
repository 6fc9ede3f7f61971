import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/ids.ts';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { dialects } from '../helpers/dialects.ts';
import { orgWith, principal } from './helpers.ts';

describe.each(dialects)('invitations (core) on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(dialect);
  });
  afterAll(async () => t?.close());

  const tokenHashes = async () => {
    const db = t.runtime.handle.db;
    return (await db.selectFrom('invitations').select(['token_hash', 'email']).execute()).map((r) => r.token_hash);
  };

  it('stores only the SHA-256 of a ≥128-bit token returned once', async () => {
    const { org, owner } = await orgWith(t);
    const { invitation, token } = await t.core.invitations.create(owner.actor, org.id, { email: ' New@Example.COM ', role: 'worker' });
    expect(token).toMatch(/^rsi_[0-9A-Za-z]{32}$/);
    expect(invitation.email).toBe('new@example.com');
    const hashes = await tokenHashes();
    expect(hashes).toContain(sha256Hex(token));
    expect(hashes.join()).not.toContain(token);
    expect(JSON.stringify(await t.core.invitations.list(owner.actor, org.id))).not.toContain(token);
  });

  it('accepts once for the invited email, creating the membership with the invited role', async () => {
    const { org, owner } = await orgWith(t);
    const invitee = await principal(t);
    const stranger = await principal(t);
    const { token } = await t.core.invitations.create(owner.actor, org.id, { email: invitee.user.email, role: 'supervisor' });
    await expect(t.core.invitations.accept(stranger.actor, token)).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    const m = await t.core.invitations.accept(invitee.actor, token);
    expect(m).toMatchObject({ userId: invitee.user.id, orgId: org.id, role: 'supervisor', isActive: true, invitedBy: owner.user.id });
    await expect(t.core.invitations.accept(invitee.actor, token)).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    await expect(t.core.invitations.accept(invitee.actor, 'rsi_unknown0000000000000000000000000')).rejects.toMatchObject({
      code: 'INVITATION_NOT_FOUND',
    });
  });

  it('16 concurrent accepts of one token → exactly one membership', async () => {
    const { org, owner } = await orgWith(t);
    const invitee = await principal(t);
    const { token } = await t.core.invitations.create(owner.actor, org.id, { email: invitee.user.email, role: 'worker' });
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => t.core.invitations.accept(invitee.actor, token)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    expect((await t.core.memberships.listByOrg(org.id)).filter((m) => m.user.id === invitee.user.id)).toHaveLength(1);
  });

  it('16 concurrent redeems (invite registration) → exactly one', async () => {
    const { org, owner } = await orgWith(t);
    const { token } = await t.core.invitations.create(owner.actor, org.id, { email: 'later@example.com', role: 'maintainer' });
    expect(await t.core.invitations.redeem(token, 'other@example.com')).toBeUndefined();
    expect(await t.core.invitations.peek(token)).toMatchObject({ email: 'later@example.com' });
    const results = await Promise.all(Array.from({ length: 16 }, () => t.core.invitations.redeem(token, 'LATER@example.com')));
    const won = results.filter((r) => r !== undefined);
    expect(won).toEqual([{ orgId: org.id, role: 'maintainer', invitedBy: owner.user.id }]);
    expect(await t.core.invitations.peek(token)).toBeUndefined();
  });

  it('revoke and expiry end a token; resend issues a new one and kills the old', async () => {
    const { org, owner } = await orgWith(t);
    const invitee = await principal(t);
    const first = await t.core.invitations.create(owner.actor, org.id, { email: invitee.user.email, role: 'worker' });
    await expect(t.core.invitations.create(owner.actor, org.id, { email: invitee.user.email, role: 'worker' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    const again = await t.core.invitations.resend(owner.actor, org.id, first.invitation.uuid);
    expect(again.token).not.toBe(first.token);
    await expect(t.core.invitations.accept(invitee.actor, first.token)).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    await t.core.invitations.revoke(owner.actor, org.id, first.invitation.uuid);
    await expect(t.core.invitations.accept(invitee.actor, again.token)).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
    await expect(t.core.invitations.resend(owner.actor, org.id, first.invitation.uuid)).rejects.toMatchObject({
      code: 'INVITATION_NOT_FOUND',
    });
    // expiry: move the row's expiry into the past
    const late = await t.core.invitations.create(owner.actor, org.id, { email: invitee.user.email, role: 'worker' });
    await t.runtime.handle.db
      .updateTable('invitations')
      .set({ expires_at: '2000-01-01T00:00:00.000Z' })
      .where('uuid', '=', late.invitation.uuid)
      .execute();
    await expect(t.core.invitations.accept(invitee.actor, late.token)).rejects.toMatchObject({ code: 'INVITATION_NOT_FOUND' });
  });

  it('maintainers invite up to maintainer; workers not at all; foreign organizations are ORG_NOT_FOUND', async () => {
    const { org, members } = await orgWith(t, ['maintainer', 'worker']);
    const [maintainer, worker] = [members[0]!, members[1]!];
    await expect(t.core.invitations.create(maintainer.actor, org.id, { email: 'o@example.com', role: 'owner' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await t.core.invitations.create(maintainer.actor, org.id, { email: 'm@example.com', role: 'maintainer' })).token).toBeTruthy();
    await expect(t.core.invitations.create(worker.actor, org.id, { email: 'w@example.com', role: 'worker' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    const b = await orgWith(t);
    await expect(t.core.invitations.create(maintainer.actor, b.org.id, { email: 'x@example.com', role: 'worker' })).rejects.toMatchObject({
      code: 'ORG_NOT_FOUND',
    });
    await expect(t.core.invitations.create(maintainer.actor, org.id, { email: 'nope', role: 'worker' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(t.core.invitations.create(maintainer.actor, org.id, { email: 'a@example.com', role: 'boss' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });
});
