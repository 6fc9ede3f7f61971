import type { Kysely } from 'kysely';
import type { SigningKeysRepository } from '../../core/ports.ts';
import type { Database } from '../schema.ts';

export function signingKeysRepository(db: Kysely<Database>): SigningKeysRepository {
  return {
    async list() {
      const rows = await db.selectFrom('oidc_keys').selectAll().orderBy('created_at', 'desc').orderBy('kid', 'desc').execute();
      return rows.map((r) => ({ kid: r.kid, alg: r.alg, sealed: r.sealed, createdAt: r.created_at, retiredAt: r.retired_at }));
    },
    async insert(k) {
      await db
        .insertInto('oidc_keys')
        .values({ kid: k.kid, alg: k.alg, sealed: k.sealed, created_at: k.createdAt, retired_at: k.retiredAt })
        .execute();
    },
  };
}
