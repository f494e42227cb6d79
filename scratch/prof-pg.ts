// In-process lexical profile on PostgreSQL: node --import tsx scratch/prof-pg.ts [url] [filter]
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { postgresLexical } from '../src/search/lexical-postgres.js';
import { parseQuery } from '../src/search/query.js';

const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/dp_bench_1000000';
const only = process.argv[3];
const config = loadConfig({ DATABASE_URL: url, DATA_DIR: '/tmp/dailypapers-bench' });
const db = await connect(config.database);
const rows = await db.db.selectFrom('featured').select(['ai_keywords']).where('ai_keywords', 'like', '["%","%","%"%').orderBy('paper_id').limit(400).execute();
const kw = rows.map((r) => JSON.parse(r.ai_keywords) as string[]).filter((k) => k.length >= 3);
const qs: Array<{ kind: string; q: string; sort: 'relevance' | 'date' }> = [];
kw.forEach((k, i) => {
  switch (i % 8) {
    case 0: case 1: case 2: qs.push({ kind: 'triple', q: k.slice(0, 3).join(' '), sort: 'relevance' }); break;
    case 3: qs.push({ kind: 'one', q: k[0]!, sort: 'relevance' }); break;
    case 4: qs.push({ kind: 'phrase+cat', q: `"${k[1]}" cat:cs.CV`, sort: 'relevance' }); break;
    case 5: qs.push({ kind: 'after+code', q: `${k[0]} after:2026-01-01 has:code`, sort: 'relevance' }); break;
    case 6: qs.push({ kind: 'date', q: `${k[2]} -survey`, sort: 'date' }); break;
    default: qs.push({ kind: 'author', q: 'author:zhang diffusion', sort: 'relevance' }); break;
  }
});
const lex = postgresLexical(db.db);

const per = new Map<string, number[]>();
const all: Array<[number, string, number]> = [];
for (const x of qs) {
  if (only && x.kind !== only) continue;
  const t = performance.now();
  const r = await lex.search({ query: parseQuery(x.q), sort: x.sort, limit: 20, offset: 0 });
  const ms = performance.now() - t;
  (per.get(x.kind) ?? per.set(x.kind, []).get(x.kind)!).push(ms);
  all.push([ms, x.q, r.total]);
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
for (const [k, v] of per) { v.sort((a, b) => a - b); console.log(k.padEnd(12), v.length, 'p50', pct(v, 50).toFixed(1), 'p90', pct(v, 90).toFixed(1), 'max', v.at(-1)!.toFixed(0)); }
const l = all.map((a) => a[0]).sort((a, b) => a - b);
console.log('ALL p50', pct(l, 50).toFixed(1), 'p90', pct(l, 90).toFixed(1), 'p99', pct(l, 99).toFixed(1));
all.sort((a, b) => b[0] - a[0]);
for (const a of all.slice(0, 15)) console.log(a[0].toFixed(0).padStart(6), a[2], a[1]);
await db.close();
