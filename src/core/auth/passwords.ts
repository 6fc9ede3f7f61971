/**
 * Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane). @node-rs/argon2
 * runs on libuv's thread pool, so hashing never blocks the event loop.
 */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors.ts';
import { commonPasswords } from './common-passwords.ts';

export const argonParams = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const passwordBounds = { min: 8, max: 1024 };

/** A hash of a random string, so an unknown account still costs one verify (no timing oracle). */
let dummyHash: Promise<string> | undefined;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, argonParams);
}

export async function verifyPassword(stored: string | null, plain: string): Promise<boolean> {
  if (!stored) {
    dummyHash ??= hash('roster-dummy-password-for-timing', argonParams);
    await verify(await dummyHash, plain).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, plain);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters and should be replaced on next login. */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(`$argon2id$v=19$m=${argonParams.memoryCost},t=${argonParams.timeCost},p=${argonParams.parallelism}$`);
}

/** Length bounds (ASVS 6.2.1, 6.2.9) and the common-password list (6.2.4); no composition rules. */
export function checkPasswordStrength(plain: string, field = 'password'): void {
  const chars = [...plain].length;
  if (chars < passwordBounds.min) {
    throw new AppError('VALIDATION_FAILED', `${field}: must be at least ${passwordBounds.min} characters`, {
      issues: [
        {
          field,
          kind: 'too_short',
          message: `This password is too short. It must contain at least ${passwordBounds.min} characters.`,
          ctx: { min_length: passwordBounds.min },
        },
      ],
    });
  }
  if (chars > passwordBounds.max) {
    throw new AppError('VALIDATION_FAILED', `${field}: must be at most ${passwordBounds.max} characters`, {
      issues: [
        {
          field,
          kind: 'too_long',
          message: `This password is too long. It must contain at most ${passwordBounds.max} characters.`,
          ctx: { max_length: passwordBounds.max },
        },
      ],
    });
  }
  if (commonPasswords.has(plain.toLowerCase())) {
    throw new AppError('VALIDATION_FAILED', `${field}: too common`, {
      issues: [{ field, kind: 'common', message: 'This password is too common.' }],
    });
  }
}
