/**
 * ZenML Pro wire shapes (seed 001). The request schemas document the API and also drive the
 * pydantic-style validation in `pydantic.ts`; the response schema fixes the key order.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

export const USERNAME_PATTERN = '^[a-zA-Z0-9_\\-@.]+$';

const Name = Type.String({ minLength: 1, maxLength: 50 });
const PatternUsername = Type.String({ minLength: 1, maxLength: 50, pattern: USERNAME_PATTERN });
const Email = Type.String({ format: 'email' });
const Metadata = Type.Record(Type.String(), Type.Unknown());
const Uuid = Type.String({ format: 'uuid' });

/** `username`: a pattern string of 1..50 characters, or an email address (the response model's union). */
export const Username = Type.Union([PatternUsername, Email], {
  description: 'The unique username for the account. For OAuth2 user accounts, this is the same as the email address.',
});

/** The seventeen keys, in the order of ZenML's documented example. */
export const ZenmlUser = Type.Object(
  {
    password: Nullable(Type.String({ description: 'Always null: passwords are write-only.' })),
    password_expired: Nullable(Type.Boolean()),
    name: Nullable(Type.String({ description: 'The name of the user.' })),
    avatar_url: Nullable(Type.String()),
    company: Nullable(Type.String()),
    job_title: Nullable(Type.String()),
    metadata: Nullable(Metadata),
    id: Uuid,
    username: Type.String(),
    email: Nullable(Type.String()),
    oauth_provider: Nullable(Type.String()),
    oauth_id: Nullable(Type.String()),
    is_active: Type.Boolean(),
    is_superuser: Type.Boolean(),
    is_service_account: Type.Boolean(),
    organization_id: Nullable(Uuid),
    is_onboarded: Type.Boolean(),
  },
  { $id: 'ZenmlUser', description: 'User model for displaying user account and service account information.' },
);
export type ZenmlUser = Static<typeof ZenmlUser>;

/**
 * PATCH body for `/users/me` and `/users/{user_id}`: every field optional and nullable (null means
 * "unset" for the text fields, "no change" for the rest). `old_password` is Roster's addition
 * (DESIGN §6): a user setting their own password proves the current one.
 */
export const UserUpdate = Type.Object(
  {
    password: Type.Optional(Nullable(Type.String())),
    old_password: Type.Optional(Nullable(Type.String({ description: 'The current password; required to set a new one on oneself.' }))),
    password_expired: Type.Optional(Nullable(Type.Boolean())),
    name: Type.Optional(Nullable(Name)),
    avatar_url: Type.Optional(Nullable(Type.String())),
    company: Type.Optional(Nullable(Name)),
    job_title: Type.Optional(Nullable(Name)),
    metadata: Type.Optional(Nullable(Metadata)),
    username: Type.Optional(Nullable(Username)),
    email: Type.Optional(Nullable(Email)),
    is_active: Type.Optional(Nullable(Type.Boolean())),
    is_onboarded: Type.Optional(Nullable(Type.Boolean())),
    is_superuser: Type.Optional(Nullable(Type.Boolean())),
  },
  { additionalProperties: false, description: 'Model for user updates.' },
);
export type UserUpdate = Static<typeof UserUpdate>;

/** `POST /users` takes query parameters, as ZenML Pro's "User Accounts" guide shows. */
export const CreateUserQuery = Type.Object({
  username: Username,
  password: Type.String(),
  is_superuser: Type.Boolean({ default: false }),
});

export const ListUsersQuery = Type.Object({
  email: Type.Optional(Type.String({ description: 'Only the user with exactly this email address.' })),
  offset: Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'Users to skip.' }),
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000, description: 'At most this many users.' }),
});

export const UserIdParams = Type.Object({ user_id: Uuid });

/** `/auth/login` form fields (`application/x-www-form-urlencoded`). */
export const LoginForm = Type.Object({
  username: Type.Optional(Type.String({ description: 'Omit to log in with an API key given as `password`.' })),
  password: Type.String({ description: 'The password, or an API key.' }),
});

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  expires_in: Type.Integer(),
  token_type: Type.Literal('bearer'),
  device_id: Type.Null(),
  device_metadata: Type.Null(),
});

export const HTTPError = Type.Object({ detail: Type.String() }, { $id: 'ZenmlHTTPError' });
export const HTTPValidationError = Type.Object(
  {
    detail: Type.Array(
      Type.Object({
        type: Type.String(),
        loc: Type.Array(Type.Union([Type.String(), Type.Integer()])),
        msg: Type.String(),
        input: Type.Unknown(),
        ctx: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  },
  { $id: 'ZenmlHTTPValidationError' },
);
