/**
 * Plane's wire shapes (makeplane/plane `api/serializers/user.py`). The response schemas also fix
 * the key order: Fastify serializes properties in the order they are declared here.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.ts';

const userLiteProperties = {
  id: Type.String({ format: 'uuid', description: "the user's uuid" }),
  first_name: Type.String({ description: '"" when unset' }),
  last_name: Type.String({ description: '"" when unset' }),
  email: Type.String({ description: 'lower-case' }),
  avatar: Type.String({ description: 'avatar URL, "" when unset' }),
  avatar_url: Nullable(Type.String({ description: 'avatar URL, null when unset' })),
  display_name: Type.String({ description: '"First Last" when names are set, else the email local part' }),
};

/** UserLiteSerializer: exactly these seven keys, in this order. */
export const UserLite = Type.Object(userLiteProperties, { additionalProperties: false });
export type UserLite = Static<typeof UserLite>;

/** A workspace member: the UserLite keys, then Plane's integer role (20 Admin, 15 Member, 5 Guest). */
export const WorkspaceMember = Type.Object(
  { ...userLiteProperties, role: Type.Integer({ enum: [20, 15, 5], description: '20 Admin, 15 Member, 5 Guest' }) },
  { additionalProperties: false },
);
export type WorkspaceMember = Static<typeof WorkspaceMember>;

export const Workspace = Type.Object(
  { id: Type.String({ format: 'uuid' }), name: Type.String(), slug: Type.String() },
  { additionalProperties: false },
);
export type Workspace = Static<typeof Workspace>;

export const WorkspaceParams = Type.Object({ slug: Type.String({ maxLength: 255 }) });
/** Django's `<uuid:…>` converter: lower-case hex only, no `urn:uuid:` prefix. */
const PlaneUuid = Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' });
export const ProjectParams = Type.Object({ slug: Type.String({ maxLength: 255 }), project_id: PlaneUuid });

const detail = Type.Object({ detail: Type.String() });
const error = Type.Object({ error: Type.String() });
const rateLimited = Type.Object({ error_code: Type.Integer(), error_message: Type.String() });

/** Error responses every authenticated Plane route can give. */
export const planeErrorResponses = { 401: detail, 403: detail, 404: error, 429: rateLimited };
