/**
 * User administration, superusers only (the reserved `admin` is one): `GET /users`,
 * `POST /users?username=…&password=…&is_superuser=…`, `PATCH /users/{user_id}`,
 * `DELETE /users/{user_id}`. A non-superuser is refused before its input is looked at.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import type { Core } from '../../../core/index.ts';
import { can } from '../../../core/policy/policy.ts';
import type { FilterNode } from '../../../core/query/model.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { jsonBodyOf } from '../bodies.ts';
import { emailProblem } from '../email.ts';
import { detail, fromPart } from '../errors.ts';
import { presentMany, presentOne } from '../present.ts';
import { throwIfInvalid, validateBody, validateParams } from '../pydantic.ts';
import { assertDeleteAllowed } from '../rules.ts';
import { CreateUserQuery, ListUsersQuery, UserIdParams, UserUpdate } from '../schemas.ts';
import { applyUpdate, documentationOnly, errorResponses } from './shared.ts';

/**
 * Core needs an email; `POST /users` gives only a username. A username that is an address is the
 * email; otherwise the account gets `<username>@local.invalid` (RFC 2606's never-deliverable TLD),
 * which an administrator or the user can replace with a real address later.
 */
export const LOCAL_EMAIL_DOMAIN = 'local.invalid';

export function emailForUsername(username: string): string {
  return emailProblem(username) === undefined ? username : `${username.replaceAll('@', '.')}@${LOCAL_EMAIL_DOMAIN}`;
}

async function requireSuperuser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (!can(actorOf(request), 'users.admin').allow) await detail(reply, 403, 'Only superusers can manage user accounts.');
}

async function findTarget(core: Core, uuid: string) {
  const user = await core.users.findByUuid(uuid);
  if (!user) throw new AppError('USER_NOT_FOUND', 'User not found.');
  return user;
}

export const zenmlUserAdminRoutes: FastifyPluginAsync<SurfaceOptions> = async (app, { core }) => {
  const tags = ['zenml'];
  const user = { $ref: 'ZenmlUser#' };
  app.addHook('preHandler', requireSuperuser);

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List Users',
        querystring: ListUsersQuery,
        response: { 200: { type: 'array', items: user }, ...errorResponses },
      },
      validatorCompiler: documentationOnly,
    },
    async (req) => {
      const query = validateParams(ListUsersQuery, req.query as Record<string, unknown>, 'query');
      throwIfInvalid(query);
      const { email, offset, limit } = query.value as { email?: string; offset: number; limit: number };
      const filter: FilterNode | undefined =
        email !== undefined ? { kind: 'cmp', field: 'email', op: '==', value: email.trim().toLowerCase() } : undefined;
      const page = await core.users.list(actorOf(req), {
        ...(filter ? { filter } : {}),
        sort: [{ field: 'id', direction: 'asc' }],
        page: { kind: 'offset', offset, limit },
        withTotal: false,
      });
      return presentMany(core, page.items);
    },
  );

  app.post(
    '/users',
    {
      schema: { tags, summary: 'Create User', querystring: CreateUserQuery, response: { 200: user, ...errorResponses } },
      validatorCompiler: documentationOnly,
      // The initial password travels in the query string: keep the request line out of the logs.
      logLevel: 'warn',
    },
    async (req) => {
      const query = validateParams(CreateUserQuery, req.query as Record<string, unknown>, 'query');
      throwIfInvalid(query);
      const { username, password, is_superuser } = query.value as { username: string; password: string; is_superuser: boolean };
      // ZenML Pro: the first account created through the API becomes a superuser.
      const first = (await core.users.count()) <= 1;
      const created = await fromPart('query', query.value, () =>
        core.users.create(actorOf(req), { username, email: emailForUsername(username), password, isSuperuser: is_superuser || first }),
      );
      return presentOne(core, created);
    },
  );

  app.patch(
    '/users/:user_id',
    {
      schema: { tags, summary: 'Update User', params: UserIdParams, body: UserUpdate, response: { 200: user, ...errorResponses } },
      validatorCompiler: documentationOnly,
    },
    async (req) => {
      const sent = jsonBodyOf(req);
      const params = validateParams(UserIdParams, req.params as Record<string, unknown>, 'path');
      const body = validateBody(UserUpdate, sent, { forbidExtra: true });
      throwIfInvalid(params, body);
      const target = await findTarget(core, params.value.user_id as string);
      return presentOne(core, await applyUpdate(core, actorOf(req), target, body.value as UserUpdate, sent));
    },
  );

  // FastAPI matches `DELETE /users/me` to `/users/{user_id}` (and then refuses "me" as a uuid).
  for (const url of ['/users/:user_id', '/users/me']) {
    app.delete(
      url,
      {
        schema: {
          tags,
          summary: 'Delete User',
          ...(url === '/users/me' ? { hide: true } : { params: UserIdParams }),
          response: { 200: { type: 'null' }, ...errorResponses },
        },
        validatorCompiler: documentationOnly,
      },
      async (req, reply) => {
        const raw = url === '/users/me' ? { user_id: 'me' } : (req.params as Record<string, unknown>);
        const params = validateParams(UserIdParams, raw, 'path');
        throwIfInvalid(params);
        const actor = actorOf(req);
        const target = await findTarget(core, params.value.user_id as string);
        assertDeleteAllowed(actor, target);
        await core.users.delete(actor, target, 'users.admin');
        // FastAPI's answer for an endpoint that returns None: 200 with a JSON null.
        return reply.code(200).type('application/json').send('null');
      },
    );
  }
};
