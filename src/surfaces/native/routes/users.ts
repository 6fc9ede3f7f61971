/** `/v1/users`: Roster's own user management. Thin: translate, call core, present. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../../../core/errors.ts';
import type { FilterNode, SortKey } from '../../../core/query/model.ts';
import { searchTerms } from '../../../core/query/model.ts';
import { actorOf } from '../../../http/auth.ts';
import { orgContextInput } from '../../../http/org-context.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentUser, sortableFields, userInputFromWire } from '../present.ts';
import { readableUser as readableUserOf } from '../readable-user.ts';
import { CreateUserBody, ListUsersQuery, PatchUserBody, UserIdParams, UserListResponse } from '../schemas/users.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef };

function parseSort(raw: string | undefined): SortKey[] {
  if (!raw) return [{ field: 'id', direction: 'asc' }];
  return raw.split(',').map((part) => {
    const name = part.trim().replace(/^-/, '');
    const field = sortableFields[name];
    if (!field) {
      throw new AppError('VALIDATION_FAILED', `sort: unknown field ${name}`, {
        issues: [{ field: 'sort', kind: 'invalid', message: `cannot sort on ${name}` }],
      });
    }
    return { field, direction: part.trim().startsWith('-') ? 'desc' : 'asc' };
  });
}

export const nativeUserRoutes: FastifyPluginAsyncTypebox<SurfaceOptions> = async (app, { core }) => {
  const tags = ['users'];

  app.get(
    '/users/me',
    { schema: { tags, summary: 'The calling principal', response: { 200: { $ref: 'NativeUser#' }, ...errors } } },
    async (req) => presentUser(actorOf(req).user),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users (cursor pages); in an organization context (`org`, `org_id` or `X-Organization`) its members',
        querystring: ListUsersQuery,
        response: { 200: UserListResponse, ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      const filters: FilterNode[] = [];
      if (q.email !== undefined) filters.push({ kind: 'cmp', field: 'email', op: '==', value: q.email.trim().toLowerCase() });
      if (q.username !== undefined) filters.push({ kind: 'cmp', field: 'username', op: '==', value: q.username });
      if (q.is_active !== undefined) filters.push({ kind: 'cmp', field: 'isActive', op: '==', value: q.is_active });
      if (q.search)
        filters.push({
          kind: 'search',
          terms: searchTerms(q.search),
          fields: ['username', 'email', 'firstName', 'lastName', 'displayName'],
        });
      const actor = actorOf(req);
      const context = await core.orgContext.resolve(actor, orgContextInput(req));
      const result = await core.users.listIn(
        actor,
        {
          ...(filters.length > 0 ? { filter: { kind: 'and', children: filters } } : {}),
          sort: parseSort(q.sort),
          page: { kind: 'cursor', after: q.cursor ?? null, limit: q.limit },
          withTotal: q.with_total,
        },
        context,
      );
      return {
        data: result.items.map(presentUser),
        next_cursor: result.nextCursor,
        has_more: result.hasMore,
        ...(result.total !== undefined ? { total: result.total } : {}),
      };
    },
  );

  app.post(
    '/users',
    { schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { 201: { $ref: 'NativeUser#' }, ...errors } } },
    async (req, reply) => {
      const user = await core.users.create(actorOf(req), { ...userInputFromWire(req.body), email: req.body.email });
      return reply.code(201).send(presentUser(user));
    },
  );

  app.get(
    '/users/:id',
    { schema: { tags, summary: 'Get a user', params: UserIdParams, response: { 200: { $ref: 'NativeUser#' }, ...errors } } },
    async (req) => presentUser(await readableUser(req.params.id, actorOf(req))),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (partial)',
        params: UserIdParams,
        body: PatchUserBody,
        response: { 200: { $ref: 'NativeUser#' }, ...errors },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const target = await readableUser(req.params.id, actor);
      // Roster's own rule: a new email for oneself needs the current password.
      await core.credentials.assertEmailChangeAllowed(actor, target, req.body.email, req.body.current_password, { ip: req.ip });
      return presentUser(await core.users.update(actor, target, userInputFromWire(req.body)));
    },
  );

  app.delete(
    '/users/:id',
    { schema: { tags, summary: 'Delete a user', params: UserIdParams, response: { ...errors } } },
    async (req, reply) => {
      const actor = actorOf(req);
      await core.users.delete(actor, await readableUser(req.params.id, actor));
      return reply.code(204).send();
    },
  );

  /** Another tenant's user answers exactly like a missing one (no existence leak). */
  const readableUser = (id: number, actor: ReturnType<typeof actorOf>) => readableUserOf(core, actor, id);
};
