/**
 * Idempotency-Key bookkeeping over `idempotency_keys` (primary key (scope, key)). The claim is an
 * `insert … on conflict do nothing`: of any number of concurrent retries exactly one inserts, on
 * SQLite and PostgreSQL alike, without a read-then-write race.
 */
import type { Kysely } from 'kysely';
import type { IdempotencyEntry, IdempotencyRepository } from '../../core/ports.ts';
import type { Database } from '../schema.ts';

const IN_PROGRESS = 'in_progress';
const COMPLETED = 'completed';

export function idempotencyRepository(db: Kysely<Database>): IdempotencyRepository {
  return {
    async claim(entry, expiredBefore) {
      await db
        .deleteFrom('idempotency_keys')
        .where('scope', '=', entry.scope)
        .where('key', '=', entry.key)
        .where('created_at', '<', expiredBefore)
        .execute();
      const inserted = await db
        .insertInto('idempotency_keys')
        .values({
          scope: entry.scope,
          key: entry.key,
          request_hash: entry.requestHash,
          state: IN_PROGRESS,
          status_code: null,
          response_body: null,
          created_at: entry.createdAt,
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst();
      return inserted !== undefined;
    },
    async find(scope, key) {
      const row = await db.selectFrom('idempotency_keys').selectAll().where('scope', '=', scope).where('key', '=', key).executeTakeFirst();
      if (!row) return undefined;
      const completed = row.state === COMPLETED && row.status_code !== null && row.response_body !== null;
      const entry: IdempotencyEntry = {
        scope: row.scope,
        key: row.key,
        requestHash: row.request_hash,
        state: completed ? 'completed' : 'in_progress',
        response: completed ? { status: row.status_code as number, body: row.response_body as string } : null,
        createdAt: row.created_at,
      };
      return entry;
    },
    async complete(scope, key, response) {
      await db
        .updateTable('idempotency_keys')
        .set({ state: COMPLETED, status_code: response.status, response_body: response.body })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', IN_PROGRESS)
        .execute();
    },
    async release(scope, key) {
      await db.deleteFrom('idempotency_keys').where('scope', '=', scope).where('key', '=', key).where('state', '=', IN_PROGRESS).execute();
    },
    async takeOver(scope, key, previousCreatedAt, now) {
      const r = await db
        .updateTable('idempotency_keys')
        .set({ created_at: now })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .where('state', '=', IN_PROGRESS)
        .where('created_at', '=', previousCreatedAt)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async purgeExpired(before) {
      const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
