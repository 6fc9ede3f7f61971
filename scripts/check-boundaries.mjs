#!/usr/bin/env node
// The layer rules of DESIGN §1, checked on every lint: core imports no framework, SQL, driver or
// process.env; surfaces import no storage. (Biome's restricted imports cover packages only, not
// relative paths, so this small check covers the rest.)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const rules = [
  {
    dir: 'src/core',
    bad: /from ['"](fastify|kysely|pg|better-sqlite3|ioredis|@fastify\/[^'"]*)['"]|process\.env|from ['"](\.\.\/)+(storage|http|surfaces)\//,
    why: 'core imports no Fastify, Kysely, drivers, process.env, storage, http or surfaces',
  },
  { dir: 'src/surfaces', bad: /from ['"](\.\.\/)+storage\/|from ['"]kysely['"]/, why: 'surfaces import no storage' },
];

let failures = 0;
for (const rule of rules) {
  for (const file of files(rule.dir)) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if (rule.bad.test(line)) {
          failures++;
          console.error(`${file}:${i + 1}: ${rule.why}\n  ${line.trim()}`);
        }
      });
  }
}
if (failures > 0) process.exit(1);
console.log('layer boundaries: ok');
