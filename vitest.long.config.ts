import { defineConfig } from 'vitest/config';

/** `npm run test:long`: the heavier runs of the reliability and security suites (test/long). */
export default defineConfig({
  test: {
    include: ['test/long/**/*.test.ts'],
    pool: 'forks',
    globalSetup: ['./test/helpers/global-setup.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/helpers/summary-reporter.ts', './test/helpers/figures-reporter.ts'],
  },
});
