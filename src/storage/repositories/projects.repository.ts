import type { Kysely } from 'kysely';
import type { ProjectsRepository } from '../../core/ports.ts';
import { idList } from '../id-list.ts';
import type { DialectName } from '../migrations/context.ts';
import { precompiled } from '../precompiled.ts';
import type { Database } from '../schema.ts';
import { rowToProject, rowToProjectMember } from '../tenancy-mappers.ts';
import { mapUniqueViolation } from '../unique-violation.ts';

const alreadyMember = {
  project_members_project_user_key: { code: 'ALREADY_MEMBER', field: 'userId' },
  'project_members.project_id': { code: 'ALREADY_MEMBER', field: 'userId' },
} as const;

export function projectsRepository(db: Kysely<Database>, dialect: DialectName): ProjectsRepository {
  const ids = idList(dialect);
  // parameters: project id, user ids
  const membersAmong = precompiled(db, (db) =>
    db
      .selectFrom('project_members')
      .selectAll()
      .where('project_id', '=', 0)
      .where(ids.test('user_id', ids.parameter([]))),
  );
  return {
    async insert(p) {
      const row = await db
        .insertInto('projects')
        .values({ uuid: p.uuid, org_id: p.orgId, name: p.name, created_by: p.createdBy, created_at: p.createdAt, updated_at: p.updatedAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      return rowToProject(row);
    },
    async findById(id) {
      const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? rowToProject(row) : undefined;
    },
    async findByUuid(uuid) {
      const row = await db.selectFrom('projects').selectAll().where('uuid', '=', uuid).executeTakeFirst();
      return row ? rowToProject(row) : undefined;
    },
    async listByOrg(orgId) {
      const rows = await db.selectFrom('projects').selectAll().where('org_id', '=', orgId).orderBy('id').execute();
      return rows.map(rowToProject);
    },
    async update(id, patch) {
      const set: { name?: string; updated_at: string } = { updated_at: patch.updatedAt };
      if (patch.name !== undefined) set.name = patch.name;
      const row = await db.updateTable('projects').set(set).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? rowToProject(row) : undefined;
    },
    async delete(id) {
      const r = await db.deleteFrom('projects').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async addMember(m) {
      try {
        const row = await db
          .insertInto('project_members')
          .values({ project_id: m.projectId, user_id: m.userId, role: m.role, created_at: m.createdAt })
          .returningAll()
          .executeTakeFirstOrThrow();
        return rowToProjectMember(row);
      } catch (err) {
        mapUniqueViolation(err, alreadyMember);
      }
    },
    async findMember(projectId, userId) {
      const row = await db
        .selectFrom('project_members')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row ? rowToProjectMember(row) : undefined;
    },
    async updateMember(id, role) {
      const row = await db.updateTable('project_members').set({ role }).where('id', '=', id).returningAll().executeTakeFirst();
      return row ? rowToProjectMember(row) : undefined;
    },
    async removeMember(projectId, userId) {
      const r = await db.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async removeFromOrgProjects(userId, orgId) {
      await db
        .deleteFrom('project_members')
        .where('user_id', '=', userId)
        .where('project_id', 'in', (eb) => eb.selectFrom('projects').select('projects.id').where('projects.org_id', '=', orgId))
        .execute();
    },
    async findMembers(projectId, userIds) {
      if (userIds.length === 0) return [];
      const rows = await membersAmong([projectId, ids.parameter([...new Set(userIds)])]);
      return rows.map(rowToProjectMember);
    },
    async hasAnyIn(userId, orgId) {
      const row = await db
        .selectFrom('project_members')
        .innerJoin('projects', 'projects.id', 'project_members.project_id')
        .select('project_members.id')
        .where('project_members.user_id', '=', userId)
        .where('projects.org_id', '=', orgId)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
