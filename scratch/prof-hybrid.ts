// Where a hybrid search's time goes on PostgreSQL at 1M: node --import tsx scratch/prof-hybrid.ts
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { loadHits } from '../src/search/hits.js';
import { searchFor } from '../src/search/index.js';
import { parseQuery, semanticText } from '../src/search/query.js';
const url = process.argv[2] ?? 'postgres://postgres@127.0.0.1:5432/dp_bench_1000000';
const config = loadConfig({ DATABASE_URL: url, DATA_DIR: '/tmp/dailypapers-bench', EMBEDDER: 'builtin' });
const db = await connect(config.database);
const s = searchFor({ db, config });
await s.warm();
const rows = await db.db.selectFrom('featured').select(['ai_keywords']).where('ai_keywords', 'like', '["%","%","%"%').orderBy('paper_id').limit(400).execute();
const kw = rows.map((r) => JSON.parse(r.ai_keywords) as string[]).filter((k) => k.length >= 3);
const qs: string[] = [];
kw.forEach((k, i) => { if (i % 8 < 3) qs.push(k.slice(0, 3).join(' ')); else if (i % 8 === 3) qs.push(k[0]!); else if (i % 8 === 4) qs.push(`"${k[1]}" cat:cs.CV`); else if (i % 8 === 5) qs.push(`${k[0]} after:2026-01-01 has:code`); else if (i % 8 === 7) qs.push('author:zhang diffusion'); });
const emb = (await s.embedder())!;
const vec = await s.vectors();
const t: Record<string, number[]> = { lex: [], embed: [], nearest: [], filter: [], sims: [], hits: [], total: [] };
const time = async <T>(k: string, f: () => Promise<T>) => { const a = performance.now(); const r = await f(); t[k]!.push(performance.now() - a); return r; };
for (const q of qs) {
  const query = parseQuery(q);
  const a = performance.now();
  const lex = await time('lex', () => s.lexical.search({ query, sort: 'relevance', limit: 50, offset: 0 }));
  const [v] = await time('embed', () => emb.embed([semanticText(query)]));
  const filtered = query.categories.length > 0 || query.after !== null || query.hasCode || query.authors.length > 0;
  const nn = await time('nearest', () => vec.nearest(emb.model, v!, filtered ? 200 : 50));
  if (filtered) await time('filter', () => s.lexical.filter(nn.map((n) => n.id), query));
  await time('sims', () => vec.similarities(emb.model, v!, lex.ids.slice(0, 50)));
  await time('hits', () => loadHits(db.db, lex.ids.slice(0, 20)));
  t.total!.push(performance.now() - a);
}
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
for (const [k, v] of Object.entries(t)) { v.sort((x, y) => x - y); console.log(k.padEnd(8), v.length, 'p50', pct(v, 50).toFixed(1), 'p90', pct(v, 90).toFixed(1), 'p99', pct(v, 99).toFixed(1), 'max', (v.at(-1) ?? 0).toFixed(0)); }
await db.close();
