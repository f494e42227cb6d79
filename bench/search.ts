// `npm run bench -- search [--papers N] [--engines sqlite,postgres] [--requests N] [--concurrency C] [--fresh]`:
// p50/p99 latency of GET /api/papers/search over HTTP on the real ~94k papers or, with --papers
// 1000000, on a million (the real ones plus papers recombined from their sentences: bench/_corpus.ts),
// with the index build times (import with the FTS/tsvector triggers, model training, embedding,
// vector index) and peak RSS; beside them, the floors of the same run: /healthz through the same
// client, and the bare engine (the queries' words alone, ranked by FTS5's bm25() | ts_rank). Databases are built once under /tmp/dailypapers-bench (SQLite) or as
// dp_bench[_N] (PostgreSQL, on BENCH_DATABASE_URL's server or 127.0.0.1:5432) and reused unless --fresh.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importFiles } from '../src/ingest/import.js';
import { searchFor } from '../src/search/index.js';
import { parseQuery, wordsOf } from '../src/search/query.js';
import { addPendingPairs } from '../src/search/maintenance.js';
import { syntheticCorpus, syntheticPath } from './_corpus.js';

const DATA = path.resolve(import.meta.dirname, '../../shared/data');
const DIR = '/tmp/dailypapers-bench';
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dp_bench';

const countPapers = async (db: Awaited<ReturnType<typeof connect>>) =>
  Number(
    (
      await db.db
        .selectFrom('papers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function build(url: string, fresh: boolean, papers: number) {
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: DIR, EMBEDDER: 'builtin' });
  if (config.database.kind === 'postgres') {
    const u = new URL(url);
    const name = u.pathname.slice(1);
    u.pathname = '/postgres';
    const admin = new pg.Client({ connectionString: u.toString() });
    await admin.connect();
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
    if (fresh && exists) await admin.query(`drop database ${name} with (force)`);
    if (fresh || !exists) await admin.query(`create database ${name}`);
    await admin.end();
  } else if (fresh) rmSync(config.database.path, { force: true });
  const db = await connect(config.database);
  await migrateToLatest(db.db, db.dialect);
  let n = await countPapers(db);
  const figures: string[] = [];
  const search = searchFor({ db, config });
  if (n === 0) {
    const t = Date.now();
    const s = await importFiles(db.db, [path.join(DATA, 'arxiv-sample.jsonl.gz'), path.join(DATA, 'hf-daily-papers.jsonl.gz')], {
      rejectsDir: path.join(DIR, 'rejects'),
    });
    const sec = (Date.now() - t) / 1000;
    figures.push(`import of the real papers with search triggers: ${s.new} papers in ${sec.toFixed(1)} s (${Math.round((s.new + s.updated) / sec)} records/s)`);
    n = await countPapers(db);
  }
  if (n < papers) {
    let t = Date.now();
    const file = await syntheticCorpus(path.join(DATA, 'arxiv-sample.jsonl.gz'), papers - n, syntheticPath(DIR, papers - n));
    figures.push(`synthetic papers written: ${papers - n} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
    const s = await importFiles(db.db, [file], { rejectsDir: path.join(DIR, 'rejects') });
    const sec = (Date.now() - t) / 1000;
    figures.push(
      `import of the synthetic papers with search triggers: ${s.new} papers in ${sec.toFixed(1)} s (${Math.round((s.new + s.updated) / sec)} records/s)`,
    );
    n = await countPapers(db);
  }
  // PostgreSQL's word pairs (decision 0020), the first thing embedPending does: timed apart.
  const t0 = Date.now();
  const paired = await addPendingPairs(db);
  if (paired > 0) figures.push(`word pairs added in the background: ${paired} papers in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const t1 = Date.now();
  const embedded = await search.embedPending({
    onProgress: (p) => {
      if (p.embedded % 100_000 < 500 && p.embedded > 0) console.log(`    ${p.embedded} of ${p.pending} papers embedded`);
    },
  });
  const t2 = Date.now();
  if (embedded.embedded > 0) {
    figures.push(`train + embed (+ PostgreSQL's HNSW build): ${embedded.embedded} papers in ${((t2 - t1) / 1000).toFixed(1)} s (${embedded.model})`);
  } else figures.push(`reusing ${n} papers already loaded and embedded (--fresh to rebuild)`);
  // SQLite's graph is built on the first semantic search and saved beside the database.
  await search.warm();
  figures.push(`vector index ready in ${((Date.now() - t2) / 1000).toFixed(1)} s (built, or loaded when saved earlier)`);
  figures.push(`papers: ${n}`);
  if (db.dialect === 'sqlite') {
    const file = config.database.kind === 'sqlite' ? config.database.path : '';
    const graphs = existsSync(`${file}-vectors`) ? readdirSync(`${file}-vectors`).map((f) => statSync(path.join(`${file}-vectors`, f)).size) : [];
    figures.push(`database file ${mib(statSync(file).size)}, saved vector graph ${mib(graphs.reduce((a, b) => a + b, 0))}`);
  } else {
    const r = await sql<{ db: string; search: string; vec: string }>`select pg_database_size(current_database()) as db,
      pg_total_relation_size('paper_search') as search, coalesce(pg_total_relation_size(to_regclass('paper_vector')), 0) as vec`.execute(db.db);
    const row = r.rows[0]!;
    figures.push(
      `database ${mib(Number(row.db))}: paper_search (tsvector with tag and month lexemes + GIN) ${mib(Number(row.search))}, paper_vector (+ HNSW) ${mib(Number(row.vec))}`,
    );
  }
  // What autovacuum would do a minute after a bulk load: planner statistics and the visibility map.
  if (db.dialect === 'postgres') await sql`vacuum analyze`.execute(db.db);
  await db.close();
  return { figures, rss: process.memoryUsage().rss, config };
}

async function queries(url: string): Promise<string[]> {
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: DIR });
  const db = await connect(config.database);
  const rows = await db.db
    .selectFrom('featured')
    .select(['ai_keywords'])
    .where('ai_keywords', 'like', '["%","%","%"%')
    .orderBy('paper_id')
    .limit(400)
    .execute();
  await db.close();
  const kw = rows.map((r) => JSON.parse(r.ai_keywords) as string[]).filter((k) => k.length >= 3);
  const out: string[] = [];
  kw.forEach((k, i) => {
    // A mix: keyword triples (most searches), one keyword, a phrase, filters, an author, sorting.
    switch (i % 8) {
      case 0:
      case 1:
      case 2:
        out.push(k.slice(0, 3).join(' '));
        break;
      case 3:
        out.push(k[0]!);
        break;
      case 4:
        out.push(`"${k[1]}" cat:cs.CV`);
        break;
      case 5:
        out.push(`${k[0]} after:2026-01-01 has:code`);
        break;
      case 6:
        out.push(`${k[2]} -survey\tsort=date`);
        break;
      default:
        out.push('author:zhang diffusion');
        break;
    }
  });
  console.log(
    `  ${out.length} distinct queries, e.g. ${out
      .slice(0, 8)
      .map((q) => JSON.stringify(q))
      .join(', ')}`,
  );
  return out;
}

