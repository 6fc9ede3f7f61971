/**
 * Core over a real, migrated test database, with a clock the test moves and core settings of its
 * choosing (for service-level tests that need time to pass). Close it in afterAll.
 */
import type { Clock } from '../../src/core/clock.ts';
import { type CorePorts, type CoreSettings, createCore } from '../../src/core/index.ts';
import { type DbHandle, openDatabase } from '../../src/storage/db.ts';
import { migrateToLatest } from '../../src/storage/migrator.ts';
import { createStore } from '../../src/storage/store.ts';
import { createTestDatabase, type TestDialect } from './dialects.ts';

/** A clock that stands still until the test moves it. */
export interface ManualClock extends Clock {
  advance(seconds: number): void;
}

export function manualClock(start = Date.parse('2030-01-01T00:00:00.000Z')): ManualClock {
  let t = start;
  return {
    now: () => new Date(t),
    advance(seconds) {
      t += seconds * 1000;
    },
  };
}

export interface TestCore {
  core: ReturnType<typeof createCore>;
  handle: DbHandle;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function buildTestCore(dialect: TestDialect, settings: Partial<CoreSettings> = {}, ports: CorePorts = {}): Promise<TestCore> {
  const database = await createTestDatabase(dialect);
  const handle = openDatabase(database.url, database.pgSchema ? { pgSchema: database.pgSchema } : {});
  await migrateToLatest(handle.db, { dialect: handle.dialect });
  const clock = manualClock();
  const core = createCore(createStore(handle), { apiKeyDefaultTtlDays: 0, registration: 'open', ...settings }, clock, ports);
  return {
    core,
    handle,
    clock,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
