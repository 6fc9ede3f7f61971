import D from 'better-sqlite3';
const db = new D(process.argv[2]);
const s = db.prepare('pragma data_version').pluck();
const k = db.prepare('select id from api_keys where id = ?').pluck();
let sink = 0;
for (const [name, f] of [['dv', () => s.get()], ['key', () => k.get(1)]]) {
  for (let i = 0; i < 10000; i++) sink += f();
  const N = 200000; const t = process.hrtime.bigint(); for (let i = 0; i < N; i++) sink += f();
  console.log(name, Number(process.hrtime.bigint() - t) / N, 'ns');
}
console.log(sink, s.get());
