/**
 * How the authorization matrix calls each route: what its path parameters address (the target,
 * which decides the ownerships a row has) and a valid body or query, so that a cell tests the
 * permission decision rather than validation. Body templates: see `fillBody` in authz-world.ts.
 */
import type { TargetKind } from './authz-world.ts';

export interface RouteSpec {
  target: TargetKind;
  body?: unknown;
  /** sent as a form body instead of JSON */
  form?: Record<string, string>;
  query?: string;
}

const STRONG = 'correct horse battery staple 42';

export const routeSpecs: Record<string, RouteSpec> = {
  // native /v1
  'POST /v1/auth/login': { target: 'none', body: { login: 'nobody-at-all', password: STRONG } },
  'POST /v1/auth/register': { target: 'none', body: { email: '$email', password: STRONG } },
  'GET /v1/users/me': { target: 'none' },
  'GET /v1/users': { target: 'none' },
  'POST /v1/users': { target: 'none', body: { email: '$email' } },
  'GET /v1/users/{id}': { target: 'user:id' },
  'PATCH /v1/users/{id}': { target: 'user:id', body: { company: 'Acme' } },
  'DELETE /v1/users/{id}': { target: 'user:id' },
  'POST /v1/auth/logout': { target: 'none' },
  'POST /v1/auth/logout-all': { target: 'none' },
  'GET /v1/auth/sessions': { target: 'none' },
  'DELETE /v1/auth/sessions/{session_id}': { target: 'session' },
  'POST /v1/auth/password': { target: 'none', body: { current_password: 'not-the-current-one', new_password: STRONG } },
  'GET /v1/users/me/api-keys': { target: 'none' },
  'POST /v1/users/me/api-keys': { target: 'none', body: { name: 'k' } },
  'DELETE /v1/users/me/api-keys/{key_id}': { target: 'ownKey' },
  'POST /v1/users/me/api-keys/{key_id}/rotate': { target: 'ownKey', body: {} },
  'GET /v1/users/{id}/api-keys': { target: 'user:id' },
  'POST /v1/users/{id}/api-keys': { target: 'user:id', body: { name: 'k' } },
  'DELETE /v1/users/{id}/api-keys/{key_id}': { target: 'userKey' },
  'POST /v1/users/{id}/api-keys/{key_id}/rotate': { target: 'userKey', body: {} },
  'GET /v1/orgs': { target: 'none' },
  'POST /v1/orgs': { target: 'none', body: { slug: 'o-$unique', name: 'New' } },
  'GET /v1/orgs/{org}': { target: 'org' },
  'PATCH /v1/orgs/{org}': { target: 'org', body: { name: 'Renamed' } },
  'DELETE /v1/orgs/{org}': { target: 'org' },
  'GET /v1/orgs/{org}/members': { target: 'org' },
  'POST /v1/orgs/{org}/members': { target: 'org', body: { user_id: '$freshUserId', role: 'worker' } },
  'GET /v1/orgs/{org}/members/{userId}': { target: 'member' },
  'PATCH /v1/orgs/{org}/members/{userId}': { target: 'member', body: { role: 'worker' } },
  'DELETE /v1/orgs/{org}/members/{userId}': { target: 'member' },
  'GET /v1/orgs/{org}/invitations': { target: 'org' },
  'POST /v1/orgs/{org}/invitations': { target: 'org', body: { email: '$email', role: 'worker' } },
  'DELETE /v1/orgs/{org}/invitations/{invitationId}': { target: 'invitation' },
  'POST /v1/orgs/{org}/invitations/{invitationId}/resend': { target: 'invitation', body: {} },
  'POST /v1/invitations/accept': { target: 'none', body: { token: '$invitationToken' } },
  'GET /v1/orgs/{org}/projects': { target: 'org' },
  'POST /v1/orgs/{org}/projects': { target: 'org', body: { name: 'P' } },
  'GET /v1/projects/{id}': { target: 'project' },
  'PATCH /v1/projects/{id}': { target: 'project', body: { name: 'Renamed' } },
  'DELETE /v1/projects/{id}': { target: 'project' },
  'GET /v1/projects/{id}/members': { target: 'project' },
  'POST /v1/projects/{id}/members': { target: 'project', body: { user_id: '$freshMemberA', role: 'member' } },
  'GET /v1/projects/{id}/members/{userId}': { target: 'projectMember' },
  'PATCH /v1/projects/{id}/members/{userId}': { target: 'projectMember', body: { role: 'member' } },
  'DELETE /v1/projects/{id}/members/{userId}': { target: 'projectMember' },
  'GET /v1/groups': { target: 'none' },
  'POST /v1/groups': { target: 'none', body: { name: 'g$unique' } },
  'DELETE /v1/groups/{id}': { target: 'group' },
  'GET /v1/users/{id}/groups': { target: 'user:id' },
  'PUT /v1/users/{id}/groups': { target: 'user:id', body: { groups: ['user'] } },
  'GET /v1/roles': { target: 'none' },
  'POST /v1/roles': { target: 'none', body: { name: 'r$unique' } },
  // service accounts and OAuth clients
  'POST /v1/service-accounts': { target: 'none', body: { org: '$orgA', username: 'sa$unique' } },
  'GET /v1/service-accounts': { target: 'none', query: 'org=$orgA' },
  'GET /v1/service-accounts/{id}': { target: 'serviceAccount' },
  'PATCH /v1/service-accounts/{id}': { target: 'serviceAccount', body: { name: 'Renamed' } },
  'DELETE /v1/service-accounts/{id}': { target: 'serviceAccount' },
  'GET /v1/service-accounts/{id}/api-keys': { target: 'serviceAccount' },
  'POST /v1/service-accounts/{id}/api-keys': { target: 'serviceAccount', body: { name: 'k' } },
  'DELETE /v1/service-accounts/{id}/api-keys/{key_id}': { target: 'serviceAccountKey' },
  'GET /v1/service-accounts/{id}/oauth-clients': { target: 'serviceAccount' },
  'POST /v1/service-accounts/{id}/oauth-clients': { target: 'serviceAccount', body: { name: 'c' } },
  'POST /v1/oauth-clients': { target: 'none', body: { name: 'App', org: '$orgA', redirect_uris: ['https://app.example/cb'] } },
  'GET /v1/oauth-clients': { target: 'none' },
  'GET /v1/oauth-clients/{id}': { target: 'oauthClient' },
  'PATCH /v1/oauth-clients/{id}': { target: 'oauthClient', body: { name: 'Renamed' } },
  'DELETE /v1/oauth-clients/{id}': { target: 'oauthClient' },
  'POST /v1/oauth-clients/{id}/secret': { target: 'oauthClient', body: {} },
  // Plane
  'GET /api/v1/users/me/': { target: 'none' },
  'GET /api/v1/users/me/workspaces/': { target: 'none' },
  'GET /api/v1/workspaces/{slug}/members/': { target: 'org' },
  'GET /api/v1/workspaces/{slug}/projects/{project_id}/members/': { target: 'project:uuid' },
  'GET /api/v1/workspaces/{slug}/projects/{project_id}/project-members/': { target: 'project:uuid' },
  // Overplane
  'GET /api/core/user': { target: 'none' },
  'POST /api/core/user': { target: 'none', body: { email: '$email', first_name: 'New' } },
  'GET /api/core/user/{id}': { target: 'user:ref' },
  'PATCH /api/core/user/{id}': { target: 'user:ref', body: { first_name: 'Renamed' } },
  'DELETE /api/core/user/{id}': { target: 'user:ref' },
  // ZenML
  'GET /users/me': { target: 'none' },
  'PATCH /users/me': { target: 'none', body: { company: 'Acme' } },
  'GET /users': { target: 'none' },
  'POST /users': { target: 'none', query: `username=z$unique&password=${encodeURIComponent(STRONG)}&is_superuser=false` },
  'PATCH /users/{user_id}': { target: 'user:uuid', body: { company: 'Acme' } },
  'DELETE /users/{user_id}': { target: 'user:uuid' },
  'POST /auth/login': { target: 'none', form: { username: 'nobody-at-all', password: STRONG } },
  // Testmo
  'GET /api/v1/user': { target: 'none' },
  'GET /api/v1/users': { target: 'none' },
  'GET /api/v1/users/{user_id}': { target: 'user:id' },
  'GET /api/v1/projects/{project_id}/users': { target: 'project' },
  // CVAT
  'GET /api/users/self': { target: 'none' },
  'GET /api/users': { target: 'none' },
  'GET /api/users/{id}': { target: 'user:id' },
  'PATCH /api/users/{id}': { target: 'user:id', body: { first_name: 'Renamed' } },
  'DELETE /api/users/{id}': { target: 'user:id' },
  'POST /api/auth/login': { target: 'none', body: { username: 'nobody-at-all', password: STRONG } },
  'POST /api/auth/logout': { target: 'none' },
  'POST /api/auth/register': { target: 'none', body: { username: 'c$unique', email: '$email', password1: STRONG, password2: STRONG } },
};
