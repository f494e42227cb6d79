import pg from 'pg';
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/dp_bench_1000000'); await c.connect();
const qs = (await c.query(`select vec::text v from paper_vector tablesample system(0.01) limit 20`)).rows.map((r) => r.v);
const exact: string[][] = [];
await c.query('set enable_indexscan = off');
for (const q of qs) exact.push((await c.query(`select paper_id from paper_vector order by vec <=> $1 limit 50`, [q])).rows.map((r) => r.paper_id));
await c.query('set enable_indexscan = on');
for (const ef of [40, 60, 80, 102, 200]) {
  await c.query(`set hnsw.ef_search = ${ef}`);
  let hit = 0; let t = 0;
  for (const [i, q] of qs.entries()) { const a = performance.now(); const r = (await c.query(`select paper_id from paper_vector order by vec <=> $1 limit 50`, [q])).rows.map((x) => x.paper_id); t += performance.now() - a; const s = new Set(exact[i]); hit += r.filter((x) => s.has(x)).length; }
  console.log('ef', ef, 'recall@50', (hit / (qs.length * 50)).toFixed(3), 'ms', (t / qs.length).toFixed(1));
}
await c.end();
