/** What the ZenML route files share: the update flow, the error responses for the docs, and the docs-only validator. */
import type { Actor } from '../../../core/auth/actor.ts';
import type { Core } from '../../../core/index.ts';
import type { User } from '../../../core/users/users.types.ts';
import { fromPart } from '../errors.ts';
import { updateInputFromWire } from '../present.ts';
import { assertUpdateAllowed } from '../rules.ts';
import type { UserUpdate } from '../schemas.ts';

/**
 * The route schemas document the API; `pydantic.ts` validates, so that errors read as pydantic's.
 * This route-level compiler keeps Ajv out of the way.
 */
export const documentationOnly = () => () => true;

const httpError = { $ref: 'ZenmlHTTPError#' };
export const errorResponses = {
  401: httpError,
  403: httpError,
  404: httpError,
  409: httpError,
  422: { $ref: 'ZenmlHTTPValidationError#' },
};

/**
 * Applies a validated ZenML update to `target`: the product's rules first, then one core write.
 * Changing one's own account goes through `updateSelf`, so a new password needs the current one
 * and clears `password_expired`; anyone else's account is an administrator's `update`.
 */
export async function applyUpdate(core: Core, actor: Actor, target: User, update: UserUpdate, sent: unknown): Promise<User> {
  assertUpdateAllowed(actor, target, update);
  const input = updateInputFromWire(update);
  if (Object.keys(input).length === 0) return target;
  return fromPart('body', sent, () =>
    actor.user.id === target.id
      ? core.users.updateSelf(actor, input, update.old_password ?? undefined)
      : core.users.update(actor, target, input),
  );
}
