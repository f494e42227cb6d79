// `npm run bench -- recommend [--papers N] [--requests R]`: For you and the map at scale, on SQLite,
// in-process (app.request, no sockets), beside a /healthz floor of the same run. N papers (default
// 1,000,000; the newest V, default 200,000, with vectors) are synthetic: titles and abstracts drawn from 64 topic word pools, announced over the
// last 1,000 days, the newest V each with a synthetic 256-d unit vector near its topic's centre
// (storing and indexing a million vectors takes over half an hour on this shared machine); the
// built-in model is trained on a small sample only so that the app has a model name for them.
// Built once under /tmp/dp-rec-bench and kept. A member with 200 saved papers (two topics) asks
// for /for-you (new papers, then the whole corpus); a save of a paper of a third topic is followed
// by a request, timed to the answer that ranks by the retrained model; the map job lays out the
// newest 100,000 and /map/points.json is timed.
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { buildMap } from '../src/recommend/map-job.js';
import { trainBuiltin } from '../src/search/embedders/index.js';
import { mulberry32 } from '../src/search/embedders/linalg.js';
import { buildServices } from '../src/services.js';
import { savedIds, setSaved } from '../src/store/library.js';
import { createSession } from '../src/store/sessions.js';
import { createUser, getUserByName } from '../src/store/users.js';
import { createApp } from '../src/web/app.js';

const DIR = '/tmp/dp-rec-bench';
const TOPICS = 64;
const DIM = 256;
const DAY = 86_400_000;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

