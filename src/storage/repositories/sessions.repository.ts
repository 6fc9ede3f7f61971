import type { Kysely } from 'kysely';
import type { Session, SessionsRepository } from '../../core/ports.ts';
import { rowToUser } from '../mappers.ts';
import { precompiled } from '../precompiled.ts';
import type { Database, SessionRow, UserRow } from '../schema.ts';

const sessionColumns = [
  'id',
  'uuid',
  'user_id',
  'token_hash',
  'created_at',
  'last_seen_at',
  'idle_expires_at',
  'expires_at',
  'revoked_at',
  'user_agent',
  'ip',
] as const;

// Kept beside its only user rather than in mappers.ts: the token hash never leaves this file.
function rowToSession(r: SessionRow): Session {
  return {
    id: r.id,
    uuid: r.uuid,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    idleExpiresAt: r.idle_expires_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    userAgent: r.user_agent,
    ip: r.ip,
  };
}

export function sessionsRepository(db: Kysely<Database>): SessionsRepository {
  // One indexed read (token_hash is unique) for the session and its owner, compiled once: it
  // runs on every cookie- or token-authenticated request.
  const byTokenHash = precompiled(db, (d) =>
    d
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(sessionColumns.map((c) => `sessions.${c} as s_${c}` as const))
      .where('sessions.token_hash', '=', ''),
  );
  return {
    async insert(s) {
      const row = await db
        .insertInto('sessions')
        .values({
          uuid: s.uuid,
          user_id: s.userId,
          token_hash: s.tokenHash,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          idle_expires_at: s.idleExpiresAt,
          expires_at: s.expiresAt,
          user_agent: s.userAgent,
          ip: s.ip,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToSession(row);
    },
    async findByTokenHash(hash) {
      const [row] = await byTokenHash([hash]);
      if (!row) return undefined;
      const r = row as unknown as Record<string, unknown>;
      const sessionRow = Object.fromEntries(sessionColumns.map((c) => [c, r[`s_${c}`]])) as unknown as SessionRow;
      return { session: rowToSession(sessionRow), user: rowToUser(row as unknown as UserRow) };
    },
    async findByUuid(uuid) {
      const row = await db.selectFrom('sessions').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return row ? rowToSession(row) : undefined;
    },
    async listActive(userId, now) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        .where('idle_expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .execute();
      return rows.map(rowToSession);
    },
    async touch(id, at, idleExpiresAt, notAfter) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: at, idle_expires_at: idleExpiresAt })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .where('last_seen_at', '<', notAfter)
        .execute();
    },
    async revoke(id, at) {
      const r = await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async revokeAllForUser(userId, at, exceptId) {
      let q = db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .where('idle_expires_at', '>', at);
      if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async deleteInactive(userId, now) {
      const r = await db
        .deleteFrom('sessions')
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('revoked_at', 'is not', null), eb('expires_at', '<=', now), eb('idle_expires_at', '<=', now)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
