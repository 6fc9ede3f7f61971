/**
 * What a page of admin user objects references, loaded in a fixed number of queries whatever the
 * page size: one for every user's groups (`core.groups.ofUsers`), one for the site roles (the
 * `role_id` fallback needs `Admin` and `Tester` by name, so the whole small roles table is read
 * once rather than by id and then by name), and, only for `expands=users`, one for the users named
 * in `created_by`/`updated_by`. Each expanded entity appears once, by id.
 */
import type { Core } from '../../core/index.ts';
import type { ExpandName } from './params.ts';
import {
  type AdminListedUser,
  compact,
  isSiteAdminUser,
  presentAdminUser,
  roleIdOf,
  siteRolesOf,
  type TestmoAdminUser,
} from './present.ts';

type Compact = { id: number; name: string };
export type Expands = Partial<Record<ExpandName, Compact[]>>;

export async function presentWithExpands(
  core: Core,
  users: readonly AdminListedUser[],
  expands: ReadonlySet<ExpandName>,
): Promise<{ result: TestmoAdminUser[]; expands: Expands }> {
  const [groupsByUser, roles] = await Promise.all([core.groups.ofUsers(users.map((u) => u.id)), core.roles.list()]);
  const site = siteRolesOf(roles);
  const result = users.map((u) => presentAdminUser(u, groupsByUser.get(u.id) ?? [], site));

  const out: Expands = {};
  if (expands.has('groups')) {
    const byId = new Map<number, Compact>();
    for (const u of users) for (const g of groupsByUser.get(u.id) ?? []) byId.set(g.id, compact(g));
    out.groups = sortedById(byId);
  }
  if (expands.has('roles')) {
    const referenced = new Set<number>();
    for (const u of users) {
      const id = roleIdOf(u, isSiteAdminUser(u, groupsByUser.get(u.id) ?? []), site);
      if (id !== null) referenced.add(id);
    }
    out.roles = roles.filter((r) => referenced.has(r.id)).map(compact);
  }
  if (expands.has('users')) {
    const ids = new Set<number>();
    for (const u of users) for (const id of [u.createdBy, u.updatedBy]) if (id !== null) ids.add(id);
    out.users = ids.size === 0 ? [] : await namesOfUsers(core, [...ids]);
  }
  return { result, expands: out };
}

/** `{id, name}` of the given users (at most two per listed user), in one query through the query model. */
async function namesOfUsers(core: Core, ids: number[]): Promise<Compact[]> {
  const page = await core.users.listWithVisibility(
    {
      filter: { kind: 'in', field: 'id', values: ids },
      sort: [{ field: 'id', direction: 'asc' }],
      page: { kind: 'all' },
      withTotal: false,
    },
    // the caller passed `users.admin`, which sees every user
    { kind: 'all' },
  );
  return page.items.map((u) => ({ id: u.id, name: u.displayName }));
}

function sortedById(byId: Map<number, Compact>): Compact[] {
  return [...byId.values()].sort((a, b) => a.id - b.id);
}