export default async function recommendBench(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { papers: { type: 'string' }, vectors: { type: 'string' }, requests: { type: 'string' } } });
  const N = Number(values.papers ?? 1_000_000);
  const V = Math.min(N, Number(values.vectors ?? 200_000));
  const R = Number(values.requests ?? 200);
  mkdirSync(DIR, { recursive: true });
  const config = loadConfig({ DATABASE_URL: `sqlite:${DIR}/rec-${N}.db`, DATA_DIR: DIR, SECRET: 'bench', LOG_LEVEL: 'silent', EMBEDDER: 'builtin' });
  const db = await connect(config.database);
  await migrateToLatest(db.db, db.dialect);
  const services = buildServices({ db, config });
  const { search } = services;
  const rand = mulberry32(7);
  const words = Array.from({ length: TOPICS }, (_, t) => Array.from({ length: 12 }, (_, j) => `t${t}w${j}${['ion', 'al', 'ing', 'ed'][j % 4]}`));
  const topicOf = (i: number) => i % TOPICS;
  const idOf = (i: number) => {
    const month = Math.floor(i / 90_000);
    return `${String(15 + Math.floor(month / 12)).padStart(2, '0')}${String((month % 12) + 1).padStart(2, '0')}.${String(i % 90_000).padStart(5, '0')}`;
  };
  const now = Date.now();
  const announced = (i: number) => new Date(now - (1 - i / N) * 1000 * DAY).toISOString();

  const have = Number((await sql<{ n: number }>`select count(*) as n from papers`.execute(db.db)).rows[0]?.n ?? 0);
  if (have < N) {
    let t = Date.now();
    for (let i = have; i < N; i += 2000) {
      const rows = [];
      for (let j = i; j < Math.min(N, i + 2000); j++) {
        const w = words[topicOf(j)]!;
        const pickW = (n: number) => Array.from({ length: n }, () => w[Math.floor(rand() * w.length)]).join(' ');
        const at = announced(j);
        rows.push({
          id: idOf(j),
          version: 1,
          title: `On ${pickW(3)}`,
          abstract: `We study ${pickW(12)} and ${pickW(10)}; results on ${pickW(8)}.`,
          authors: JSON.stringify([`Author ${j % 50_000}`, `Writer ${(j * 7) % 80_000}`]),
          primary_category: `cs.T${topicOf(j) % 8}`,
          categories: `cs.T${topicOf(j) % 8}`,
          published_at: at,
          updated_at: at,
          announced_at: at,
          withdrawn: 0,
          source: 'bench',
          hash: String(j),
          created_at: at,
          modified_at: at,
        });
      }
      await db.db.insertInto('papers').values(rows).execute();
      if ((i / 2000) % 50 === 0) console.log(`  ${i + rows.length} papers inserted, ${((Date.now() - t) / 1000).toFixed(0)} s`);
    }
    console.log(`inserted ${N - have} papers in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    t = Date.now();
    const emb = await trainBuiltin(db.db, { sample: 3000 });
    const vectors = await search.vectors();
    const centres = Array.from({ length: TOPICS }, () => Array.from({ length: DIM }, () => rand() - 0.5));
    await (vectors.bulk ?? ((run: () => Promise<void>) => run()))(async () => {
      for (let i = N - V; i < N; i += 5000) {
        const items = [];
        for (let j = i; j < Math.min(N, i + 5000); j++) {
          const c = centres[topicOf(j)]!;
          const v = Float32Array.from(c, (x) => x + (rand() - 0.5) * 0.9);
          const norm = Math.hypot(...v);
          items.push({ id: idOf(j), vector: v.map((x) => x / norm) });
        }
        await vectors.put(emb!.model, DIM, items);
      }
    });
    console.log(`stored ${V} synthetic vectors in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  let t = Date.now();
  await search.warm(); // the vector graph: built once and saved beside the database, loaded after
  console.log(`vector index ready in ${((Date.now() - t) / 1000).toFixed(0)} s`);

  const user =
    (await getUserByName(db.db, 'bench')) ??
    (await createUser(db.db, { username: 'bench', email: 'bench@example.org', passwordHash: 'x', emailConfirmed: true }));
  // 200 saves (an earlier run's removed first): papers of topics 3 and 5 spread over the embedded part of the corpus.
  for (const id of await savedIds(db.db, user.id)) await setSaved(db.db, user.id, id, false);
  for (let k = 0; k < 200; k++) await setSaved(db.db, user.id, idOf(N - V + ((k * 4999) % Math.floor(V / TOPICS)) * TOPICS + (k % 2 ? 3 : 5)), true);
  const session = await createSession(db.db, user.id);
  const app = createApp(services);
  const get = async (path: string, cookie = true) => {
    const s = performance.now();
    const res = await app.request(path, { headers: cookie ? { cookie: `dp_session=${session.token}` } : {} });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${body.slice(0, 200)}`);
    return { ms: performance.now() - s, body };
  };
  const series = async (path: string, n: number, cookie = true) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push((await get(path, cookie)).ms);
    return xs;
  };
  t = Date.now();
  const first = await get('/for-you');
  console.log(`first /for-you (reads the window, trains the model): ${first.ms.toFixed(0)} ms`);
  await series('/for-you?tab=all', 3);
  const floor = await series('/healthz', R, false);
  const fresh = await series('/for-you', R);
  const corpus = await series('/for-you?tab=all', Math.ceil(R / 2));
  const line = (label: string, xs: number[]) =>
    console.log(`${label.padEnd(44)} p50 ${pct(xs, 50).toFixed(1)} ms  p99 ${pct(xs, 99).toFixed(1)} ms  (${xs.length} requests)`);
  console.log(
    `\n${N.toLocaleString('en')} papers (the newest ${V.toLocaleString('en')} with vectors), a member with 200 saves, SQLite, in-process, sequential`,
  );
  line('/healthz (floor)', floor);
  line('/for-you (new papers of the last 7 days)', fresh);
  line('/for-you?tab=all (whole corpus)', corpus);

  // A save, then the next request: answered by the retrained model (the reason names the new save).
  const updates: number[] = [];
  for (let k = 0; k < 20; k++) {
    const id = idOf((Math.floor((N - 1) / TOPICS) - k) * TOPICS + 7); // a recent paper of topic 7
    const s = performance.now();
    await setSaved(db.db, user.id, id, true);
    const r = await get('/for-you');
    updates.push(performance.now() - s);
    if (!/like “/.test(r.body)) throw new Error('no reason line after the save');
  }
  line('save, then /for-you with the retrained model', updates);

  t = Date.now();
  const map = await buildMap({ db: db.db, search }, { force: true, max: 100_000 });
  console.log(`map job: ${JSON.stringify(map)} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const mapFloor = await series('/healthz', 50, false);
  // The first request after a new layout reads, parses and gzips it (a visitor's /map page
  // request, which comes first, normally pays this); then every request sends the same bytes.
  const s0 = performance.now();
  await (await app.request('/map/points.json', { headers: { 'accept-encoding': 'gzip' } })).arrayBuffer();
  console.log(`/map/points.json, first request after the new layout: ${(performance.now() - s0).toFixed(0)} ms`);
  const mapXs: number[] = [];
  for (let i = 0; i < 50; i++) {
    const s = performance.now();
    const res = await app.request('/map/points.json', { headers: { 'accept-encoding': 'gzip' } });
    const bytes = (await res.arrayBuffer()).byteLength;
    mapXs.push(performance.now() - s);
    if (i === 0) console.log(`/map/points.json: ${(bytes / 1e6).toFixed(2)} MB gzipped`);
  }
  line('/healthz (floor, again)', mapFloor);
  line('/map/points.json, 100,000 points (gzip)', mapXs);
  await db.close();
}
