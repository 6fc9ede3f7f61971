import { type Kysely, sql } from 'kysely';
import type { MembershipsRepository } from '../../core/ports.ts';
import { idList } from '../id-list.ts';
import { rowToUser } from '../mappers.ts';
import type { DialectName } from '../migrations/context.ts';
import { precompiled } from '../precompiled.ts';
import type { Database, MembershipRow, UserRow } from '../schema.ts';
import { rowToMembership } from '../tenancy-mappers.ts';
import { mapUniqueViolation, preconditionFailed } from '../unique-violation.ts';

const alreadyMember = {
  memberships_user_org_key: { code: 'ALREADY_MEMBER', field: 'userId' },
  'memberships.user_id': { code: 'ALREADY_MEMBER', field: 'userId' },
} as const;

const membershipColumns = ['id', 'user_id', 'org_id', 'role', 'is_active', 'joined_at', 'invited_by'] as const;

export function membershipsRepository(db: Kysely<Database>, dialect: DialectName): MembershipsRepository {
  const ids = idList(dialect);
  // parameters: org id, user ids
  const membershipsOfUsers = precompiled(db, (db) =>
    db
      .selectFrom('memberships')
      .selectAll()
      .where('org_id', '=', 0)
      .where(ids.test('user_id', ids.parameter([]))),
  );
  const exists = async (id: number) =>
    (await db.selectFrom('memberships').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  return {
    async insert(m) {
      try {
        const row = await db
          .insertInto('memberships')
          .values({
            user_id: m.userId,
            org_id: m.orgId,
            role: m.role,
            is_active: m.isActive ? 1 : 0,
            joined_at: m.joinedAt,
            invited_by: m.invitedBy,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return rowToMembership(row);
      } catch (err) {
        mapUniqueViolation(err, alreadyMember);
      }
    },
    async find(userId, orgId) {
      const row = await db
        .selectFrom('memberships')
        .selectAll()
        .where('user_id', '=', userId)
        .where('org_id', '=', orgId)
        .executeTakeFirst();
      return row ? rowToMembership(row) : undefined;
    },
    async listByOrg(orgId) {
      // One query: memberships and their users side by side (Plane's plain member arrays).
      const rows = await db
        .selectFrom('memberships')
        .innerJoin('users', 'users.id', 'memberships.user_id')
        .selectAll('users')
        .select(membershipColumns.map((c) => `memberships.${c} as m_${c}` as const))
        .where('memberships.org_id', '=', orgId)
        .orderBy('memberships.joined_at')
        .orderBy('memberships.id')
        .execute();
      return rows.map((row) => {
        const r = row as unknown as Record<string, unknown>;
        const m = Object.fromEntries(membershipColumns.map((c) => [c, r[`m_${c}`]])) as unknown as MembershipRow;
        return { membership: rowToMembership(m), user: rowToUser(row as unknown as UserRow) };
      });
    },
    async listByUser(userId) {
      const rows = await db
        .selectFrom('memberships')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('joined_at')
        .orderBy('id')
        .execute();
      return rows.map(rowToMembership);
    },
    async findMany(orgId, userIds) {
      if (userIds.length === 0) return [];
      const rows = await membershipsOfUsers([orgId, ids.parameter([...new Set(userIds)])]);
      return rows.map(rowToMembership);
    },
    /** +1 on `version`; with `expectedVersion`, compare and set in one statement (see users.update). */
    async update(id, patch, expectedVersion) {
      const set: { role?: string; is_active?: number } = {};
      if (patch.role !== undefined) set.role = patch.role;
      if (patch.isActive !== undefined) set.is_active = patch.isActive ? 1 : 0;
      if (Object.keys(set).length === 0) {
        const row = await db.selectFrom('memberships').selectAll().where('id', '=', id).executeTakeFirst();
        if (row && expectedVersion !== undefined && row.version !== expectedVersion) throw preconditionFailed();
        return row ? rowToMembership(row) : undefined;
      }
      let q = db
        .updateTable('memberships')
        .set({ ...set, version: sql<number>`version + 1` })
        .where('id', '=', id);
      if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
      const row = await q.returningAll().executeTakeFirst();
      if (!row && expectedVersion !== undefined && (await exists(id))) throw preconditionFailed();
      return row ? rowToMembership(row) : undefined;
    },
    async delete(id, expectedVersion) {
      let q = db.deleteFrom('memberships').where('id', '=', id);
      if (expectedVersion !== undefined) q = q.where('version', '=', expectedVersion);
      const r = await q.executeTakeFirst();
      const deleted = Number(r.numDeletedRows) > 0;
      if (!deleted && expectedVersion !== undefined && (await exists(id))) throw preconditionFailed();
      return deleted;
    },
    async countActiveOwners(orgId) {
      const r = await db
        .selectFrom('memberships')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('org_id', '=', orgId)
        .where('role', '=', 'owner')
        .where('is_active', '=', 1)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}
