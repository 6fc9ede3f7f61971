import type { Kysely } from 'kysely';
import type { ClientAuthMethod, GrantType, OAuthClient, OAuthScope } from '../../core/oauth/types.ts';
import type { OAuthClientsRepository } from '../../core/ports.ts';
import type { Database, OAuthClientRow } from '../schema.ts';
import { mapUniqueViolation } from '../unique-violation.ts';

function list<T>(text: string): T[] {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

export function rowToOAuthClient(r: OAuthClientRow): OAuthClient {
  return {
    id: r.id,
    uuid: r.uuid,
    clientId: r.client_id,
    name: r.name,
    redirectUris: list<string>(r.redirect_uris),
    grantTypes: list<GrantType>(r.grant_types),
    scopes: list<OAuthScope>(r.scopes),
    tokenEndpointAuthMethod: r.token_endpoint_auth_method as ClientAuthMethod,
    ownerUserId: r.owner_user_id,
    orgId: r.org_id,
    hasSecret: r.secret_hash !== null,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    disabledAt: r.disabled_at,
  };
}

export function oauthClientsRepository(db: Kysely<Database>): OAuthClientsRepository {
  const byNewest = () => db.selectFrom('oauth_clients').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc');
  return {
    async insert(c) {
      const row = await db
        .insertInto('oauth_clients')
        .values({
          uuid: c.uuid,
          client_id: c.clientId,
          secret_hash: c.secretHash,
          name: c.name,
          redirect_uris: JSON.stringify(c.redirectUris),
          grant_types: JSON.stringify(c.grantTypes),
          scopes: JSON.stringify(c.scopes),
          token_endpoint_auth_method: c.tokenEndpointAuthMethod,
          owner_user_id: c.ownerUserId,
          org_id: c.orgId,
          created_by: c.createdBy,
          created_at: c.createdAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
        .catch(mapUniqueViolation);
      return rowToOAuthClient(row);
    },
    async findByUuid(uuid) {
      const row = await db.selectFrom('oauth_clients').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return row ? rowToOAuthClient(row) : undefined;
    },
    async findForAuthentication(clientId) {
      const row = await db
        .selectFrom('oauth_clients')
        .leftJoin('users', 'users.id', 'oauth_clients.owner_user_id')
        .selectAll('oauth_clients')
        .select('users.is_active as owner_active')
        .where('oauth_clients.client_id', '=', clientId)
        .executeTakeFirst();
      if (!row) return undefined;
      const { owner_active, ...client } = row;
      return {
        client: rowToOAuthClient(client),
        secretHash: client.secret_hash,
        ownerActive: client.owner_user_id === null ? null : owner_active === 1,
      };
    },
    listByOwner: async (userId) => (await byNewest().where('owner_user_id', '=', userId).execute()).map(rowToOAuthClient),
    listByOrg: async (orgId) => (await byNewest().where('org_id', '=', orgId).execute()).map(rowToOAuthClient),
    listAll: async () => (await byNewest().execute()).map(rowToOAuthClient),
    async update(id, p) {
      const row = await db
        .updateTable('oauth_clients')
        .set({
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.redirectUris !== undefined ? { redirect_uris: JSON.stringify(p.redirectUris) } : {}),
          ...(p.grantTypes !== undefined ? { grant_types: JSON.stringify(p.grantTypes) } : {}),
          ...(p.scopes !== undefined ? { scopes: JSON.stringify(p.scopes) } : {}),
          ...(p.secretHash !== undefined ? { secret_hash: p.secretHash } : {}),
          ...(p.disabledAt !== undefined ? { disabled_at: p.disabledAt } : {}),
          updated_at: p.updatedAt,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row ? rowToOAuthClient(row) : undefined;
    },
    async delete(id) {
      const r = await db.deleteFrom('oauth_clients').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
