/**
 * `npm run test:long`: the release-run sizes of the security suite (100,000 hostile requests per
 * database, login timing on every login route) plus whatever lives in test/long/, one file at a
 * time (vitest's default on two cores), since most of them measure time.
 */
import { defineConfig } from 'vitest/config';
import { perFile, wholeRun } from './vitest.config.ts';

export default defineConfig({
  test: {
    ...wholeRun,
    ...perFile,
    include: ['test/security/**/*.test.ts', 'test/long/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 1_800_000,
    hookTimeout: 120_000,
  },
});
