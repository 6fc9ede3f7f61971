/** Core → ZenML wire and back. Only the response schema's seventeen keys leave; `password` is always null. */
import type { Core } from '../../core/index.ts';
import type { User, UserInput } from '../../core/users/users.types.ts';
import type { UserUpdate, ZenmlUser } from './schemas.ts';

const NAME_MAX = 50;

/** ZenML's model caps names at 50 characters; a longer display name set elsewhere is shown cut, not refused. */
function clip(text: string | null): string | null {
  if (text === null) return null;
  const chars = [...text];
  return chars.length > NAME_MAX ? chars.slice(0, NAME_MAX).join('') : text;
}

/** `organizationUuid`: the service account's organization (see `core.users.serviceOrganizationUuid`). */
export function presentUser(u: User, organizationUuid: string | null): ZenmlUser {
  return {
    password: null,
    password_expired: u.passwordExpired,
    name: clip(u.displayName) || null,
    avatar_url: u.avatarUrl,
    company: clip(u.company),
    job_title: clip(u.jobTitle),
    metadata: u.metadata,
    id: u.uuid,
    username: u.username,
    // ZenML shows a service account's username as its email (the docs' "autobot" example).
    email: u.isServiceAccount ? u.username : u.email,
    oauth_provider: u.oauthProvider,
    oauth_id: u.oauthId,
    is_active: u.isActive,
    is_superuser: u.isSuperuser,
    is_service_account: u.isServiceAccount,
    organization_id: u.isServiceAccount ? organizationUuid : null,
    is_onboarded: u.isOnboarded,
  };
}

export async function presentOne(core: Core, u: User): Promise<ZenmlUser> {
  return presentUser(u, await core.users.serviceOrganizationUuid(u));
}

/** A page of users; each distinct organization is looked up once. */
export async function presentMany(core: Core, users: User[]): Promise<ZenmlUser[]> {
  const byOrg = new Map<number, Promise<string | null>>();
  return Promise.all(
    users.map(async (u) => {
      if (!u.isServiceAccount || u.serviceOrgId === null) return presentUser(u, null);
      let uuid = byOrg.get(u.serviceOrgId);
      if (!uuid) {
        uuid = core.users.serviceOrganizationUuid(u);
        byOrg.set(u.serviceOrgId, uuid);
      }
      return presentUser(u, await uuid);
    }),
  );
}

/**
 * A validated ZenML update → core input. `null` clears the optional text fields (`name` falls back
 * to the derived display name, `metadata` to `{}`); for the rest, `null` means "no change".
 */
export function updateInputFromWire(body: UserUpdate): UserInput {
  const input: UserInput = {};
  if (body.name !== undefined) input.displayName = body.name ?? '';
  if (body.avatar_url !== undefined) input.avatarUrl = body.avatar_url;
  if (body.company !== undefined) input.company = body.company;
  if (body.job_title !== undefined) input.jobTitle = body.job_title;
  if (body.metadata !== undefined) input.metadata = body.metadata ?? {};
  if (body.username != null) input.username = body.username;
  if (body.email != null) input.email = body.email;
  if (body.is_active != null) input.isActive = body.is_active;
  if (body.is_superuser != null) input.isSuperuser = body.is_superuser;
  if (body.is_onboarded != null) input.isOnboarded = body.is_onboarded;
  if (body.password_expired != null) input.passwordExpired = body.password_expired;
  if (body.password != null) input.password = body.password;
  return input;
}
