/**
 * The first schema: every canonical user field of DESIGN §3, so no surface needs a user migration,
 * plus tenancy, credentials, idempotency and audit tables. Portable DDL only; the one difference
 * between the databases (how an auto-increment key is declared) goes through `autoId`.
 */
import { type Kysely, sql } from 'kysely';
import { autoId, type MigrationContext } from './context.ts';

export async function up(db: Kysely<unknown>, ctx: MigrationContext): Promise<void> {
  const id = autoId(ctx);
  const text = 'text' as const;
  const int = 'integer' as const;

  await db.schema
    .createTable('users')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull())
    .addColumn('ref', text, (c) => c.notNull())
    .addColumn('username', text, (c) => c.notNull())
    .addColumn('email', text, (c) => c.notNull())
    .addColumn('first_name', text, (c) => c.notNull().defaultTo(''))
    .addColumn('middle_name', text, (c) => c.notNull().defaultTo(''))
    .addColumn('last_name', text, (c) => c.notNull().defaultTo(''))
    .addColumn('display_name', text, (c) => c.notNull().defaultTo(''))
    .addColumn('avatar_url', text)
    .addColumn('company', text)
    .addColumn('job_title', text)
    .addColumn('timezone', text)
    .addColumn('language', text)
    .addColumn('date_format', text)
    .addColumn('time_format', text)
    .addColumn('gender', text)
    .addColumn('phone', text)
    .addColumn('mobile_no', text)
    .addColumn('birth_date', text)
    .addColumn('signature_image', text)
    .addColumn('user_type', text, (c) => c.notNull().defaultTo('System User'))
    .addColumn('metadata', text, (c) => c.notNull().defaultTo('{}'))
    .addColumn('password_hash', text)
    .addColumn('password_expired', int, (c) => c.notNull().defaultTo(0))
    .addColumn('is_active', int, (c) => c.notNull().defaultTo(1))
    .addColumn('is_staff', int, (c) => c.notNull().defaultTo(0))
    .addColumn('is_superuser', int, (c) => c.notNull().defaultTo(0))
    .addColumn('is_service_account', int, (c) => c.notNull().defaultTo(0))
    .addColumn('service_org_id', int)
    .addColumn('oauth_provider', text)
    .addColumn('oauth_id', text)
    .addColumn('is_onboarded', int, (c) => c.notNull().defaultTo(0))
    .addColumn('tfa_enabled', int, (c) => c.notNull().defaultTo(0))
    .addColumn('role_id', int)
    .addColumn('last_login_at', text)
    .addColumn('last_active_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text)
    .addColumn('created_by', int)
    .addColumn('updated_by', int)
    .execute();
  // Unique names are matched by storage to map violations onto EMAIL_TAKEN and friends.
  await sql`create unique index users_email_key on users (lower(email))`.execute(db);
  await sql`create unique index users_username_key on users (lower(username))`.execute(db);
  await db.schema.createIndex('users_uuid_key').unique().on('users').column('uuid').execute();
  await db.schema.createIndex('users_ref_key').unique().on('users').column('ref').execute();
  await db.schema.createIndex('users_mobile_no_key').unique().on('users').column('mobile_no').execute();
  await db.schema.createIndex('users_created_at_idx').on('users').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('users_first_name_idx').on('users').columns(['first_name', 'id']).execute();
  await db.schema.createIndex('users_last_name_idx').on('users').columns(['last_name', 'id']).execute();
  await db.schema.createIndex('users_is_active_idx').on('users').columns(['is_active', 'id']).execute();
  await db.schema.createIndex('users_service_org_idx').on('users').column('service_org_id').execute();

  await db.schema
    .createTable('organizations')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull().unique())
    .addColumn('slug', text, (c) => c.notNull())
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('created_by', int)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text)
    .execute();
  await sql`create unique index organizations_slug_key on organizations (lower(slug))`.execute(db);

  await db.schema
    .createTable('memberships')
    .addColumn('id', id.type, id.build)
    .addColumn('user_id', int, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('org_id', int, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('is_active', int, (c) => c.notNull().defaultTo(1))
    .addColumn('joined_at', text, (c) => c.notNull())
    .addColumn('invited_by', int)
    .execute();
  await db.schema.createIndex('memberships_user_org_key').unique().on('memberships').columns(['user_id', 'org_id']).execute();
  await db.schema.createIndex('memberships_org_user_idx').on('memberships').columns(['org_id', 'user_id']).execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull().unique())
    .addColumn('org_id', int, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('email', text, (c) => c.notNull())
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('created_by', int)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('accepted_at', text)
    .addColumn('revoked_at', text)
    .execute();

  await db.schema
    .createTable('projects')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull().unique())
    .addColumn('org_id', int, (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('created_by', int)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('updated_at', text)
    .execute();
  await db.schema.createIndex('projects_org_idx').on('projects').column('org_id').execute();

  await db.schema
    .createTable('project_members')
    .addColumn('id', id.type, id.build)
    .addColumn('project_id', int, (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('user_id', int, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', text, (c) => c.notNull())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('project_members_project_user_key')
    .unique()
    .on('project_members')
    .columns(['project_id', 'user_id'])
    .execute();
  await db.schema.createIndex('project_members_user_idx').on('project_members').column('user_id').execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', id.type, id.build)
    .addColumn('name', text, (c) => c.notNull().unique())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('user_groups')
    .addColumn('user_id', int, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('group_id', int, (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_groups_pkey', ['user_id', 'group_id'])
    .execute();
  await db.schema.createIndex('user_groups_group_idx').on('user_groups').columns(['group_id', 'user_id']).execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', id.type, id.build)
    .addColumn('name', text, (c) => c.notNull().unique())
    .addColumn('created_at', text, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull().unique())
    .addColumn('user_id', int, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', text, (c) => c.notNull())
    .addColumn('prefix', text, (c) => c.notNull())
    .addColumn('secret_hash', text, (c) => c.notNull().unique())
    .addColumn('scopes', text, (c) => c.notNull())
    .addColumn('expires_at', text)
    .addColumn('last_used_at', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('created_by', int)
    .addColumn('revoked_at', text)
    .execute();
  await db.schema.createIndex('api_keys_user_idx').on('api_keys').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', id.type, id.build)
    .addColumn('uuid', text, (c) => c.notNull().unique())
    .addColumn('user_id', int, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', text, (c) => c.notNull().unique())
    .addColumn('created_at', text, (c) => c.notNull())
    .addColumn('last_seen_at', text, (c) => c.notNull())
    .addColumn('idle_expires_at', text, (c) => c.notNull())
    .addColumn('expires_at', text, (c) => c.notNull())
    .addColumn('revoked_at', text)
    .addColumn('user_agent', text)
    .addColumn('ip', text)
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('scope', text, (c) => c.notNull())
    .addColumn('key', text, (c) => c.notNull())
    .addColumn('request_hash', text, (c) => c.notNull())
    .addColumn('state', text, (c) => c.notNull())
    .addColumn('status_code', int)
    .addColumn('response_body', text)
    .addColumn('created_at', text, (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pkey', ['scope', 'key'])
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', id.type, id.build)
    .addColumn('at', text, (c) => c.notNull())
    .addColumn('actor_id', int)
    .addColumn('action', text, (c) => c.notNull())
    .addColumn('target_type', text, (c) => c.notNull())
    .addColumn('target_id', text)
    .addColumn('data', text, (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'audit_events',
    'idempotency_keys',
    'sessions',
    'api_keys',
    'roles',
    'user_groups',
    'groups',
    'project_members',
    'projects',
    'invitations',
    'memberships',
    'organizations',
    'users',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
