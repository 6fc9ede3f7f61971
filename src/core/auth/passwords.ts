/**
 * Password hashing with argon2id at OWASP's parameters (19 MiB, 2 passes, 1 lane). @node-rs/argon2
 * runs on libuv's thread pool, so hashing never blocks the event loop.
 */
import { availableParallelism } from 'node:os';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { AppError } from '../errors.ts';
import { isCommonPassword } from './common-passwords.ts';
import { semaphore } from './semaphore.ts';

/**
 * At most one argon2 computation per available core at a time. Each holds 19 MiB while it runs,
 * and libuv would run four at once (its thread pool) however few cores there are: a login flood
 * then held 4 × 19 MiB (and the allocator kept it: 301–354 MB peak RSS at 1M users) for no more
 * throughput than the cores give. Waiting logins queue here, costing a closure each.
 */
const slots = semaphore(Math.max(1, Math.min(4, availableParallelism())));
const hash = (plain: string, params: typeof argonParams) => slots.run(() => argonHash(plain, params));
const verify = (stored: string, plain: string) => slots.run(() => argonVerify(stored, plain));

export const argonParams = { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const passwordBounds = { min: 8, max: 1024 };

/** A hash of a fixed string, so an unknown account still costs one verify (no timing oracle). */
let dummyHash: Promise<string> | undefined;

/** Computes the dummy hash ahead of the first login, so that login costs one verify too. */
export function warmUpPasswordHashing(): Promise<string> {
  dummyHash ??= hash('roster-dummy-password-for-timing', argonParams);
  return dummyHash;
}

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, argonParams);
}

/** One argon2 verify whatever `stored` is: a missing hash verifies against the dummy and fails. */
export async function verifyPassword(stored: string | null, plain: string): Promise<boolean> {
  if (!stored) {
    await verify(await warmUpPasswordHashing(), plain).catch(() => false);
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

/** Context words shorter than this are not checked (they would refuse too much). */
const MIN_CONTEXT_WORD = 4;

/**
 * Length bounds (ASVS 6.2.1, 6.2.9), the common-password list (6.2.4) and, when given, context
 * words such as the username, the email's local part and the product name (6.2.11); no
 * composition rules (6.2.5). The password is checked exactly as typed (6.2.8).
 */
export function checkPasswordStrength(plain: string, field = 'password', context: readonly (string | undefined)[] = []): void {
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
  if (isCommonPassword(plain)) {
    throw new AppError('VALIDATION_FAILED', `${field}: too common`, {
      issues: [{ field, kind: 'common', message: 'This password is too common.' }],
    });
  }
  const lower = plain.toLowerCase();
  const word = context.map((w) => w?.trim().toLowerCase() ?? '').find((w) => w.length >= MIN_CONTEXT_WORD && lower.includes(w));
  if (word !== undefined) {
    throw new AppError('VALIDATION_FAILED', `${field}: too similar to the account`, {
      issues: [{ field, kind: 'similar', message: 'This password is too similar to the username, the email or the product name.' }],
    });
  }
}

/** The context words of an account for `checkPasswordStrength`. */
export function accountContextWords(account: { username?: string | undefined; email?: string | undefined }): string[] {
  return [account.username, account.email?.split('@')[0], 'roster'].filter((w): w is string => typeof w === 'string');
}
