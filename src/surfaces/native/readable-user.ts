/** The user `id` as `actor` may read it; another tenant's user answers exactly like a missing one. */
import type { Actor } from '../../core/auth/actor.ts';
import { AppError } from '../../core/errors.ts';
import type { Core } from '../../core/index.ts';
import type { User } from '../../core/users/users.types.ts';

export async function readableUser(core: Core, actor: Actor, id: number): Promise<User> {
  try {
    return await core.users.get(actor, id);
  } catch (err) {
    if (err instanceof AppError && err.code === 'FORBIDDEN') throw new AppError('USER_NOT_FOUND');
    throw err;
  }
}
