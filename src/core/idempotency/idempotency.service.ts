/**
 * Idempotent requests (DESIGN §6, Stripe's Idempotency-Key): the first request with a key runs and
 * its answer is stored; a retry with the same key and the same fingerprint gets that answer again;
 * another fingerprint is refused (IDEMPOTENCY_KEY_REUSED); a retry while the first still runs is
 * refused (IDEMPOTENCY_IN_PROGRESS). Keys live 24 h in the scope of one credential.
 *
 * Surface-neutral: a surface supplies the key, what identifies the request (method, route, body)
 * and a function producing the answer to store, already serialised in its own format.
 */
import type { Actor } from '../auth/actor.ts';
import { addSeconds, type Clock, isoNow } from '../clock.ts';
import { AppError } from '../errors.ts';
import { nowAndThen } from '../now-and-then.ts';
import type { Store } from '../ports.ts';
import { fingerprintHash } from './fingerprint.ts';

export interface StoredResponse {
  status: number;
  /** the serialised body, replayed byte for byte */
  body: string;
}

export interface IdempotentOutcome extends StoredResponse {
  /** true when this is the stored answer of an earlier request */
  replayed: boolean;
}

export const idempotencyDefaults = {
  retentionSeconds: 24 * 3600,
  /** an in-progress row older than this is taken to be abandoned (its process died) and may be retried */
  leaseSeconds: 60,
  maxKeyLength: 255,
  /** expired rows are swept at most this often per process */
  purgeEverySeconds: 3600,
};

// Printable ASCII (what an HTTP header carries safely), 1..255 characters like Stripe's keys.
const keyPattern = /^[\x20-\x7e]+$/;

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;

export function createIdempotencyService({ store, clock }: { store: Store; clock: Clock }, settings = idempotencyDefaults) {
  function checkKey(key: string): void {
    if (key.length >= 1 && key.length <= settings.maxKeyLength && keyPattern.test(key)) return;
    throw new AppError('VALIDATION_FAILED', `Idempotency-Key must be 1 to ${settings.maxKeyLength} printable ASCII characters`, {
      issues: [
        {
          field: 'Idempotency-Key',
          kind: 'invalid',
          message: `must be 1 to ${settings.maxKeyLength} printable ASCII characters`,
          ctx: { max_length: settings.maxKeyLength },
        },
      ],
    });
  }

  /** Keys belong to the credential that sent them (two keys of one user never share answers). */
  const scopeOf = (actor: Actor) => `${actor.credential.kind}:${actor.credential.id}`;

  const purge = nowAndThen(settings.purgeEverySeconds * 1000, (nowMs) =>
    store.idempotency.purgeExpired(addSeconds(new Date(nowMs).toISOString(), -settings.retentionSeconds)),
  );
  const purgeNowAndThen = (nowIso: string) => purge(Date.parse(nowIso));

  async function executeAndStore(scope: string, key: string, execute: () => Promise<StoredResponse>): Promise<IdempotentOutcome> {
    let response: StoredResponse;
    try {
      response = await execute();
    } catch (err) {
      // Only answers are remembered: a failed attempt frees the key, so the client can retry it.
      await store.idempotency.release(scope, key).catch(() => {});
      throw err;
    }
    // The work is done; if recording it fails, this request still gets its answer, and the row
    // stays "in progress" until its lease runs out.
    await store.idempotency.complete(scope, key, response).catch(() => {});
    return { ...response, replayed: false };
  }

  return {
    /**
     * Runs `execute` at most once per (credential, key) within the retention window and returns
     * its answer, or the stored answer of the first run.
     */
    async run(
      actor: Actor,
      request: { key: string; fingerprint: unknown },
      execute: () => Promise<StoredResponse>,
    ): Promise<IdempotentOutcome> {
      checkKey(request.key);
      const scope = scopeOf(actor);
      const requestHash = fingerprintHash(request.fingerprint);
      // A few rounds: a row can vanish between the failed claim and the read (released or expired).
      for (let round = 0; round < 3; round++) {
        const now = isoNow(clock);
        purgeNowAndThen(now);
        const expiredBefore = addSeconds(now, -settings.retentionSeconds);
        if (await store.idempotency.claim({ scope, key: request.key, requestHash, createdAt: now }, expiredBefore)) {
          return executeAndStore(scope, request.key, execute);
        }
        const existing = await store.idempotency.find(scope, request.key);
        if (!existing) continue;
        if (existing.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        if (existing.response) return { ...existing.response, replayed: true };
        const abandoned = existing.createdAt < addSeconds(now, -settings.leaseSeconds);
        if (abandoned && (await store.idempotency.takeOver(scope, request.key, existing.createdAt, now))) {
          return executeAndStore(scope, request.key, execute);
        }
        throw new AppError('IDEMPOTENCY_IN_PROGRESS');
      }
      throw new AppError('IDEMPOTENCY_IN_PROGRESS');
    },
  };
}
