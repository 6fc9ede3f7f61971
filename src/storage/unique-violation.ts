/**
 * Maps a database unique-constraint failure onto the domain error it means. Uniqueness is decided
 * by the database (never read-then-write), so concurrent creates of one email give one user.
 */
import { AppError, type ErrorCode } from '../core/errors.ts';

const byConstraint: Record<string, { code: ErrorCode; field: string }> = {
  users_email_key: { code: 'EMAIL_TAKEN', field: 'email' },
  'users.email': { code: 'EMAIL_TAKEN', field: 'email' },
  users_username_key: { code: 'USERNAME_TAKEN', field: 'username' },
  'users.username': { code: 'USERNAME_TAKEN', field: 'username' },
  users_mobile_no_key: { code: 'MOBILE_TAKEN', field: 'mobileNo' },
  'users.mobile_no': { code: 'MOBILE_TAKEN', field: 'mobileNo' },
};

/** The constraint (PostgreSQL) or index/column (SQLite) named by a unique violation, if it is one. */
export function uniqueViolationTarget(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: string; constraint?: string; message?: string };
  if (e.code === '23505') return e.constraint ?? 'unknown';
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const m = /UNIQUE constraint failed: (?:index '([^']+)'|([\w.]+))/.exec(e.message ?? '');
    return m?.[1] ?? m?.[2] ?? 'unknown';
  }
  return undefined;
}

/** Rethrows a unique violation as its AppError; anything else unchanged. */
export function mapUniqueViolation(err: unknown, extra: Record<string, { code: ErrorCode; field: string }> = {}): never {
  const target = uniqueViolationTarget(err);
  if (target !== undefined) {
    const hit = byConstraint[target] ?? extra[target];
    if (hit) {
      throw new AppError(hit.code, undefined, { issues: [{ field: hit.field, kind: 'unique', message: `${hit.field} already in use` }] });
    }
    throw new AppError('CONFLICT');
  }
  throw err;
}

/** A conditional write (If-Match) whose expected row version is no longer current. */
export function preconditionFailed(): AppError {
  return new AppError('PRECONDITION_FAILED', 'The resource changed since it was read; fetch it again for a fresh ETag');
}
