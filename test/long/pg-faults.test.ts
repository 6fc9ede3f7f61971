/** PostgreSQL faults, full size: 10 × pg_terminate_backend every 2 s, and a 30 s outage. */
import { describe, it } from 'vitest';
import { outageScenario, terminateScenario } from '../security/helpers/pg-fault-scenarios.ts';

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL faults (long)', () => {
  it('10 × pg_terminate_backend every 2 s under load', async () => {
    await terminateScenario('pg_fault.long', 10, 2000);
  }, 120_000);

  it('database unreachable for 30 s', async () => {
    await outageScenario('pg_fault.long', 30_000);
  }, 120_000);
});
