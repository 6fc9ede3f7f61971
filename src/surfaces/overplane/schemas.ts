/**
 * Wire shapes of the Overplane `core/user` API (seed 003). The user object lists every attribute
 * of the seed in the seed's order; responses are serialised in this order.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

const Str = Type.String();
const OptionalText = Nullable(Str);

export const OverplaneUser = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier for the object (`user_…`).' }),
    created_at: Type.String({ description: 'ISO 8601 UTC, e.g. 2024-01-15T09:30:00Z' }),
    updated_at: Type.String({ description: 'ISO 8601 UTC; equals created_at until the first update' }),
    email: Str,
    first_name: Str,
    middle_name: OptionalText,
    last_name: OptionalText,
    full_name: Nullable(Type.String({ description: 'Derived: first, middle and last name joined by single spaces' })),
    username: Str,
    enabled: Type.Boolean(),
    user_type: Type.String({ description: '"System User" (default) or "Website User"' }),
    language: OptionalText,
    time_zone: OptionalText,
    user_image: OptionalText,
    gender: OptionalText,
    phone: OptionalText,
    mobile_no: OptionalText,
    birth_date: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
    last_login: OptionalText,
    last_active: OptionalText,
    api_key: Nullable(Type.String({ description: "Visible prefix of the user's newest active API key" })),
    api_secret: Type.Null({ description: 'Never returned' }),
    signature_image: OptionalText,
  },
  { $id: 'OverplaneUser' },
);
export type OverplaneUser = Static<typeof OverplaneUser>;

export const OverplaneErrorBody = Type.Object(
  {
    error: Type.Object({
      type: Type.String(),
      message: Type.String(),
      param: Type.Optional(Type.String()),
      code: Type.Optional(Type.String()),
    }),
  },
  { $id: 'OverplaneError' },
);

/** Attributes a client may set. Formats, lengths and allowed values are checked by core. */
const writable = {
  email: Str,
  // first_name is required by the seed, so it cannot be blank either.
  first_name: Type.String({ minLength: 1, pattern: '\\S' }),
  middle_name: OptionalText,
  last_name: OptionalText,
  username: Str,
  enabled: Type.Boolean(),
  user_type: Str,
  language: OptionalText,
  time_zone: OptionalText,
  user_image: OptionalText,
  gender: OptionalText,
  phone: OptionalText,
  mobile_no: OptionalText,
  birth_date: OptionalText,
  signature_image: OptionalText,
};

/** Documented as body parameters but managed by the system (DESIGN §6): accepted and ignored. */
const systemManaged = {
  full_name: OptionalText,
  api_key: OptionalText,
  api_secret: OptionalText,
  last_login: OptionalText,
  last_active: OptionalText,
};

const { email, first_name, ...optionalWritable } = writable;

export const CreateUserBody = Type.Object(
  { email, first_name, ...Type.Partial(Type.Object({ ...optionalWritable, ...systemManaged })).properties },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const PatchUserBody = Type.Partial(Type.Object({ ...writable, ...systemManaged }), { additionalProperties: false });
export type PatchUserBody = Static<typeof PatchUserBody>;

export const ListUsersQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Maximum number of objects to return (1 to 100).' }),
    offset: Type.Integer({ minimum: 0, maximum: 2147483647, default: 0, description: 'Number of objects to skip.' }),
  },
  { additionalProperties: false },
);

export const UserList = Type.Object({
  data: Type.Array(Type.Ref('OverplaneUser')),
  has_more: Type.Boolean(),
  total: Type.Integer(),
});

export const DeletedUser = Type.Object({ id: Str, deleted: Type.Literal(true) });

export const UserIdParams = Type.Object({ id: Type.String({ description: 'The user id (`user_…`).' }) });

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Retries with the same key and body return the first response (kept 24 h per credential).' }),
  ),
});
