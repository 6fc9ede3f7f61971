#!/usr/bin/env node
// Bundles src/ into dist/ with esbuild (dependencies stay external), so the server starts with
// plain Node in well under a second instead of transpiling TypeScript at every start.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
