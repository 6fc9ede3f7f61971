import { defineConfig } from 'vitest/config';

/**
 * Files whose assertions are about time (login answers alike within 5 ms, drain and recovery
 * deadlines): they run after the rest, one at a time, with the machine to themselves.
 */
export const timingSensitive = [
  'test/security/login-timing.test.ts',
  'test/security/sigterm.test.ts',
  'test/security/pg-faults.test.ts',
  'test/core/credentials.test.ts',
];

// What both projects share. The root's globalSetup runs once for the whole run; a project that
// inherited it would build dist/ again.
export const perFile = { pool: 'forks', testTimeout: 30_000, hookTimeout: 60_000 } as const;
export const wholeRun = {
  globalSetup: ['./test/helpers/global-setup.ts'],
  reporters: ['default', './test/helpers/summary-reporter.ts', './test/helpers/figures-reporter.ts'],
};

export default defineConfig({
  test: {
    ...wholeRun,
    projects: [
      {
        test: {
          ...perFile,
          name: 'parallel',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts'],
          exclude: ['test/long/**', 'node_modules/**', ...timingSensitive],
          // vitest's default is one worker fewer than the cores: one, here. Many files spend much
          // of their time waiting on PostgreSQL or a child server: two workers took the suite from
          // 634 s to 483 s on this 2-core machine (and to 399 s in a later CI run).
          maxWorkers: 2,
        },
      },
      { test: { ...perFile, name: 'timing', include: timingSensitive, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
