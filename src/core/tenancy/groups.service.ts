/**
 * Site groups (CVAT's `admin`, `user`, `worker`, plus custom ones) and site roles (Testmo's
 * `role_id`). Membership of `admin` makes a site admin, so changing anyone's groups is an admin act.
 * The plain methods take no actor (registration, bootstrap, CLI); the `…As` methods check policy.
 */
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { authorize } from '../policy/policy.ts';
import type { Store } from '../ports.ts';
import type { Group, Role } from './types.ts';
import { checkGroupName, checkRoleName } from './validation.ts';

export type GroupsService = ReturnType<typeof createGroupsService>;
export type RolesService = ReturnType<typeof createRolesService>;

function unknownGroup(name: string, field = 'groups'): AppError {
  return new AppError('GROUP_NOT_FOUND', `Object with name=${name} does not exist.`, {
    issues: [{ field, kind: 'invalid', message: `Object with name=${name} does not exist.`, input: name }],
  });
}

export function createGroupsService({ store, clock }: { store: Store; clock: Clock }) {
  async function ensure(name: string): Promise<Group> {
    const checked = checkGroupName(name);
    const [found] = await store.groups.findByNames([checked]);
    if (found) return found;
    try {
      return await store.groups.insert(checked, isoNow(clock));
    } catch (err) {
      // A concurrent ensure inserted it first.
      if (err instanceof AppError && err.code === 'NAME_TAKEN') {
        const [again] = await store.groups.findByNames([checked]);
        if (again) return again;
      }
      throw err;
    }
  }

  async function named(name: string): Promise<Group> {
    const [found] = await store.groups.findByNames([name]);
    if (!found) throw unknownGroup(name);
    return found;
  }

  /** The groups with these names, all of them, or GROUP_NOT_FOUND naming the first unknown one. */
  async function allNamed(names: readonly string[]): Promise<Group[]> {
    const unique = [...new Set(names)];
    const found = await store.groups.findByNames(unique);
    const missing = unique.find((n) => !found.some((g) => g.name === n));
    if (missing !== undefined) throw unknownGroup(missing);
    return found;
  }

  async function setUserGroups(userId: number, names: readonly string[]): Promise<Group[]> {
    const groups = await allNamed(names);
    await store.transaction((tx) =>
      tx.groups.setUserGroups(
        userId,
        groups.map((g) => g.id),
      ),
    );
    return groups;
  }

  return {
    list: () => store.groups.list(),
    get: (id: number) => store.groups.findById(id),
    /** the group, created when absent (safe under concurrency) */
    ensure,
    /** GROUP_NOT_FOUND for an unknown name */
    async addUser(userId: number, name: string): Promise<void> {
      await store.groups.addUser(userId, (await named(name)).id);
    },
    async removeUser(userId: number, name: string): Promise<void> {
      await store.groups.removeUser(userId, (await named(name)).id);
    },
    /** exactly these groups, which must all exist (GROUP_NOT_FOUND otherwise, nothing changed) */
    setUserGroups,
    namesOfUser: (userId: number) => store.groups.namesOfUser(userId),
    /** every listed user's groups, in one query (Testmo expands, CVAT lists) */
    ofUsers: (userIds: readonly number[]) => store.groups.ofUsers(userIds),

    async createAs(actor: Actor, name: unknown): Promise<Group> {
      authorize(actor, 'groups.manage');
      return store.groups.insert(checkGroupName(name), isoNow(clock));
    },
    async deleteAs(actor: Actor, id: number): Promise<void> {
      authorize(actor, 'groups.manage');
      const group = await store.groups.findById(id);
      if (!group) throw new AppError('GROUP_NOT_FOUND');
      if (group.name === 'admin') throw new AppError('FORBIDDEN', 'the admin group cannot be deleted');
      await store.groups.delete(id);
    },
    async setUserGroupsAs(actor: Actor, userId: number, names: readonly string[]): Promise<Group[]> {
      authorize(actor, 'groups.manage');
      if (!(await store.users.findById(userId))) throw new AppError('USER_NOT_FOUND');
      return setUserGroups(userId, names);
    },
  };
}

export function createRolesService({ store, clock }: { store: Store; clock: Clock }) {
  return {
    list: () => store.roles.list(),
    get: (id: number) => store.roles.findById(id),
    findByName: (name: string) => store.roles.findByName(name),
    /** the roles with these ids, in one query */
    getMany: (ids: readonly number[]) => store.roles.getMany(ids),
    /** the role, created when absent (safe under concurrency) */
    async ensure(name: string): Promise<Role> {
      const checked = checkRoleName(name);
      const found = await store.roles.findByName(checked);
      if (found) return found;
      try {
        return await store.roles.insert(checked, isoNow(clock));
      } catch (err) {
        if (err instanceof AppError && err.code === 'NAME_TAKEN') {
          const again = await store.roles.findByName(checked);
          if (again) return again;
        }
        throw err;
      }
    },
    async createAs(actor: Actor, name: unknown): Promise<Role> {
      authorize(actor, 'roles.manage');
      return store.roles.insert(checkRoleName(name), isoNow(clock));
    },
  };
}
