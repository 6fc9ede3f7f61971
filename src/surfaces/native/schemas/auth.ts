/** Wire shapes of `/v1/auth/*`: login, sessions, password change, registration. */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable, Timestamp } from '../../../http/schemas.ts';

const Password = Type.String({ minLength: 1, maxLength: 1024 });

export const LoginBody = Type.Object(
  {
    login: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'username or email' })),
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    username: Type.Optional(Type.String({ minLength: 1, maxLength: 150 })),
    password: Password,
    new_password: Type.Optional(Type.String({ maxLength: 1024, description: 'sets a new password when the current one has expired' })),
  },
  { additionalProperties: false, description: 'one of `login`, `email` or `username`, and `password`' },
);
export type LoginBody = Static<typeof LoginBody>;

export const LoginResponse = Type.Object({
  token: Type.String({ description: 'the session token, shown once: send it as `Authorization: Bearer`' }),
  token_type: Type.Literal('session'),
  session_id: Type.String({ format: 'uuid' }),
  expires_at: Timestamp,
  idle_expires_at: Timestamp,
  user: Type.Ref('NativeUser'),
});

export const SessionResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  created_at: Timestamp,
  last_seen_at: Timestamp,
  idle_expires_at: Timestamp,
  expires_at: Timestamp,
  ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  current: Type.Boolean({ description: 'the session this request came with' }),
});

export const SessionListResponse = Type.Object({ data: Type.Array(SessionResponse) });

export const SessionIdParams = Type.Object({ session_id: Type.String({ maxLength: 64 }) });

export const ChangePasswordBody = Type.Object(
  { current_password: Password, new_password: Type.String({ maxLength: 1024 }) },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const ChangePasswordResponse = Type.Object({ ended_sessions: Type.Integer({ description: 'other sessions ended' }) });

export const RegisterBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    password: Type.String({ maxLength: 1024 }),
    username: Type.Optional(Type.String({ maxLength: 150 })),
    first_name: Type.Optional(Type.String({ maxLength: 150 })),
    last_name: Type.Optional(Type.String({ maxLength: 150 })),
    invitation: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'invitation token (REGISTRATION=invite)' })),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;
