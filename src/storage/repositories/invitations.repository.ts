import { type Kysely, sql } from 'kysely';
import type { InvitationsRepository } from '../../core/ports.ts';
import type { Database } from '../schema.ts';
import { rowToInvitation } from '../tenancy-mappers.ts';

export function invitationsRepository(db: Kysely<Database>): InvitationsRepository {
  const pending = (now: string) =>
    db.selectFrom('invitations').selectAll().where('accepted_at', 'is', null).where('revoked_at', 'is', null).where('expires_at', '>', now);
  return {
    async insert(inv) {
      const row = await db
        .insertInto('invitations')
        .values({
          uuid: inv.uuid,
          org_id: inv.orgId,
          email: inv.email,
          role: inv.role,
          token_hash: inv.tokenHash,
          expires_at: inv.expiresAt,
          created_by: inv.createdBy,
          created_at: inv.createdAt,
          accepted_at: inv.acceptedAt,
          revoked_at: inv.revokedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToInvitation(row);
    },
    async findByUuid(uuid) {
      const row = await db.selectFrom('invitations').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return row ? rowToInvitation(row) : undefined;
    },
    async listPending(orgId, now) {
      const rows = await pending(now).where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
      return rows.map(rowToInvitation);
    },
    async findPending(orgId, email, now) {
      const row = await pending(now).where('org_id', '=', orgId).where('email', '=', email).executeTakeFirst();
      return row ? rowToInvitation(row) : undefined;
    },
    async findPendingByToken(tokenHash, now) {
      const row = await pending(now).where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? rowToInvitation(row) : undefined;
    },
    async consume(tokenHash, email, now) {
      // One conditional UPDATE: PostgreSQL re-checks the WHERE clause on the locked row, SQLite
      // runs one writer at a time, so of concurrent redemptions exactly one matches.
      let q = db
        .updateTable('invitations')
        .set({ accepted_at: now })
        .where('token_hash', '=', tokenHash)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now);
      if (email !== undefined) q = q.where(sql`lower(email)`, '=', email.trim().toLowerCase());
      const row = await q.returningAll().executeTakeFirst();
      return row ? rowToInvitation(row) : undefined;
    },
    async revoke(id, at) {
      const r = await db
        .updateTable('invitations')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async replaceToken(id, tokenHash, expiresAt) {
      const r = await db
        .updateTable('invitations')
        .set({ token_hash: tokenHash, expires_at: expiresAt })
        .where('id', '=', id)
        .where('accepted_at', 'is', null)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
