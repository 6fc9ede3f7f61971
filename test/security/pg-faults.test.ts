/**
 * PostgreSQL faults against the real server (needs TEST_DATABASE_URL): all app connections
 * terminated under load, and the database unreachable for 5 s (30 s in test/long). The process
 * stays up, answers 503 in each surface's format while the database is gone, and recovers.
 */
import { describe, it } from 'vitest';
import { outageScenario, terminateScenario } from './helpers/pg-fault-scenarios.ts';

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL faults', () => {
  it('3 × pg_terminate_backend of every app connection under load → only 503s, no crash, recovery', async () => {
    await terminateScenario('pg_fault', 3, 1000);
  }, 60_000);

  it('database unreachable for 5 s → 503 in every surface, readyz 503, healthz 200, recovery < 5 s', async () => {
    await outageScenario('pg_fault', 5000);
  }, 60_000);
});
