import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { searchFor } from '../src/search/index.js';
const config = loadConfig({ DATABASE_URL: process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/dp_bench_1000000', DATA_DIR: '/tmp/dailypapers-bench', EMBEDDER: 'builtin' });
const db = await connect(config.database);
const s = searchFor({ db, config });
await s.warm();
const rows = await db.db.selectFrom('featured').select(['ai_keywords']).where('ai_keywords', 'like', '["%","%","%"%').orderBy('paper_id').limit(400).execute();
const kw = rows.map((r) => JSON.parse(r.ai_keywords) as string[]).filter((k) => k.length >= 3);
const qs: Array<[string, string, any]> = [];
kw.forEach((k, i) => { const m = i % 8; if (m < 3) qs.push(['triple', k.slice(0, 3).join(' '), 'relevance']); else if (m === 3) qs.push(['one', k[0]!, 'relevance']); else if (m === 4) qs.push(['phrase', `"${k[1]}" cat:cs.CV`, 'relevance']); else if (m === 5) qs.push(['aftercode', `${k[0]} after:2026-01-01 has:code`, 'relevance']); else if (m === 6) qs.push(['date', `${k[2]} -survey`, 'date']); else qs.push(['author', 'author:zhang diffusion', 'relevance']); });
const per = new Map<string, number[]>(); const all: number[] = [];
for (let round = 0; round < 2; round++) for (const [kind, q, sort] of qs) {
  const r = await s.search({ q, sort });
  if (round === 1) { (per.get(kind) ?? per.set(kind, []).get(kind)!).push(r.tookMs); all.push(r.tookMs); }
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
for (const [k, v] of per) { v.sort((a, b) => a - b); console.log(k.padEnd(10), v.length, 'p50', pct(v, 50).toFixed(1), 'p90', pct(v, 90).toFixed(1), 'max', v.at(-1)!.toFixed(0)); }
all.sort((a, b) => a - b); console.log('ALL p50', pct(all, 50).toFixed(1), 'p90', pct(all, 90).toFixed(1), 'p99', pct(all, 99).toFixed(1));
await db.close();
