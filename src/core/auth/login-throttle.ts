/**
 * Brute-force throttling of password checks (ASVS 6.1.1, 6.3.x; checklist J4–J6, G4).
 *
 * Three counters per attempt, each with its own threshold:
 * - account + client address (`maxFailures`): the targeted guesser. Another address is not
 *   affected, so an attacker cannot lock a victim out from elsewhere.
 * - account alone (5 × `maxFailures`): a guesser spread over many addresses.
 * - client address alone (10 × `maxFailures`): one address trying many accounts.
 *
 * An attempt is counted *before* its password is verified, so 100 parallel guesses cannot all
 * slip under the threshold (the increment is atomic in both stores). Past a threshold the next
 * attempt is evaluated only once a delay has passed, and each failure doubles the delay (1 s, 2 s,
 * 4 s … at most 15 min). While blocked, every attempt, right password or wrong, gets the same
 * RATE_LIMITED answer with `retryAfter`, without a password check; unknown accounts are counted
 * the same way, so the block itself reveals nothing. A success clears the account's counters.
 */
import { AppError, isAppError } from '../errors.ts';
import { sha256Hex } from '../ids.ts';
import type { AttemptCounterStore } from '../ports.ts';

export interface LoginThrottleSettings {
  /** failures per account and client address before delays start */
  maxFailures: number;
  /** how long a counter is remembered after its last failure */
  windowSeconds?: number;
  baseDelaySeconds?: number;
  maxDelaySeconds?: number;
}

/** What is being guessed: `subject` names the account (or the unknown login), never a secret. */
export interface LoginAttempt {
  subject: string;
  ip?: string | undefined;
}

interface Bucket {
  key: string;
  limit: number;
  kind: 'account-ip' | 'account' | 'ip';
}

/** Returned by `begin`; hand it back to `succeeded` when the password was right. */
export interface ThrottleTicket {
  readonly buckets: readonly Bucket[];
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

const tag = (value: string) => sha256Hex(value).slice(0, 32);

export function createLoginThrottle(store: AttemptCounterStore, settings: LoginThrottleSettings) {
  const windowSeconds = settings.windowSeconds ?? 3600;
  const base = settings.baseDelaySeconds ?? 1;
  const maxDelay = settings.maxDelaySeconds ?? 900;
  const max = settings.maxFailures;

  function bucketsOf({ subject, ip }: LoginAttempt): Bucket[] {
    const s = tag(subject);
    const buckets: Bucket[] = [{ key: `acct:${s}`, limit: max * 5, kind: 'account' }];
    if (ip) {
      const a = tag(ip);
      buckets.unshift({ key: `acct-ip:${s}:${a}`, limit: max, kind: 'account-ip' });
      buckets.push({ key: `ip:${a}`, limit: max * 10, kind: 'ip' });
    }
    return buckets;
  }

  const delayAfter = (count: number, limit: number) => Math.min(base * 2 ** Math.min(count - limit - 1, 30), maxDelay);

  const refused = (seconds: number) =>
    new AppError('RATE_LIMITED', 'Too many failed login attempts; try again later', { retryAfter: Math.max(1, seconds) });

  async function guarded<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isAppError(err)) throw err;
      // Fail closed: without counters there is no brute-force protection, so no password check.
      throw new AppError('UNAVAILABLE', 'Login is temporarily unavailable');
    }
  }

  return {
    /** Counts the attempt, or throws RATE_LIMITED (and counts nothing) while a block is in force. */
    begin(attempt: LoginAttempt): Promise<ThrottleTicket> {
      return guarded(async () => {
        const buckets = bucketsOf(attempt);
        const waits = await Promise.all(buckets.map((b) => store.blockedFor(b.key)));
        const wait = Math.max(0, ...waits);
        if (wait > 0) throw refused(wait);
        const counts = await Promise.all(buckets.map((b) => store.increment(b.key, windowSeconds)));
        for (const [i, bucket] of buckets.entries()) {
          const count = counts[i] ?? 0;
          if (count <= bucket.limit) continue;
          // Over the threshold: this attempt may go ahead only if it is the one that starts the
          // next delay; concurrent ones lose the race and are refused uncounted.
          if (!(await store.blockIfClear(bucket.key, delayAfter(count, bucket.limit)))) {
            await Promise.all(buckets.map((b) => store.decrement(b.key)));
            throw refused(await store.blockedFor(bucket.key));
          }
        }
        return { buckets };
      });
    },

    /** The password was right: forget the account's failures; the address keeps its other ones. */
    succeeded(ticket: ThrottleTicket): Promise<void> {
      return guarded(async () => {
        await Promise.all(ticket.buckets.map((b) => (b.kind === 'ip' ? store.decrement(b.key) : store.reset(b.key))));
      });
    },
  };
}
