/**
 * oidc-provider's records (the adapter's models) in one table, keyed by (SHA-256 of the id,
 * model). The principal a token acts as is resolved once, when the token is written, into
 * `user_id`, so verifying a bearer token is one primary-key read joined to its user and client.
 */
import type { Kysely } from 'kysely';
import type { AccessTokenRecord } from '../../core/oauth/types.ts';
import type { ProviderRecordsRepository } from '../../core/ports.ts';
import { rowToUser } from '../mappers.ts';
import type { Database, UserRow } from '../schema.ts';

const tokenModels = ['AccessToken', 'ClientCredentials'] as const;

export function providerRecordsRepository(db: Kysely<Database>): ProviderRecordsRepository {
  const stored = (q: ReturnType<typeof select>) => q.executeTakeFirst();
  const select = () => db.selectFrom('oidc_payloads').select(['payload', 'expires_at', 'consumed_at']);
  const out = (r: { payload: string; expires_at: string | null; consumed_at: string | null } | undefined) =>
    r ? { payload: r.payload, expiresAt: r.expires_at, consumedAt: r.consumed_at } : undefined;

  return {
    async upsert(r) {
      const values = {
        id_hash: r.idHash,
        model: r.model,
        payload: r.payload,
        grant_id: r.grantId,
        user_code: r.userCode,
        uid: r.uid,
        client_id: r.clientId,
        expires_at: r.expiresAt,
      };
      await db
        .insertInto('oidc_payloads')
        .values((eb) => ({
          ...values,
          // Client credentials act as the client's service account; other tokens as their account.
          user_id:
            r.model === 'ClientCredentials' && r.clientId !== null
              ? eb.selectFrom('oauth_clients').select('owner_user_id').where('client_id', '=', r.clientId)
              : r.accountUuid !== null
                ? eb.selectFrom('users').select('id').where('uuid', '=', r.accountUuid)
                : null,
        }))
        .onConflict((oc) => oc.columns(['id_hash', 'model']).doUpdateSet({ payload: r.payload, expires_at: r.expiresAt }))
        .execute();
    },
    find: async (model, idHash) => out(await stored(select().where('id_hash', '=', idHash).where('model', '=', model))),
    findByUid: async (model, uid) => out(await stored(select().where('uid', '=', uid).where('model', '=', model))),
    findByUserCode: async (model, userCode) => out(await stored(select().where('user_code', '=', userCode).where('model', '=', model))),
    async consume(model, idHash, at) {
      const r = await db
        .updateTable('oidc_payloads')
        .set({ consumed_at: at })
        .where('id_hash', '=', idHash)
        .where('model', '=', model)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async destroy(model, idHash) {
      await db.deleteFrom('oidc_payloads').where('id_hash', '=', idHash).where('model', '=', model).execute();
    },
    async revokeByGrantId(grantId) {
      await db.deleteFrom('oidc_payloads').where('grant_id', '=', grantId).execute();
    },
    async revokeByClientId(clientId) {
      await db.deleteFrom('oidc_payloads').where('client_id', '=', clientId).execute();
    },
    async findAccessToken(idHash) {
      // The API-key lookup's shape: token, principal and the principal's groups in one read.
      const rows = await db
        .selectFrom('oidc_payloads')
        .innerJoin('users', 'users.id', 'oidc_payloads.user_id')
        .innerJoin('oauth_clients', 'oauth_clients.client_id', 'oidc_payloads.client_id')
        .leftJoin('user_groups', 'user_groups.user_id', 'users.id')
        .leftJoin('groups', 'groups.id', 'user_groups.group_id')
        .selectAll('users')
        .select([
          'oidc_payloads.model as t_model',
          'oidc_payloads.payload as t_payload',
          'oidc_payloads.expires_at as t_expires_at',
          'oauth_clients.uuid as c_uuid',
          'oauth_clients.disabled_at as c_disabled_at',
          'groups.name as g_name',
        ])
        .where('oidc_payloads.id_hash', '=', idHash)
        .where('oidc_payloads.model', 'in', tokenModels)
        .execute();
      const row = rows[0];
      if (!row) return undefined;
      let scope = '';
      try {
        const payload = JSON.parse(row.t_payload) as { scope?: unknown };
        if (typeof payload.scope === 'string') scope = payload.scope;
      } catch {
        return undefined;
      }
      const record: AccessTokenRecord = {
        model: row.t_model as AccessTokenRecord['model'],
        scope,
        expiresAt: row.t_expires_at,
        clientUuid: row.c_uuid,
        clientDisabledAt: row.c_disabled_at,
        user: rowToUser(row as unknown as UserRow),
        groups: rows.map((g) => g.g_name).filter((n): n is string => n !== null),
      };
      return record;
    },
    async purgeExpired(before) {
      const r = await db.deleteFrom('oidc_payloads').where('expires_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
