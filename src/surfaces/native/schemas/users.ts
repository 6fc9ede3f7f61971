/** Wire shapes of Roster's own `/v1` users API (snake_case JSON). */
import { type Static, type TOptional, type TSchema, Type } from '@sinclair/typebox';
import { IntegerId, Nullable, Timestamp } from '../../../http/schemas.ts';

const S = (max: number) => Type.String({ maxLength: max });

export const UserResponse = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    ref: Type.String(),
    username: Type.String(),
    email: Type.String(),
    first_name: Type.String(),
    middle_name: Type.String(),
    last_name: Type.String(),
    display_name: Type.String(),
    avatar_url: Nullable(Type.String()),
    company: Nullable(Type.String()),
    job_title: Nullable(Type.String()),
    timezone: Nullable(Type.String()),
    language: Nullable(Type.String()),
    date_format: Nullable(Type.String()),
    time_format: Nullable(Type.String()),
    gender: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    mobile_no: Nullable(Type.String()),
    birth_date: Nullable(Type.String()),
    user_type: Type.String(),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    is_active: Type.Boolean(),
    is_staff: Type.Boolean(),
    is_superuser: Type.Boolean(),
    is_service_account: Type.Boolean(),
    service_org_id: Nullable(Type.Integer()),
    oauth_provider: Nullable(Type.String()),
    oauth_id: Nullable(Type.String()),
    is_onboarded: Type.Boolean(),
    tfa_enabled: Type.Boolean(),
    password_expired: Type.Boolean(),
    has_password: Type.Boolean(),
    role_id: Nullable(Type.Integer()),
    last_login_at: Nullable(Timestamp),
    last_active_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Nullable(Timestamp),
    created_by: Nullable(Type.Integer()),
    updated_by: Nullable(Type.Integer()),
  },
  { $id: 'NativeUser' },
);

/** Profile fields anyone may send for themselves. */
const profileFields = {
  username: S(150),
  email: S(254),
  first_name: S(150),
  middle_name: S(150),
  last_name: S(150),
  display_name: S(255),
  avatar_url: Nullable(S(2048)),
  company: Nullable(S(50)),
  job_title: Nullable(S(50)),
  timezone: Nullable(S(64)),
  language: Nullable(S(35)),
  date_format: Nullable(S(64)),
  time_format: Nullable(S(64)),
  gender: Nullable(S(64)),
  phone: Nullable(S(32)),
  mobile_no: Nullable(S(32)),
  birth_date: Nullable(S(10)),
  user_type: S(32),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  is_onboarded: Type.Boolean(),
  // privileged: policy refuses them for non-admins
  is_active: Type.Boolean(),
  is_staff: Type.Boolean(),
  is_superuser: Type.Boolean(),
  password_expired: Type.Boolean(),
  role_id: Nullable(IntegerId),
};

const optional = <T extends Record<string, TSchema>>(fields: T) =>
  Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: TOptional<T[K]> };

export const CreateUserBody = Type.Object(
  { ...optional(profileFields), email: S(254), password: Type.Optional(Type.String({ maxLength: 1024 })) },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const PatchUserBody = Type.Partial(
  Type.Object({
    ...profileFields,
    current_password: Type.String({ maxLength: 1024, description: "needed to change one's own email" }),
  }),
  { additionalProperties: false },
);
export type PatchUserBody = Static<typeof PatchUserBody>;

export const ListUsersQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
    sort: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'comma list of fields, `-` for descending: id, username, email, first_name, last_name, display_name, created_at',
      }),
    ),
    search: Type.Optional(Type.String({ maxLength: 512 })),
    filter: Type.Optional(
      Type.String({
        maxLength: 4096,
        description:
          'a SCIM filter (RFC 7644 §3.4.2.2) over id, userName, emails.value, displayName, name.givenName, name.familyName, active, meta.created: `userName sw "ad" and active eq true`',
      }),
    ),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    username: Type.Optional(Type.String({ maxLength: 150 })),
    is_active: Type.Optional(Type.Boolean()),
    with_total: Type.Boolean({ default: false }),
    org: Type.Optional(
      Type.String({ maxLength: 64, description: "an organization's slug: list its members (`org=` alone: users in no organization)" }),
    ),
    org_id: Type.Optional(Type.String({ maxLength: 20, description: 'an organization id, instead of `org` or `X-Organization`' })),
  },
  { additionalProperties: false },
);
export type ListUsersQuery = Static<typeof ListUsersQuery>;

export const UserListResponse = Type.Object({
  data: Type.Array(Type.Ref('NativeUser')),
  next_cursor: Nullable(Type.String()),
  has_more: Type.Boolean(),
  total: Type.Optional(Type.Integer()),
});

export const UserIdParams = Type.Object({ id: IntegerId });

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    request_id: Type.String(),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), kind: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem' },
);
