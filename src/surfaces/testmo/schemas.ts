/**
 * Wire shapes of the Testmo user methods (seed 002; the admin user object in the typed client's
 * order). Responses are serialised through these, so the key order is the one declared here.
 * Query parameters are documented here but read by `params.ts`, which answers 422 per parameter.
 */
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

const Id = Type.Integer({ minimum: 1 });
const Text = Nullable(Type.String());
const Compact = Type.Object({ id: Id, name: Type.String() });

export const CurrentUser = Type.Object({ id: Id, name: Type.String(), timezone: Text, date_format: Text, time_format: Text });

export const ProjectUser = Compact;

export const AdminUser = Type.Object(
  {
    id: Id,
    name: Type.String({ description: 'Display name' }),
    email: Type.String(),
    type: Type.Integer({ description: '4 for a site admin, 1 for everyone else' }),
    timezone: Text,
    date_format: Text,
    time_format: Text,
    notifications: Type.Integer({ description: 'Always 1 (notifications on): Roster keeps no per-user notification settings' }),
    tfa_enabled: Type.Boolean(),
    is_active: Type.Boolean(),
    is_forgotten: Type.Boolean({ description: 'Always false: Roster deletes users instead of anonymising them' }),
    is_api: Type.Boolean({ description: 'A service account' }),
    role_id: Nullable(Type.Integer({ description: "The user's site role; Admin for site admins, else Tester, when unset" })),
    groups: Type.Array(Id, { description: 'Group ids' }),
    created_at: Type.String({ description: 'ISO 8601 UTC' }),
    created_by: Nullable(Id),
    updated_at: Nullable(Type.String({ description: 'ISO 8601 UTC' })),
    updated_by: Nullable(Id),
  },
  { $id: 'TestmoUser' },
);

export const Expands = Type.Object(
  {
    groups: Type.Optional(Type.Array(Compact)),
    roles: Type.Optional(Type.Array(Compact)),
    users: Type.Optional(Type.Array(Compact)),
  },
  { description: 'The referenced entities of each requested expand, each once; {} when nothing is expanded' },
);

const PageInt = Nullable(Type.Integer());
const pageFields = {
  page: Nullable(Type.Integer({ description: 'null for an empty result' })),
  prev_page: PageInt,
  next_page: PageInt,
  last_page: Nullable(Type.Integer({ description: 'null for an empty result' })),
  per_page: Type.Integer(),
  total: Type.Integer(),
};

const userRef = Type.Unsafe<unknown>({ $ref: 'TestmoUser#' });

export const UserPage = Type.Object({ ...pageFields, result: Type.Array(userRef), expands: Expands });
export const ProjectUserPage = Type.Object({ ...pageFields, result: Type.Array(ProjectUser) });
export const SingleUser = Type.Object({ result: userRef, expands: Expands });

export const ErrorBody = Type.Object(
  {
    message: Type.String(),
    errors: Type.Record(Type.String(), Type.Array(Type.String()), { description: 'messages per parameter; {} when none is at fault' }),
  },
  { $id: 'TestmoError' },
);

export const UserIdParams = Type.Object({ user_id: Type.String({ description: 'integer id of the user' }) });
export const ProjectIdParams = Type.Object({ project_id: Type.String({ description: 'integer id of the project' }) });

// Documentation only (any value passes here; params.ts validates).
const pageDoc = {
  page: Type.Optional(Type.Any({ description: 'page number, integer ≥ 1 (default 1)' })),
  per_page: Type.Optional(Type.Any({ description: 'one of 15, 25, 50, 100 (default 100)' })),
};
const expandsDoc = { expands: Type.Optional(Type.Any({ description: 'comma-separated: groups, roles, users' })) };
export const PageQueryDoc = Type.Object(pageDoc);
export const UsersQueryDoc = Type.Object({ ...pageDoc, ...expandsDoc });
export const UserQueryDoc = Type.Object(expandsDoc);
