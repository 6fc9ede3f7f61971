/**
 * The raw argon2id rate the login target is measured against: Roster's own hashing parameters
 * (`hashPassword`/`verifyPassword`), as many verifies in flight as libuv has threads, for
 * DURATION_S seconds, with no HTTP. The bench runs it pinned to the server's core and reads one
 * JSON line from stdout.
 */
import { hashPassword, verifyPassword } from '../src/core/auth/passwords.ts';

const durationMs = Number(process.env.DURATION_S ?? '3') * 1000;
const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? '4');
const stored = await hashPassword('bench-password-4711');
const latencies: number[] = [];
const started = performance.now();
const deadline = started + durationMs;

async function worker(): Promise<void> {
  while (performance.now() < deadline) {
    const t = performance.now();
    await verifyPassword(stored, 'bench-password-4711');
    latencies.push(performance.now() - t);
  }
}

await Promise.all(Array.from({ length: inFlight }, worker));
const elapsedS = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ perSec: latencies.length / elapsedS, p50Ms: at(0.5), p99Ms: at(0.99), count: latencies.length })}\n`,
);
