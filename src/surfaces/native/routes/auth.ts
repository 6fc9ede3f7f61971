/**
 * `/v1/auth/*`: password login into a session (JSON token for scripts, cookie for browsers),
 * logout, logout everywhere, the caller's sessions, password change and self-registration.
 * `nativeLoginRoutes` needs no credential; `nativeSessionRoutes` sits behind the auth hook.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { validationError } from '../../../core/errors.ts';
import { actorOf } from '../../../http/auth.ts';
import { rateLimitHook } from '../../../http/rate-limit.ts';
import { clearSessionCookie, setSessionCookie } from '../../../http/session-cookie.ts';
import type { SurfaceOptions } from '../../types.ts';
import { problem } from '../errors.ts';
import { presentUser } from '../present.ts';
import { presentSession } from '../present-credentials.ts';
import {
  ChangePasswordBody,
  ChangePasswordResponse,
  type LoginBody,
  LoginBody as LoginBodySchema,
  LoginResponse,
  RegisterBody,
  SessionIdParams,
  SessionListResponse,
} from '../schemas/auth.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef, 429: problemRef, 503: problemRef };
const tags = ['auth'];

/** Exactly one of `login`, `email`, `username`. */
function loginOf(body: LoginBody): string {
  const given = [body.login, body.email, body.username].filter((v): v is string => v !== undefined);
  if (given.length !== 1) {
    throw validationError([{ field: 'login', kind: 'required', message: 'Give exactly one of login, email or username.' }]);
  }
  return given[0] as string;
}

export const nativeLoginRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, opts) => {
  const { core, config } = opts;

  app.post(
    '/auth/login',
    {
      schema: {
        tags,
        summary: 'Log in with username or email and password: a session token and a browser cookie',
        body: LoginBodySchema,
        response: { 200: LoginResponse, ...errors },
      },
    },
    async (req, reply) => {
      const user = await core.credentials.loginWithPassword(loginOf(req.body), req.body.password, {
        ip: req.ip,
        newPassword: req.body.new_password,
      });
      const { session, token } = await core.sessions.start(user, { ip: req.ip, userAgent: req.headers['user-agent'] });
      setSessionCookie(reply, token, session.expiresAt);
      return {
        token,
        token_type: 'session' as const,
        session_id: session.uuid,
        expires_at: session.expiresAt,
        idle_expires_at: session.idleExpiresAt,
        user: presentUser(user),
      };
    },
  );

  app.post(
    '/auth/register',
    {
      // Each registration costs a hash and a row: a separate, stricter limit per client address.
      onRequest: rateLimitHook(app, {
        name: 'native-register',
        keyBy: 'address',
        max: config.REGISTER_RATE_LIMIT_PER_HOUR,
        windowMs: 3_600_000,
        exceeded: (req, reply) => problem(req, reply, 429, 'RATE_LIMITED', 'Too many registrations from this address; try again later'),
      }),
      schema: {
        tags,
        summary: 'Register oneself (REGISTRATION=open, or invite with an invitation token)',
        body: RegisterBody,
        response: { 201: { $ref: 'NativeUser#' }, ...errors },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const user = await core.credentials.register({
        email: b.email,
        password: b.password,
        username: b.username,
        firstName: b.first_name,
        lastName: b.last_name,
        invitation: b.invitation,
      });
      return reply.code(201).send(presentUser(user));
    },
  );
};

export const nativeSessionRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  app.post(
    '/auth/logout',
    { schema: { tags, summary: 'End the session this request came with', response: { ...errors } } },
    async (req, reply) => {
      await core.sessions.end(actorOf(req));
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/logout-all',
    { schema: { tags, summary: 'End every session of the caller, this one included', response: { ...errors } } },
    async (req, reply) => {
      await core.sessions.endAll(actorOf(req));
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.get(
    '/auth/sessions',
    { schema: { tags, summary: "The caller's live sessions, newest first", response: { 200: SessionListResponse, ...errors } } },
    async (req) => {
      const actor = actorOf(req);
      return { data: (await core.sessions.list(actor)).map((s) => presentSession(s, actor)) };
    },
  );

  app.delete(
    '/auth/sessions/:session_id',
    { schema: { tags, summary: "End one of the caller's sessions", params: SessionIdParams, response: { ...errors } } },
    async (req, reply) => {
      await core.sessions.revoke(actorOf(req), req.params.session_id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/password',
    {
      schema: {
        tags,
        summary: "Change one's password (needs the current one); every other session ends",
        body: ChangePasswordBody,
        response: { 200: ChangePasswordResponse, ...errors },
      },
    },
    async (req) => {
      const { endedSessions } = await core.credentials.changePassword(actorOf(req), req.body.current_password, req.body.new_password, {
        ip: req.ip,
      });
      return { ended_sessions: endedSessions };
    },
  );
};
