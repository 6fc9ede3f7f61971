import type { Kysely } from 'kysely';
import type { GroupsRepository } from '../../core/ports.ts';
import type { Group } from '../../core/tenancy/types.ts';
import { idList } from '../id-list.ts';
import type { DialectName } from '../migrations/context.ts';
import { precompiled } from '../precompiled.ts';
import type { Database } from '../schema.ts';
import { rowToGroup } from '../tenancy-mappers.ts';
import { mapUniqueViolation } from '../unique-violation.ts';

const nameTaken = {
  groups_name_key: { code: 'NAME_TAKEN', field: 'name' },
  'groups.name': { code: 'NAME_TAKEN', field: 'name' },
} as const;

export function groupsRepository(db: Kysely<Database>, dialect: DialectName): GroupsRepository {
  const ids = idList(dialect);
  // every page of users reads its groups with this one statement
  const groupsOfUsers = precompiled(db, (db) =>
    db
      .selectFrom('user_groups')
      .innerJoin('groups', 'groups.id', 'user_groups.group_id')
      .select(['user_groups.user_id', 'groups.id', 'groups.name', 'groups.created_at'])
      .where(ids.test('user_groups.user_id', ids.parameter([])))
      .orderBy('user_groups.user_id')
      .orderBy('groups.id'),
  );
  return {
    async list() {
      const rows = await db.selectFrom('groups').selectAll().orderBy('id').execute();
      return rows.map(rowToGroup);
    },
    async findById(id) {
      const row = await db.selectFrom('groups').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToGroup(row) : undefined;
    },
    async findByNames(names) {
      if (names.length === 0) return [];
      const rows = await db
        .selectFrom('groups')
        .selectAll()
        .where('name', 'in', [...names])
        .orderBy('id')
        .execute();
      return rows.map(rowToGroup);
    },
    async insert(name, createdAt) {
      try {
        const row = await db.insertInto('groups').values({ name, created_at: createdAt }).returningAll().executeTakeFirstOrThrow();
        return rowToGroup(row);
      } catch (err) {
        mapUniqueViolation(err, nameTaken);
      }
    },
    async delete(id) {
      const r = await db.deleteFrom('groups').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async addUser(userId, groupId) {
      // Portable "insert if absent": both databases accept ON CONFLICT DO NOTHING on the primary key.
      await db
        .insertInto('user_groups')
        .values({ user_id: userId, group_id: groupId })
        .onConflict((oc) => oc.columns(['user_id', 'group_id']).doNothing())
        .execute();
    },
    async removeUser(userId, groupId) {
      const r = await db.deleteFrom('user_groups').where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async setUserGroups(userId, groupIds) {
      await db.deleteFrom('user_groups').where('user_id', '=', userId).execute();
      if (groupIds.length > 0) {
        await db
          .insertInto('user_groups')
          .values([...new Set(groupIds)].map((group_id) => ({ user_id: userId, group_id })))
          .execute();
      }
    },
    async namesOfUser(userId) {
      const rows = await db
        .selectFrom('user_groups')
        .innerJoin('groups', 'groups.id', 'user_groups.group_id')
        .select('groups.name')
        .where('user_groups.user_id', '=', userId)
        .orderBy('groups.id')
        .execute();
      return rows.map((r) => r.name);
    },
    async ofUsers(userIds) {
      const out = new Map<number, Group[]>();
      const unique = [...new Set(userIds)];
      for (const id of unique) out.set(id, []);
      if (unique.length === 0) return out;
      const rows = await groupsOfUsers([ids.parameter(unique)]);
      for (const r of rows) out.get(r.user_id)?.push(rowToGroup(r));
      return out;
    },
  };
}
