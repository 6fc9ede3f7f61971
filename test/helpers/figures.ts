/**
 * Figures a test measured (requests sent, 5xx count, canary hits, …), printed by the run itself as
 * one `name: value` a line at its end (see figures-reporter.ts), so no figure is ever typed by hand.
 *
 * Test files run in forked workers; each appends JSON lines to its own file in one directory that
 * the reporter empties when the run starts and reads when it ends.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * One directory per checkout: node_modules is shared between git worktrees (a symlink), so a
 * directory inside it let one checkout's run empty another's figures.
 */
export const figuresDir = join(tmpdir(), `roster-figures-${createHash('sha256').update(process.cwd()).digest('hex').slice(0, 12)}`);

/** Records one figure; the name should say the database, e.g. `hostile.sqlite.requests`. */
export function recordFigure(name: string, value: number | string): void {
  if (!/^[a-z0-9_.-]+$/i.test(name)) throw new Error(`figure name ${JSON.stringify(name)}: letters, digits, . _ - only`);
  mkdirSync(figuresDir, { recursive: true });
  appendFileSync(join(figuresDir, `${process.pid}.jsonl`), `${JSON.stringify({ name, value })}\n`);
}
