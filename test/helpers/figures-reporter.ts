/**
 * Prints the figures block after the run: `figures:` then one `name: value` a line, sorted by name.
 * A figure recorded twice (a retried test) keeps its last value. Prints nothing when no test
 * recorded a figure.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Reporter } from 'vitest/node';
import { figuresDir } from './figures.ts';

export default class FiguresReporter implements Reporter {
  onInit(): void {
    rmSync(figuresDir, { recursive: true, force: true });
  }

  onTestRunEnd(): void {
    if (!existsSync(figuresDir)) return;
    const figures = new Map<string, number | string>();
    for (const file of readdirSync(figuresDir).sort()) {
      for (const line of readFileSync(join(figuresDir, file), 'utf8').split('\n')) {
        if (!line) continue;
        const { name, value } = JSON.parse(line) as { name: string; value: number | string };
        figures.set(name, value);
      }
    }
    if (figures.size === 0) return;
    const lines = [...figures.keys()].sort().map((name) => `${name}: ${figures.get(name)}`);
    process.stdout.write(`\nfigures:\n${lines.join('\n')}\n`);
  }
}
