/** `/v1/users`: Roster's own user management. Thin: translate, call core, present. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../core/errors.ts';
import type { FilterNode, SortKey } from '../../../core/query/model.ts';
import { searchTerms } from '../../../core/query/model.ts';
import type { User } from '../../../core/users/users.types.ts';
import { actorOf } from '../../../http/auth.ts';
import { etagOf, expectedVersion, ifMatchHeaders, ifNoneMatchHeaders, notModified } from '../../../http/conditional.ts';
import type { SurfaceOptions } from '../../types.ts';
import { presentUser, sortableFields, userInputFromWire } from '../present.ts';
import { readableUser as readableUserOf } from '../readable-user.ts';
import { CreateUserBody, ListUsersQuery, PatchUserBody, UserIdParams, UserListResponse } from '../schemas/users.ts';

const problemRef = { $ref: 'Problem#' };
const errors = { 400: problemRef, 401: problemRef, 403: problemRef, 404: problemRef, 409: problemRef };
const conditionalErrors = { ...errors, 412: { ...problemRef, description: 'If-Match names an ETag that is no longer current' } };
const notModifiedResponse = { 304: { description: 'Not Modified: If-None-Match names the current ETag', type: 'null' } };
/** `"u<id>-<version>"`: changes on every write of the user */
const userEtag = (u: User) => etagOf('u', u.id, u.version);

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
    {
      schema: {
        tags,
        summary: 'The calling principal (with its ETag)',
        headers: ifNoneMatchHeaders,
        response: { 200: { $ref: 'NativeUser#' }, ...notModifiedResponse, ...errors },
      },
    },
    async (req, reply) => withEtag(req, reply, actorOf(req).user),
  );

  app.get(
    '/users',
    { schema: { tags, summary: 'List users (cursor pages)', querystring: ListUsersQuery, response: { 200: UserListResponse, ...errors } } },
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
      const result = await core.users.list(actorOf(req), {
        ...(filters.length > 0 ? { filter: { kind: 'and', children: filters } } : {}),
        sort: parseSort(q.sort),
        page: { kind: 'cursor', after: q.cursor ?? null, limit: q.limit },
        withTotal: q.with_total,
      });
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
      return reply.code(201).header('etag', userEtag(user)).send(presentUser(user));
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Get a user (with its ETag; If-None-Match → 304)',
        params: UserIdParams,
        headers: ifNoneMatchHeaders,
        response: { 200: { $ref: 'NativeUser#' }, ...notModifiedResponse, ...errors },
      },
    },
    async (req, reply) => withEtag(req, reply, await readableUser(req.params.id, actorOf(req))),
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Update a user (partial; If-Match → 412 when stale)',
        params: UserIdParams,
        headers: ifMatchHeaders,
        body: PatchUserBody,
        response: { 200: { $ref: 'NativeUser#' }, ...conditionalErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const target = await readableUser(req.params.id, actor);
      // Before any password check or hash: a stale ETag costs nothing.
      const version = expectedVersion(req, userEtag(target), target.version);
      // Roster's own rule: a new email for oneself needs the current password.
      await core.credentials.assertEmailChangeAllowed(actor, target, req.body.email, req.body.current_password, { ip: req.ip });
      const updated = await core.users.update(actor, target, userInputFromWire(req.body), { expectedVersion: version });
      return reply.header('etag', userEtag(updated)).send(presentUser(updated));
    },
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        tags,
        summary: 'Delete a user (If-Match → 412 when stale)',
        params: UserIdParams,
        headers: ifMatchHeaders,
        response: { ...conditionalErrors },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const target = await readableUser(req.params.id, actor);
      await core.users.delete(actor, target, undefined, { expectedVersion: expectedVersion(req, userEtag(target), target.version) });
      return reply.code(204).send();
    },
  );

  /** The user with its ETag, or 304 when If-None-Match already names it. */
  const withEtag = (req: FastifyRequest, reply: FastifyReply, user: User) => {
    const etag = userEtag(user);
    reply.header('etag', etag);
    if (notModified(req, etag)) return reply.code(304).send();
    return presentUser(user);
  };

  /** Another tenant's user answers exactly like a missing one (no existence leak). */
  const readableUser = (id: number, actor: ReturnType<typeof actorOf>) => readableUserOf(core, actor, id);
};
