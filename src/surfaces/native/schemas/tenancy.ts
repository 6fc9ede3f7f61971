/** Wire shapes of Roster's own `/v1` tenancy API (snake_case JSON). */
import { type Static, Type } from '@sinclair/typebox';
import { orgRoles, projectRoles } from '../../../core/tenancy/types.ts';
import { IntegerId, Nullable, Timestamp } from '../../../http/schemas.ts';

const OrgRole = Type.Union(orgRoles.map((r) => Type.Literal(r)));
const ProjectRole = Type.Union(projectRoles.map((r) => Type.Literal(r)));

export const Organization = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    slug: Type.String(),
    name: Type.String(),
    created_by: Nullable(Type.Integer()),
    created_at: Timestamp,
    updated_at: Nullable(Timestamp),
  },
  { $id: 'NativeOrganization' },
);

/** The part of a user other members of an organization or project see. */
export const MemberUser = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    username: Type.String(),
    email: Type.String(),
    display_name: Type.String(),
    first_name: Type.String(),
    last_name: Type.String(),
    avatar_url: Nullable(Type.String()),
    is_active: Type.Boolean(),
  },
  { $id: 'NativeMemberUser' },
);

export const Membership = Type.Object(
  {
    user: Type.Ref('NativeMemberUser'),
    org_id: Type.Integer(),
    role: OrgRole,
    is_active: Type.Boolean(),
    joined_at: Timestamp,
    invited_by: Nullable(Type.Integer()),
  },
  { $id: 'NativeMembership' },
);

export const Invitation = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    org_id: Type.Integer(),
    email: Type.String(),
    role: OrgRole,
    expires_at: Timestamp,
    created_by: Nullable(Type.Integer()),
    created_at: Timestamp,
    accepted_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
    /** only in the answer to create and resend */
    token: Type.Optional(Type.String()),
  },
  { $id: 'NativeInvitation' },
);

export const Project = Type.Object(
  {
    id: Type.Integer(),
    uuid: Type.String({ format: 'uuid' }),
    org_id: Type.Integer(),
    name: Type.String(),
    created_by: Nullable(Type.Integer()),
    created_at: Timestamp,
    updated_at: Nullable(Timestamp),
  },
  { $id: 'NativeProject' },
);

export const ProjectMember = Type.Object(
  { user: Type.Ref('NativeMemberUser'), project_id: Type.Integer(), role: ProjectRole, created_at: Timestamp },
  { $id: 'NativeProjectMember' },
);

export const Named = Type.Object({ id: Type.Integer(), name: Type.String(), created_at: Timestamp }, { $id: 'NativeNamed' });

export const tenancySchemas = [Organization, MemberUser, Membership, Invitation, Project, ProjectMember, Named];

const page = (item: string) =>
  Type.Object({
    data: Type.Array(Type.Ref(item)),
    next_cursor: Nullable(Type.String()),
    has_more: Type.Boolean(),
    total: Type.Optional(Type.Integer()),
  });
export const MembershipPage = page('NativeMembership');
export const ProjectMemberPage = page('NativeProjectMember');
export const OrganizationList = Type.Object({ data: Type.Array(Type.Ref('NativeOrganization')) });
export const InvitationList = Type.Object({ data: Type.Array(Type.Ref('NativeInvitation')) });
export const ProjectList = Type.Object({ data: Type.Array(Type.Ref('NativeProject')) });
export const NamedList = Type.Object({ data: Type.Array(Type.Ref('NativeNamed')) });

const strict = { additionalProperties: false } as const;

export const OrgParams = Type.Object({ org: Type.String({ minLength: 1, maxLength: 64 }) });
export const OrgMemberParams = Type.Object({ org: Type.String({ minLength: 1, maxLength: 64 }), userId: IntegerId });
export const OrgInvitationParams = Type.Object({
  org: Type.String({ minLength: 1, maxLength: 64 }),
  invitationId: Type.String({ format: 'uuid' }),
});
export const ProjectParams = Type.Object({ id: IntegerId });
export const ProjectMemberParams = Type.Object({ id: IntegerId, userId: IntegerId });
export const IdParams = Type.Object({ id: IntegerId });

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }),
    cursor: Type.Optional(Type.String({ maxLength: 2048 })),
    search: Type.Optional(Type.String({ maxLength: 512 })),
    with_total: Type.Boolean({ default: false }),
  },
  strict,
);
export type PageQuery = Static<typeof PageQuery>;

export const CreateOrgBody = Type.Object({ slug: Type.String({ maxLength: 64 }), name: Type.String({ maxLength: 200 }) }, strict);
export const PatchOrgBody = Type.Object(
  { slug: Type.Optional(Type.String({ maxLength: 64 })), name: Type.Optional(Type.String({ maxLength: 200 })) },
  strict,
);
export const AddMemberBody = Type.Object({ user_id: IntegerId, role: OrgRole }, strict);
export const PatchMemberBody = Type.Object(
  { role: Type.Optional(OrgRole), is_active: Type.Optional(Type.Boolean()) },
  { ...strict, minProperties: 1 },
);
export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    role: OrgRole,
    expires_in: Type.Optional(Type.Integer({ description: 'seconds, 3600 to 2592000 (default 7 days)' })),
  },
  strict,
);
export const ResendInvitationBody = Type.Object({ expires_in: Type.Optional(Type.Integer()) }, strict);
export const AcceptInvitationBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 512 }) }, strict);
export const CreateProjectBody = Type.Object({ name: Type.String({ maxLength: 200 }) }, strict);
export const PatchProjectBody = Type.Object({ name: Type.Optional(Type.String({ maxLength: 200 })) }, strict);
export const AddProjectMemberBody = Type.Object({ user_id: IntegerId, role: Type.Optional(ProjectRole) }, strict);
export const PatchProjectMemberBody = Type.Object({ role: ProjectRole }, strict);
export const NameBody = Type.Object({ name: Type.String({ maxLength: 200 }) }, strict);
export const UserGroupsBody = Type.Object({ groups: Type.Array(Type.String({ maxLength: 150 }), { maxItems: 100 }) }, strict);
export const UserGroupsResponse = Type.Object({ groups: Type.Array(Type.Ref('NativeNamed')) });
