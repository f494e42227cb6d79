// `npm run bench -- api [--only sqlite|postgres] [--duration S] [--connections N] [--arxiv]`: loads
// the real 9,877 featured papers (and with --arxiv the 84k arXiv sample) into a fresh SQLite file
// and a fresh PostgreSQL database, serves the JSON API and the feeds on loopback, and drives them
// with autocannon (in its own process), printing req/s and p50/p99 latency, plus a feed reload
// answered 304. The rate limiter is given a quota no benchmark reaches, so it is measured, not hit.
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { freshDatabase } from './_engines.js';
import { autocannon, report as reportWith } from './_load.js';
import { loadConfig } from '../src/config.js';
import { connect, type Db } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importFiles } from '../src/ingest/import.js';
import { isoWeekOf } from '../src/papers/dates.js';
import { latestFeaturedDay } from '../src/store/papers.js';
import { apiRoutes } from '../src/web/api/routes.js';
import { feedRoutes } from '../src/web/feeds/routes.js';
import { buildServices } from '../src/services.js';

const DATA = path.resolve(import.meta.dirname, '../../shared/data');
const HF = path.join(DATA, 'hf-daily-papers.jsonl.gz');
const ARXIV = path.join(DATA, 'arxiv-sample.jsonl.gz');

async function targets(db: Db, base: string): Promise<Array<[string, string]>> {
  const day = (await latestFeaturedDay(db.db))!;
  const top = await db.db.selectFrom('featured').select('paper_id').where('day', '=', day).orderBy('upvotes', 'desc').limit(1).executeTakeFirstOrThrow();
  // A page deep in the archive: follow the cursor 20 pages in.
  let deep = '/api/papers?limit=50';
  for (let i = 0; i < 20; i++) {
    const link = (await fetch(base + deep)).headers.get('link');
    if (!link) break;
    const u = new URL(/^<([^>]+)>/.exec(link)![1]!);
    deep = u.pathname + u.search;
  }
  return [
    ['daily_papers (latest 50)', '/api/daily_papers'],
    ['daily_papers?date', `/api/daily_papers?date=${day}`],
    ['daily_papers?week&trending', `/api/daily_papers?week=${isoWeekOf(day)}&sort=trending`],
    ['daily_papers?sort=trending', '/api/daily_papers?sort=trending'],
    ['papers (first page)', '/api/papers?limit=50'],
    ['papers (cursor, page 21)', deep],
    ['papers/ID', `/api/papers/${top.paper_id}`],
    ['/papers/feed.rss', '/papers/feed.rss'],
    ['week feed.atom', `/papers/week/${isoWeekOf(day)}/feed.atom`],
    ['trending feed.rss', '/papers/trending/feed.rss'],
  ];
}

export default async function bench(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      duration: { type: 'string', default: '5' },
      connections: { type: 'string', default: '10' },
      arxiv: { type: 'boolean' },
    },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const kinds = (values.only ? [values.only] : ['sqlite', 'postgres']) as Array<'sqlite' | 'postgres'>;
  const files = values.arxiv ? [HF, ARXIV] : [HF];
  console.log(`api benchmark: ${connections} connections, ${duration} s per route, loopback; data: ${files.map((f) => path.basename(f)).join(' + ')}`);
  for (const kind of kinds) {
    const dir = mkdtempSync(path.join(tmpdir(), 'dp-bench-api-'));
    const database = await freshDatabase('api', kind, dir);
    const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: dir, SECRET: 'bench', LOG_LEVEL: 'silent' });
    const db = await connect(config.database);
    try {
      await migrateToLatest(db.db, db.dialect);
      const started = performance.now();
      await importFiles(db.db, files, { rejectsDir: path.join(dir, 'rejects') });
      console.log(`\n${kind}: loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const unlimited = { name: 'read', quota: Number.MAX_SAFE_INTEGER, windowSeconds: 60 };
      const app = new Hono();
      app.route('/api', apiRoutes(buildServices({ db, config }), { read: unlimited }));
      app.route('/', feedRoutes(buildServices({ db, config })));
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      console.log(`  ${'route'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  bytes`);
      for (const [label, route] of await targets(db, base)) {
        const first = await fetch(base + route);
        const bytes = (await first.arrayBuffer()).byteLength;
        if (first.status !== 200) throw new Error(`${route}: HTTP ${first.status}`);
        await autocannon({ url: base + route, connections, duration: 1 }); // warm-up
        report(label, await autocannon({ url: base + route, connections, duration }), bytes);
        if (label === '/papers/feed.rss') {
          const r304 = await autocannon({ url: base + route, connections, duration, headers: { 'if-none-match': first.headers.get('etag')! } });
          report('/papers/feed.rss reload 304', r304, 0, true);
        }
      }
      await new Promise((resolve) => server.close(resolve));
    } finally {
      await db.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

const report = (label: string, r: Parameters<typeof reportWith>[1], bytes: number, expect304 = false) => reportWith(label, r, bytes, expect304, 28);
