// `npm run bench -- web [--only sqlite|postgres] [--duration S] [--connections N]`: loads the real
// 9,877 featured papers and the 84k arXiv sample into a fresh SQLite file and a fresh PostgreSQL
// database, serves the app on loopback, and drives /papers, a week page, /papers/trending and a
// paper page with autocannon (plus a reload answered 304), printing req/s and p50/p99 latency,
// beside /healthz as the floor of the same run (a ratio holds better on a shared, noisy machine).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { freshDatabase } from './_engines.js';
import { autocannon, report as reportWith } from './_load.js';
import { loadConfig } from '../src/config.js';
import { connect, type Db } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importFiles } from '../src/ingest/import.js';
import { isoWeekOf } from '../src/papers/dates.js';
import { latestFeaturedDay } from '../src/store/papers.js';
import { createApp } from '../src/web/app.js';


const DATA = path.resolve(import.meta.dirname, '../../shared/data');
const FILES = [path.join(DATA, 'hf-daily-papers.jsonl.gz'), path.join(DATA, 'arxiv-sample.jsonl.gz')];


async function load(db: Db, dir: string) {
  const started = performance.now();
  const summary = await importFiles(db.db, FILES, { rejectsDir: path.join(dir, 'rejects') });
  const s = (performance.now() - started) / 1000;
  console.log(`  loaded in ${s.toFixed(1)} s: ${JSON.stringify(summary).slice(0, 160)}`);
}

async function pickTargets(db: Db): Promise<Array<[string, string]>> {
  const day = await latestFeaturedDay(db.db);
  if (!day) throw new Error('nothing featured after the import');
  const top = await db.db.selectFrom('featured').select('paper_id').where('day', '=', day).orderBy('upvotes', 'desc').limit(1).executeTakeFirstOrThrow();
  return [
    // The floor on this machine at this moment: a JSON route with no database work behind it.
    ['healthz (floor)', '/healthz'],
    ['/papers', '/papers'],
    ['week page', `/papers/week/${isoWeekOf(day)}`],
    ['trending', '/papers/trending'],
    ['paper page', `/papers/${top.paper_id}`],
  ];
}

export default async function bench(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { only: { type: 'string' }, duration: { type: 'string', default: '6' }, connections: { type: 'string', default: '10' } },
  });
  const duration = Number(values.duration);
  const connections = Number(values.connections);
  const kinds = (values.only ? [values.only] : ['sqlite', 'postgres']) as Array<'sqlite' | 'postgres'>;
  console.log(`web benchmark: ${connections} connections, ${duration} s per route, loopback; server and autocannon in separate processes`);
  for (const kind of kinds) {
    const dir = mkdtempSync(path.join(tmpdir(), 'dp-bench-web-'));
    const database = await freshDatabase('web', kind, dir);
    const config = loadConfig({ DATABASE_URL: database.url, DATA_DIR: dir, SECRET: 'bench', LOG_LEVEL: 'silent' });
    const db = await connect(config.database);
    try {
      await migrateToLatest(db.db, db.dialect);
      console.log(`\n${kind}:`);
      await load(db, dir);
      const app = createApp({ db, config });
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const targets = await pickTargets(db);
      console.log(`  ${'route'.padEnd(30)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  bytes`);
      for (const [label, route] of targets) {
        // One browser reloading: it sends back the cookie of its first visit (pages carry a form
        // token bound to it, so without the cookie every answer differs and none can be a 304).
        const cookie = (await fetch(`${base}/about`)).headers.get('set-cookie')?.split(';')[0] ?? '';
        const headers: Record<string, string> = cookie ? { cookie } : {};
        const first = await fetch(base + route, { headers });
        const bytes = (await first.arrayBuffer()).byteLength;
        if (first.status !== 200) throw new Error(`${route}: HTTP ${first.status}`);
        await autocannon({ url: base + route, connections, duration: 1, headers }); // warm-up
        const r = await autocannon({ url: base + route, connections, duration, headers });
        report(`${label} (${route})`, r, bytes);
        if (label === '/papers') {
          const etag = first.headers.get('etag')!;
          const r304 = await autocannon({ url: base + route, connections, duration, headers: { ...headers, 'if-none-match': etag } });
          report('/papers reload (304)', r304, 0, true);
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

const report = (label: string, r: Parameters<typeof reportWith>[1], bytes: number, expect304 = false) => reportWith(label, r, bytes, expect304, 30);