function startServer(url: string, port: number): Promise<{ child: ChildProcess; peak: () => number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, '_search-server.ts')], {
      env: { ...process.env, DATABASE_URL: url, DATA_DIR: DIR, PORT: String(port), EMBEDDER: 'builtin' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let peak = 0;
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      for (const line of d.split('\n')) {
        if (line === 'ready') resolve({ child, peak: () => peak });
        const m = /^rss (\d+)/.exec(line);
        if (m) peak = Math.max(peak, Number(m[1]));
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

// A connection per request: keep-alive sockets from 200 addresses race the server's idle timeout.
const agent = new http.Agent({ keepAlive: false });

/**
 * One GET, from one of 200 loopback addresses in turn: the API limits each client address to 600
 * reads a minute (web/api/ratelimit.ts), and the benchmark plays many clients, not one abusive one.
 */
function get(port: number, urlPath: string, n: number): Promise<{ status: number; mode: string | undefined; searchMs: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, localAddress: `127.0.1.${(n % 200) + 1}`, agent }, (res) => {
      // The search service's own time (server-timing), to tell it from HTTP's and the app's share.
      const searchMs = Number(/search;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''))?.[1] ?? NaN);
      res.resume().on('end', () => resolve({ status: res.statusCode ?? 0, mode: res.headers['x-search-mode'] as string | undefined, searchMs }));
    });
    req.on('error', reject);
  });
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

/** The floor of the same run: GET /healthz through the same client and server, one in flight. */
async function healthFloor(port: number, requests: number) {
  const lat: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const res = await get(port, '/healthz', i);
    lat.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`HTTP ${res.status} for /healthz`);
  }
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99) };
}

/**
 * The bare engine of the same run, in this process: each query's words AND-ed, ranked by the
 * engine's own function (FTS5's bm25() | ts_rank), the first 20, no filters, no fusion, no vectors.
 * What plain full-text search costs on this database and machine, not a result of ours.
 */
