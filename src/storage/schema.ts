/**
 * Table interfaces as Kysely sees them. Booleans are stored as integers (0/1) and timestamps as
 * ISO 8601 UTC text on both databases, so the same query gives the same answer on SQLite and
 * PostgreSQL. Row types never leave `src/storage`: mappers turn them into core objects.
 */
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  uuid: string;
  ref: string;
  username: string;
  email: string;
  first_name: string;
  middle_name: string;
  last_name: string;
  display_name: string;
  avatar_url: string | null;
  company: string | null;
  job_title: string | null;
  timezone: string | null;
  language: string | null;
  date_format: string | null;
  time_format: string | null;
  gender: string | null;
  phone: string | null;
  mobile_no: string | null;
  birth_date: string | null;
  signature_image: string | null;
  user_type: string;
  metadata: string;
  password_hash: string | null;
  password_expired: number;
  is_active: number;
  is_staff: number;
  is_superuser: number;
  is_service_account: number;
  service_org_id: number | null;
  oauth_provider: string | null;
  oauth_id: string | null;
  is_onboarded: number;
  tfa_enabled: number;
  role_id: number | null;
  last_login_at: string | null;
  last_active_at: string | null;
  created_at: string;
  updated_at: string | null;
  created_by: number | null;
  updated_by: number | null;
  /** +1 on every update (optimistic concurrency, migration 0006) */
  version: Generated<number>;
}

export interface ApiKeysTable {
  id: Generated<number>;
  uuid: string;
  user_id: number;
  name: string;
  /** the visible part, e.g. `rst_ab12cd34`, shown in lists */
  prefix: string;
  /** SHA-256 (hex) of the whole secret; unique */
  secret_hash: string;
  scopes: string;
  expires_at: string | null;
  last_used_at: string | null;
  created_at: string;
  created_by: number | null;
  revoked_at: string | null;
}

export interface SessionsTable {
  id: Generated<number>;
  uuid: string;
  user_id: number;
  token_hash: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  expires_at: string;
  revoked_at: string | null;
  user_agent: string | null;
  ip: string | null;
}

export interface OrganizationsTable {
  id: Generated<number>;
  uuid: string;
  slug: string;
  name: string;
  created_by: number | null;
  created_at: string;
  updated_at: string | null;
}

export interface MembershipsTable {
  id: Generated<number>;
  user_id: number;
  org_id: number;
  role: string;
  is_active: number;
  joined_at: string;
  invited_by: number | null;
  /** +1 on every update (optimistic concurrency, migration 0006) */
  version: Generated<number>;
}

export interface InvitationsTable {
  id: Generated<number>;
  uuid: string;
  org_id: number;
  email: string;
  role: string;
  token_hash: string;
  expires_at: string;
  created_by: number | null;
  created_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface ProjectsTable {
  id: Generated<number>;
  uuid: string;
  org_id: number;
  name: string;
  created_by: number | null;
  created_at: string;
  updated_at: string | null;
}

export interface ProjectMembersTable {
  id: Generated<number>;
  project_id: number;
  user_id: number;
  role: string;
  created_at: string;
}

export interface GroupsTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface UserGroupsTable {
  user_id: number;
  group_id: number;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  created_at: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  state: string;
  status_code: number | null;
  response_body: string | null;
  created_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  action: string;
  target_type: string;
  target_id: string | null;
  data: string;
}

export interface OAuthClientsTable {
  id: Generated<number>;
  uuid: string;
  client_id: string;
  secret_hash: string | null;
  name: string;
  redirect_uris: string;
  grant_types: string;
  scopes: string;
  token_endpoint_auth_method: string;
  owner_user_id: number | null;
  org_id: number | null;
  created_by: number | null;
  created_at: string;
  updated_at: string | null;
  disabled_at: string | null;
}

export interface OidcPayloadsTable {
  id_hash: string;
  model: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  client_id: string | null;
  user_id: number | null;
  expires_at: string | null;
  consumed_at: string | null;
}

export interface OidcKeysTable {
  kid: string;
  alg: string;
  sealed: string;
  created_at: string;
  retired_at: string | null;
}

export interface Database {
  users: UsersTable;
  api_keys: ApiKeysTable;
  sessions: SessionsTable;
  organizations: OrganizationsTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  groups: GroupsTable;
  user_groups: UserGroupsTable;
  roles: RolesTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_events: AuditEventsTable;
  oauth_clients: OAuthClientsTable;
  oidc_payloads: OidcPayloadsTable;
  oidc_keys: OidcKeysTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserRowPatch = Updateable<UsersTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type SessionRow = Selectable<SessionsTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type MembershipRow = Selectable<MembershipsTable>;
export type ProjectRow = Selectable<ProjectsTable>;
export type OAuthClientRow = Selectable<OAuthClientsTable>;
