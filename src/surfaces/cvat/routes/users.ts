/**
 * `/api/users`, `/api/users/self`, `/api/users/{id}` (GET, PATCH, DELETE). The object is looked
 * up before any permission check (404 first), as DRF's `get_object` does; then policy decides.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Actor } from '../../../core/auth/actor.ts';
import type { Core } from '../../../core/index.ts';
import { can, userListVisibilityIn } from '../../../core/policy/policy.ts';
import type { User } from '../../../core/users/users.types.ts';
import { actorOf } from '../../../http/auth.ts';
import type { SurfaceOptions } from '../../types.ts';
import { CvatDetailError, cvatMessages } from '../errors.ts';
import { listRequest, pageLink, pagePlan, type Query } from '../list-query.ts';
import { orgContextOf } from '../org.ts';
import { authorizePatch, validatePatch } from '../patch.ts';
import { fullUser, fullUserFields, presentOne, presentPage } from '../present.ts';

async function findTarget(core: Core, raw: string): Promise<User> {
  const user = /^\d{1,15}$/.test(raw) ? await core.users.findById(Number(raw)) : undefined;
  if (!user) throw new CvatDetailError(404, cvatMessages.noUser);
  return user;
}

/** Lookup, then the view right in the request's organization context (CVAT's detail-view quirk). */
async function viewable(core: Core, actor: Actor, req: FastifyRequest): Promise<User> {
  const target = await findTarget(core, (req.params as { id: string }).id);
  const context = await orgContextOf(core, actor, req);
  if (!can(actor, 'users.read', { target, context }).allow) throw new CvatDetailError(403, cvatMessages.forbidden);
  return target;
}

export const cvatUserRoutes: FastifyPluginAsync<SurfaceOptions> = async (app, { core, publicUrl }) => {
  app.get('/api/users/self', { schema: { tags: ['cvat'], summary: 'The current user' } }, async (req) => {
    const actor = actorOf(req);
    await orgContextOf(core, actor, req);
    // an API key's groups came with it (one lookup per request, not two); sessions read them here
    return fullUser(publicUrl, actor.user, actor.groups ? [...actor.groups] : await core.groups.namesOfUser(actor.user.id));
  });

  app.get('/api/users', { schema: { tags: ['cvat'], summary: 'List users' } }, async (req) => {
    const actor = actorOf(req);
    const q = req.query as Query;
    const context = await orgContextOf(core, actor, req);
    const visibility = userListVisibilityIn(actor, context);
    const plan = pagePlan(q);
    let number = plan.number;
    if (number === 'last') {
      const probe = await core.users.listWithVisibility(listRequest(q, 0, 1), visibility);
      number = Math.max(1, Math.ceil((probe.total ?? 0) / plan.size));
    }
    const offset = (number - 1) * plan.size;
    const page = await core.users.listWithVisibility(listRequest(q, offset, plan.size), visibility, fullUserFields);
    const count = page.total ?? 0;
    // Django's paginator: page 1 always exists (even empty); any other page must hold rows.
    if (number > 1 && offset >= count) throw new CvatDetailError(404, cvatMessages.invalidPage);
    const path = req.url.split('?')[0] ?? '/api/users';
    return {
      count,
      next: offset + plan.size < count ? pageLink(publicUrl, path, q, number + 1) : null,
      previous: number > 1 ? pageLink(publicUrl, path, q, number === 2 ? null : number - 1) : null,
      results: await presentPage(core, publicUrl, actor, page.items),
    };
  });

  app.get('/api/users/:id', { schema: { tags: ['cvat'], summary: 'A user' } }, async (req) => {
    const actor = actorOf(req);
    return presentOne(core, publicUrl, actor, await viewable(core, actor, req));
  });

  app.patch('/api/users/:id', { schema: { tags: ['cvat'], summary: 'Update a user (partial)' } }, async (req) => {
    const actor = actorOf(req);
    const target = await viewable(core, actor, req);
    const body = req.body ?? {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw new CvatDetailError(400, `Invalid data. Expected a dictionary, but got ${Array.isArray(body) ? 'list' : typeof body}.`);
    }
    const sent = body as Record<string, unknown>;
    authorizePatch(actor, target, sent);
    const known = 'groups' in sent ? new Set((await core.groups.list()).map((g) => g.name)) : new Set<string>();
    const { input, groups } = validatePatch(sent, known);
    // Groups were checked to exist above, so after the user row is written nothing else can fail.
    const updated = Object.keys(input).length > 0 ? await core.users.update(actor, target, input) : target;
    if (groups) await core.groups.setUserGroupsAs(actor, target.id, groups);
    return presentOne(core, publicUrl, actor, updated);
  });

  app.delete('/api/users/:id', { schema: { tags: ['cvat'], summary: 'Delete a user' } }, async (req, reply) => {
    const actor = actorOf(req);
    const target = await viewable(core, actor, req);
    if (!can(actor, 'users.delete', { target }).allow) throw new CvatDetailError(403, cvatMessages.forbidden);
    await core.users.delete(actor, target);
    return reply.code(204).send();
  });
};