async function bareEngine(url: string, qs: string[]) {
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: DIR });
  const db = await connect(config.database);
  const words = qs.map((q) => wordsOf(parseQuery(q.split('\t')[0]!).words.join(' ')));
  const lat: number[] = [];
  try {
    for (const w of words) {
      if (w.length === 0) continue;
      const t = performance.now();
      if (db.dialect === 'sqlite') {
        const expr = w.map((x) => `"${x}"`).join(' ');
        await sql`select rowid from papers_fts where papers_fts match ${expr} order by rank limit 20`.execute(db.db);
      } else {
        const q = w.join(' ');
        await sql`select paper_id from paper_search where tsv @@ plainto_tsquery('english', ${q})
          order by ts_rank(tsv, plainto_tsquery('english', ${q})) desc limit 20`.execute(db.db);
      }
      lat.push(performance.now() - t);
    }
  } finally {
    await db.close();
  }
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p99: pct(lat, 99) };
}

async function measure(port: number, qs: string[], requests: number, concurrency: number) {
  const lat: number[] = [];
  const inSearch: number[] = [];
  const modes = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const q = qs[next++ % qs.length]!;
      const [text, extra] = q.split('\t'); // a tab, not &: keywords may contain "&"
      const t = performance.now();
      const res = await get(port, `/api/papers/search?q=${encodeURIComponent(text!)}&limit=20${extra ? `&${extra}` : ''}`, next);
      lat.push(performance.now() - t);
      inSearch.push(res.searchMs);
      if (res.status !== 200) throw new Error(`HTTP ${res.status} for ${q}`);
      const m = res.mode ?? '?';
      modes.set(m, (modes.get(m) ?? 0) + 1);
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const secs = (performance.now() - t) / 1000;
  lat.sort((a, b) => a - b);
  inSearch.sort((a, b) => a - b);
  return {
    p50: pct(lat, 50),
    p90: pct(lat, 90),
    p99: pct(lat, 99),
    max: lat.at(-1)!,
    rps: requests / secs,
    modes,
    search: { p50: pct(inSearch, 50), p99: pct(inSearch, 99) },
  };
}

export default async function bench(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      engines: { type: 'string' },
      requests: { type: 'string' },
      concurrency: { type: 'string' },
      fresh: { type: 'boolean' },
      papers: { type: 'string' },
    },
  });
  const papers = Number(values.papers ?? 0);
  const engines = (values.engines ?? 'sqlite,postgres').split(',');
  const requests = Number(values.requests ?? 1000);
  mkdirSync(DIR, { recursive: true });
  for (const engine of engines) {
    const suffix = papers ? `_${papers}` : '';
    const sqliteFile = path.join(DIR, `bench${suffix}.db`);
    const pgUrl = new URL(PG_URL);
    pgUrl.pathname += suffix;
    const url = engine === 'sqlite' ? `sqlite:${sqliteFile}` : pgUrl.toString();
    const fresh = values.fresh === true || (engine === 'sqlite' && !existsSync(sqliteFile));
    if (fresh && engine === 'sqlite') rmSync(`${sqliteFile}-vectors`, { recursive: true, force: true });
    console.log(`== ${engine}${papers ? `, ${papers} papers` : ''}`);
    const b = await build(url, fresh, papers);
    for (const f of b.figures) console.log(`  ${f}`);
    console.log(`  peak RSS of the build process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    const qs = await queries(url);
    const port = 3900 + Math.floor(Math.random() * 90);
    const server = await startServer(url, port);
    try {
      await measure(port, qs, 50, 1); // warm-up, not counted
      for (const c of [1, Number(values.concurrency ?? 4)]) {
        const r = await measure(port, qs, requests, c);
        console.log(
          `  ${requests} searches, ${c} in flight: p50 ${r.p50.toFixed(1)} ms, p90 ${r.p90.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(0)} ms, ${r.rps.toFixed(0)} req/s (the search service alone: p50 ${r.search.p50.toFixed(1)}, p99 ${r.search.p99.toFixed(1)} ms); modes ${JSON.stringify(Object.fromEntries(r.modes))}`,
        );
      }
      const h = await healthFloor(port, requests);
      console.log(`  floor, /healthz, 1 in flight: p50 ${h.p50.toFixed(1)} ms, p99 ${h.p99.toFixed(1)} ms`);
      console.log(`  server peak RSS: ${(server.peak() / 2 ** 20).toFixed(0)} MiB`);
    } finally {
      server.child.kill('SIGTERM');
    }
    const bare = await bareEngine(url, qs);
    console.log(
      `  the bare engine on the same queries (words AND-ed, ${engine === 'sqlite' ? "FTS5's bm25()" : 'ts_rank'}, first 20, in process, each distinct query once): p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms`,
    );
  }
}
