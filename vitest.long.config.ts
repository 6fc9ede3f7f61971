/**
 * `npm run test:long`: the release-run sizes of the security suite (100,000 hostile requests per
 * database, login timing on every login route) plus whatever lives in test/long/.
 */
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ['test/security/**/*.test.ts', 'test/long/**/*.test.ts'],
      exclude: ['node_modules/**'],
      testTimeout: 1_800_000,
      hookTimeout: 120_000,
    },
  }),
);
