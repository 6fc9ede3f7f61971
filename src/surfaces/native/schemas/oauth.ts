/** Wire shapes of `/v1/service-accounts` and `/v1/oauth-clients`. Secrets appear only in creation responses. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../../http/schemas.ts';

const Uuid = Type.String({ maxLength: 64 });
const GrantType = Type.Union([Type.Literal('client_credentials'), Type.Literal('authorization_code'), Type.Literal('refresh_token')]);
const OAuthScope = Type.Union([
  Type.Literal('openid'),
  Type.Literal('profile'),
  Type.Literal('email'),
  Type.Literal('offline_access'),
  Type.Literal('read'),
  Type.Literal('write'),
  Type.Literal('admin'),
]);
const AuthMethod = Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post'), Type.Literal('none')]);

export const IdParams = Type.Object({ id: Uuid });
export const KeyParams = Type.Object({ id: Uuid, key_id: Uuid });

export const ServiceAccountResponse = Type.Object({
  id: Type.String({ description: 'the account uuid' }),
  user_id: Type.Integer(),
  username: Type.String(),
  name: Type.String(),
  org: Type.Object({ id: Type.String(), slug: Type.String() }),
  is_active: Type.Boolean(),
  created_at: Timestamp,
  updated_at: Nullable(Timestamp),
});
export const ServiceAccountListResponse = Type.Object({ data: Type.Array(ServiceAccountResponse) });

export const CreateServiceAccountBody = Type.Object(
  {
    org: Type.String({ minLength: 1, maxLength: 100, description: 'slug of the organization' }),
    username: Type.String({ minLength: 1, maxLength: 150 }),
    name: Type.Optional(Type.String({ maxLength: 150 })),
  },
  { additionalProperties: false },
);
export type CreateServiceAccountBody = Static<typeof CreateServiceAccountBody>;

export const UpdateServiceAccountBody = Type.Object(
  {
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 150 })),
    name: Type.Optional(Type.String({ maxLength: 150 })),
    is_active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateServiceAccountBody = Static<typeof UpdateServiceAccountBody>;

export const ListServiceAccountsQuery = Type.Object({ org: Type.String({ minLength: 1, maxLength: 100 }) });

const clientFields = {
  id: Type.String(),
  client_id: Type.String(),
  name: Type.String(),
  redirect_uris: Type.Array(Type.String()),
  grant_types: Type.Array(GrantType),
  scopes: Type.Array(OAuthScope),
  token_endpoint_auth_method: AuthMethod,
  service_account_id: Nullable(Type.String()),
  org_id: Nullable(Type.Integer()),
  created_at: Timestamp,
  updated_at: Nullable(Timestamp),
  disabled: Type.Boolean(),
};
export const OAuthClientResponse = Type.Object(clientFields);
export const OAuthClientListResponse = Type.Object({ data: Type.Array(OAuthClientResponse) });
export const CreatedOAuthClientResponse = Type.Object({
  ...clientFields,
  client_secret: Nullable(Type.String({ description: 'shown this once and never again; null for public clients' })),
});

export const CreateOAuthClientBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    org: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'slug; absent: a site-wide client (admins)' })),
    redirect_uris: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 })),
    grant_types: Type.Optional(Type.Array(GrantType, { maxItems: 3, uniqueItems: true })),
    scopes: Type.Optional(Type.Array(OAuthScope, { maxItems: 7, uniqueItems: true })),
    token_endpoint_auth_method: Type.Optional(AuthMethod),
  },
  { additionalProperties: false },
);
export type CreateOAuthClientBody = Static<typeof CreateOAuthClientBody>;

export const CreateServiceAccountClientBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    scopes: Type.Optional(Type.Array(OAuthScope, { maxItems: 7, uniqueItems: true })),
    token_endpoint_auth_method: Type.Optional(AuthMethod),
  },
  { additionalProperties: false },
);
export type CreateServiceAccountClientBody = Static<typeof CreateServiceAccountClientBody>;

export const UpdateOAuthClientBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    redirect_uris: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20 })),
    grant_types: Type.Optional(Type.Array(GrantType, { maxItems: 3, uniqueItems: true })),
    scopes: Type.Optional(Type.Array(OAuthScope, { maxItems: 7, uniqueItems: true })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateOAuthClientBody = Static<typeof UpdateOAuthClientBody>;
