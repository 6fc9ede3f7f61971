/**
 * OAuth 2.0 / OpenID Connect (issue 5): registered clients, the provider's own records
 * (oidc-provider's adapter models: grants, codes, tokens, sessions, interactions) and its signing
 * keys. A service account has no email, so the email uniqueness index skips the empty string.
 */
import { type Kysely, sql } from 'kysely';
import { autoId, type MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const id = autoId(ctx);
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema
    .createTable('oauth_clients')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull().unique())
    .addColumn('client_id', text, (c) => c.notNull().unique())
    // SHA-256 (hex) of the secret; null for public clients (PKCE only)
    .addColumn('secret_hash', text)
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('redirect_uris', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('grant_types', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('scopes', text, (c) => c.notNull().defaultTo('[]'))
    .addColumn('token_endpoint_auth_method', text, (c) => c.notNull())
    // a service account's client (client credentials act as it) …
    .addColumn('owner_user_id', int, (c) => c.references('users.id').onDelete('cascade'))
    // … or an application client registered for an organization (null: site-wide, admins only)
    .addColumn('org_id', int, (c) => c.references('organizations.id').onDelete('cascade'))
    .addColumn('created_by', int)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text)
    .addColumn('disabled_at', text)
    .execute();
  await db.schema.createIndex('oauth_clients_owner_idx').on('oauth_clients').column('owner_user_id').execute();
  await db.schema.createIndex('oauth_clients_org_idx').on('oauth_clients').column('org_id').execute();

  await db.schema
    .createTable('oidc_payloads')
    // SHA-256 of the provider's id: for tokens and codes the id *is* the bearer value, so a
    // leaked table holds nothing usable
    .addColumn('id_hash', text, (c) => c.notNull())
    .addColumn('model', text, (c) => c.notNull())
    .addColumn('payload', text, (c) => c.notNull())
    .addColumn('grant_id', text)
    .addColumn('user_code', text)
    .addColumn('uid', text)
    .addColumn('client_id', text)
    // the principal a token acts as (the account, or a client-credentials client's service account)
    .addColumn('user_id', int)
    .addColumn('expires_at', text)
    .addColumn('consumed_at', text)
    .addPrimaryKeyConstraint('oidc_payloads_pkey', ['id_hash', 'model'])
    .execute();
  await db.schema.createIndex('oidc_payloads_grant_idx').on('oidc_payloads').column('grant_id').execute();
  await db.schema.createIndex('oidc_payloads_uid_idx').on('oidc_payloads').column('uid').execute();
  await db.schema.createIndex('oidc_payloads_user_code_idx').on('oidc_payloads').column('user_code').execute();
  await db.schema.createIndex('oidc_payloads_expires_idx').on('oidc_payloads').column('expires_at').execute();
  await db.schema.createIndex('oidc_payloads_client_idx').on('oidc_payloads').column('client_id').execute();

  await db.schema
    .createTable('oidc_keys')
    .addColumn('kid', text, (c) => c.primaryKey())
    .addColumn('alg', text, (c) => c.notNull())
    // the private JWK, AES-256-GCM sealed (see src/oidc/keys.ts)
    .addColumn('sealed', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('retired_at', text)
    .execute();

  await sql`drop index users_email_key`.execute(db);
  await sql`create unique index users_email_key on users (lower(email)) where email <> ''`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index users_email_key`.execute(db);
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);
  await db.schema.dropTable('oidc_keys').ifExists().execute();
  await db.schema.dropTable('oidc_payloads').ifExists().execute();
  await db.schema.dropTable('oauth_clients').ifExists().execute();
}
