/**
 * Projects inside an organization, and their members (Testmo's project users, Plane's project
 * members). A project member is always a member of the project's organization: adding someone
 * from outside answers USER_NOT_FOUND, and leaving the organization drops its project memberships.
 */
import type { Actor } from '../auth/actor.ts';
import { type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { newUuid } from '../ids.ts';
import { type Action, authorize, can, type PolicyResource } from '../policy/policy.ts';
import type { Store } from '../ports.ts';
import type { ListRequest, ListResult } from '../query/model.ts';
import type { User } from '../users/users.types.ts';
import type { Project, ProjectMember, ProjectRole } from './types.ts';
import { checkName, checkProjectRole } from './validation.ts';

export type ProjectsService = ReturnType<typeof createProjectsService>;

export interface ProjectMemberWithUser {
  member: ProjectMember;
  user: User;
}

export function createProjectsService({ store, clock }: { store: Store; clock: Clock }) {
  /** The facts policy needs about the actor and a project. */
  async function factsOf(actor: Actor, project: Project): Promise<PolicyResource> {
    const [org, membership, projectMembership] = await Promise.all([
      store.organizations.findById(project.orgId),
      store.memberships.find(actor.user.id, project.orgId),
      store.projects.findMember(project.id, actor.user.id),
    ]);
    if (!org) throw new AppError('PROJECT_NOT_FOUND');
    return { org, project, ...(membership ? { membership } : {}), ...(projectMembership ? { projectMembership } : {}) };
  }

  /** The project if the actor may read it (PROJECT_NOT_FOUND otherwise, like a missing one), then `action` authorized. */
  async function access(
    actor: Actor,
    projectId: number,
    action: Action = 'projects.read',
  ): Promise<{ project: Project; facts: PolicyResource }> {
    const project = await store.projects.findById(projectId);
    if (!project) throw new AppError('PROJECT_NOT_FOUND');
    const facts = await factsOf(actor, project);
    if (!can(actor, 'projects.read', facts).allow) throw new AppError('PROJECT_NOT_FOUND');
    if (action !== 'projects.read') authorize(actor, action, facts);
    return { project, facts };
  }

  async function orgFacts(actor: Actor, orgId: number): Promise<PolicyResource> {
    const org = await store.organizations.findById(orgId);
    if (!org) throw new AppError('ORG_NOT_FOUND');
    const membership = await store.memberships.find(actor.user.id, org.id);
    const facts: PolicyResource = { org, ...(membership ? { membership } : {}) };
    if (!can(actor, 'orgs.read', facts).allow) throw new AppError('ORG_NOT_FOUND');
    return facts;
  }

  return {
    /** Creates a project; its creator becomes a project admin. */
    async create(actor: Actor, orgId: number, input: { name: unknown }): Promise<Project> {
      const name = checkName(input.name);
      const facts = await orgFacts(actor, orgId);
      authorize(actor, 'projects.create', facts);
      const now = isoNow(clock);
      return store.transaction(async (tx) => {
        const project = await tx.projects.insert({
          uuid: newUuid(),
          orgId,
          name,
          createdBy: actor.user.id,
          createdAt: now,
          updatedAt: null,
        });
        await tx.projects.addMember({ projectId: project.id, userId: actor.user.id, role: 'admin', createdAt: now });
        return project;
      });
    },

    /** PROJECT_NOT_FOUND when missing or not visible to the actor. */
    async get(actor: Actor, projectId: number): Promise<Project> {
      return (await access(actor, projectId)).project;
    },

    /** Lookup without a policy check. */
    find: (projectId: number) => store.projects.findById(projectId),
    /** By the public uuid (Plane's wire id); no policy check, as `find`. */
    findByUuid: (uuid: string) => store.projects.findByUuid(uuid),

    /** The organization's projects (ORG_NOT_FOUND when the actor cannot see the organization). */
    async listByOrg(actor: Actor, orgId: number): Promise<Project[]> {
      await orgFacts(actor, orgId);
      return store.projects.listByOrg(orgId);
    },

    async update(actor: Actor, projectId: number, input: { name?: unknown }): Promise<Project> {
      const { project } = await access(actor, projectId, 'projects.manage');
      const patch: { name?: string; updatedAt: string } = { updatedAt: isoNow(clock) };
      if (input.name !== undefined) patch.name = checkName(input.name);
      return (await store.projects.update(project.id, patch)) ?? project;
    },

    async delete(actor: Actor, projectId: number): Promise<void> {
      const { project } = await access(actor, projectId, 'projects.manage');
      await store.projects.delete(project.id);
    },

    /** Adds a member of the project's organization; USER_NOT_FOUND for anyone outside it. */
    async addMember(actor: Actor, projectId: number, userId: number, role: ProjectRole = 'member'): Promise<ProjectMember> {
      const checked = checkProjectRole(role);
      const { project } = await access(actor, projectId, 'projects.manage');
      const membership = await store.memberships.find(userId, project.orgId);
      if (!membership) throw new AppError('USER_NOT_FOUND');
      return store.projects.addMember({ projectId: project.id, userId, role: checked, createdAt: isoNow(clock) });
    },

    async setMemberRole(actor: Actor, projectId: number, userId: number, role: ProjectRole): Promise<ProjectMember> {
      const checked = checkProjectRole(role);
      const { project } = await access(actor, projectId, 'projects.manage');
      const member = await store.projects.findMember(project.id, userId);
      if (!member) throw new AppError('MEMBERSHIP_NOT_FOUND');
      return (await store.projects.updateMember(member.id, checked)) ?? member;
    },

    async removeMember(actor: Actor, projectId: number, userId: number): Promise<void> {
      const { project } = await access(actor, projectId, 'projects.manage');
      if (!(await store.projects.removeMember(project.id, userId))) throw new AppError('MEMBERSHIP_NOT_FOUND');
    },

    async isMember(userId: number, projectId: number): Promise<boolean> {
      return (await store.projects.findMember(projectId, userId)) !== undefined;
    },
    findMember: (projectId: number, userId: number) => store.projects.findMember(projectId, userId),

    /** Plane quirk: its project-member list needs membership of any project of the workspace. */
    hasAnyProjectIn: (userId: number, orgId: number) => store.projects.hasAnyIn(userId, orgId),

    /**
     * A page of the project's members through the query model (the `projectMembers` visibility),
     * for an actor allowed to read the project; PROJECT_NOT_FOUND otherwise.
     */
    async listMembers(actor: Actor, projectId: number, request: ListRequest): Promise<ListResult<ProjectMemberWithUser>> {
      const { project } = await access(actor, projectId);
      const page = await store.users.list(request, { kind: 'projectMembers', projectId: project.id });
      const members = await store.projects.findMembers(
        project.id,
        page.items.map((u) => u.id),
      );
      const byUser = new Map(members.map((m) => [m.userId, m]));
      return {
        ...page,
        items: page.items.flatMap((user) => {
          const member = byUser.get(user.id);
          return member ? [{ member, user }] : [];
        }),
      };
    },

    /** The same page with no policy check, for a surface that decided access itself through policy. */
    listMemberUsers: (projectId: number, request: ListRequest): Promise<ListResult<User>> =>
      store.users.list(request, { kind: 'projectMembers', projectId }),
  };
}
