/**
 * Builds dist/ once before the suite, so end-to-end tests start the same bundle `npm start`
 * runs (and start fast) instead of transpiling the sources through tsx in every child process.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
