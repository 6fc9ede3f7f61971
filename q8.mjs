import { createHash, hash } from 'node:crypto';
const s = 'rst_L65YjnUm_QOxlUzLvJYwVAbVjPYQiPGqY9vlTXAi7';
let sink = 0;
for (const [name, f] of [['createHash', () => createHash('sha256').update(s).digest('hex')], ['crypto.hash', () => hash('sha256', s, 'hex')]]) {
  for (let i = 0; i < 20000; i++) sink += f().length;
  const N = 200000; const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) sink += f().length;
  console.log(name, Number(process.hrtime.bigint() - t) / N, 'ns');
}
