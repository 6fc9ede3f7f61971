/** Wire shapes of `/v1/users/{me|id}/api-keys`. The secret appears only in `CreatedApiKeyResponse`. */
import { type Static, Type } from '@sinclair/typebox';
import { IntegerId, Nullable, Timestamp } from '../../../http/schemas.ts';

const Scope = Type.Union([Type.Literal('read'), Type.Literal('write'), Type.Literal('admin')]);

const keyFields = {
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'the visible start of the key, e.g. `rst_ab12cd34`' }),
  scopes: Type.Array(Scope),
  expires_at: Nullable(Timestamp),
  last_used_at: Nullable(Timestamp),
  created_at: Timestamp,
  created_by: Nullable(Type.Integer()),
  revoked_at: Nullable(Timestamp),
  active: Type.Boolean({ description: 'neither revoked nor expired' }),
};

export const ApiKeyResponse = Type.Object(keyFields);
export const ApiKeyListResponse = Type.Object({ data: Type.Array(ApiKeyResponse) });
export const CreatedApiKeyResponse = Type.Object({
  ...keyFields,
  secret: Type.String({ description: 'the whole key, shown this once and never again' }),
  rotated_from: Type.Optional(Type.String({ format: 'uuid' })),
});

export const CreateApiKeyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    scopes: Type.Optional(Type.Array(Scope, { minItems: 1, maxItems: 3, uniqueItems: true })),
    expires_at: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
    expires_in_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
  },
  { additionalProperties: false },
);
export type CreateApiKeyBody = Static<typeof CreateApiKeyBody>;

export const RotateApiKeyBody = Type.Object(
  {
    overlap_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 604800, description: 'how long the old key keeps working (default 0: it stops now)' }),
    ),
  },
  { additionalProperties: false },
);
export type RotateApiKeyBody = Static<typeof RotateApiKeyBody>;

export const OwnKeyParams = Type.Object({ key_id: Type.String({ maxLength: 64 }) });
export const UserKeysParams = Type.Object({ id: IntegerId });
export const UserKeyParams = Type.Object({ id: IntegerId, key_id: Type.String({ maxLength: 64 }) });
