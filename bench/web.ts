// `npm run bench -- web [--only sqlite|postgres] [--duration S] [--connections N] [--history N]`:
// loads the real 9,877 featured papers and the 84k arXiv sample (or, with --history N, N synthetic
// papers listed 1,000 a day back from today, made from the sample's sentences: two years at
// 500,000) into a fresh SQLite file and a fresh PostgreSQL database, serves the app on loopback, and drives the pages, a feed, the API and search with
// autocannon, anonymous and signed in, plus a cookieless reload answered 304, printing req/s and
// p50/p99 latency beside /healthz as the floor of the same run (a ratio holds better on a shared,
// noisy machine). Bytes are what went over the wire (compressed when the client asks for it).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { syntheticCorpus, syntheticPath } from './_corpus.js';
import { freshDatabase } from './_engines.js';
import { addFollow, listFollows } from '../src/store/follows.js';
import { autocannon, report as reportWith } from './_load.js';
import { loadConfig } from '../src/config.js';
import { connect, type Db } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importFiles } from '../src/ingest/import.js';
import { isoWeekOf } from '../src/papers/dates.js';
import { latestFeaturedDay } from '../src/store/papers.js';
import { createSession } from '../src/store/sessions.js';
import { createUser } from '../src/store/users.js';
import { setVote } from '../src/store/votes.js';
import { createApp } from '../src/web/app.js';
import { buildServices } from '../src/services.js';

/** Featuring by upvotes as configured by default (FEATURE_MIN_UPVOTES=1). */
const POLICY = { minUpvotes: 1, day: '2026-01-01' };

const DATA = path.resolve(import.meta.dirname, '../../shared/data');
const FILES = [path.join(DATA, 'hf-daily-papers.jsonl.gz'), path.join(DATA, 'arxiv-sample.jsonl.gz')];
const HISTORY_DIR = '/tmp/dailypapers-bench';

async function load(db: Db, dir: string, history: number) {
  const started = performance.now();
  mkdirSync(HISTORY_DIR, { recursive: true });
  const files = history
    ? [
        FILES[0]!,
        await syntheticCorpus(FILES[1]!, history, syntheticPath(HISTORY_DIR, history, `-daily-${new Date().toISOString().slice(0, 10)}`), {
          perDay: 1000,
          end: new Date().toISOString().slice(0, 10),
        }),
      ]
    : FILES;
  const summary = await importFiles(db.db, files, { rejectsDir: path.join(dir, 'rejects') });
  const s = (performance.now() - started) / 1000;
  console.log(`  loaded in ${s.toFixed(1)} s: ${JSON.stringify(summary).slice(0, 160)}`);
}

interface Target {
  label: string;
  path: string;
  /** Send the member's session cookie. */
  member?: boolean;
  /** Accept-Encoding to send. */
  encoding?: string;
  /** Send the ETag of a first answer back: every answer should be a 304. */
  reload?: boolean;
  /** A POST with this JSON body (an MCP call) instead of a GET. */
  post?: unknown;
}

/** An MCP tools/call as a client sends it over streamable HTTP: one JSON-RPC message, no session. */
const mcpCall = (name: string, args: Record<string, unknown>) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

async function pickTargets(db: Db): Promise<Target[]> {
  const day = await latestFeaturedDay(db.db);
  if (!day) throw new Error('nothing featured after the import');
  const top = await db.db.selectFrom('featured').select('paper_id').where('day', '=', day).orderBy('upvotes', 'desc').limit(1).executeTakeFirstOrThrow();
  const gzip = 'gzip, deflate, br';
  return [
    // The floor on this machine at this moment: a JSON route with no database work behind it.
    { label: 'healthz (floor)', path: '/healthz' },
    { label: '/papers', path: '/papers', encoding: gzip },
    { label: 'paper page', path: `/papers/${top.paper_id}`, encoding: gzip },
    { label: 'paper .md', path: `/papers/${top.paper_id}.md`, encoding: gzip },
    { label: 'day .md', path: `/papers/date/${day}.md`, encoding: gzip },
    { label: 'week page', path: `/papers/week/${isoWeekOf(day)}`, encoding: gzip },
    { label: 'trending', path: '/papers/trending', encoding: gzip },
    { label: 'search', path: '/search?q=diffusion+language+models', encoding: gzip },
    { label: 'api search', path: '/api/papers/search?q=diffusion+language+models&limit=10', encoding: gzip },
    { label: 'mcp search_papers', path: '/mcp', encoding: gzip, post: mcpCall('search_papers', { query: 'diffusion language models', limit: 10 }) },
    { label: 'mcp get_paper', path: '/mcp', encoding: gzip, post: mcpCall('get_paper', { id: top.paper_id }) },
    { label: 'feed.rss', path: '/papers/feed.rss', encoding: gzip },
    { label: 'api daily_papers 50, gzip', path: '/api/daily_papers?limit=50', encoding: 'gzip' },
    { label: '/papers 304, no cookie', path: '/papers', reload: true },
    { label: '/papers, signed in', path: '/papers', member: true, encoding: gzip },
    { label: 'paper page, signed in', path: `/papers/${top.paper_id}`, member: true, encoding: gzip },
    { label: '/papers/new', path: '/papers/new', encoding: gzip },
    { label: '/papers/new?cat=cs.CL', path: '/papers/new?cat=cs.CL', encoding: gzip },
    { label: '/papers/new 304, no cookie', path: '/papers/new', reload: true },
    { label: '/papers/new, signed in', path: '/papers/new', member: true, encoding: gzip },
    { label: '/following, 50 follows', path: '/following', member: true, encoding: gzip },
  ];
}

/**
 * A member who has upvoted a few of the latest day's papers and follows 50 things (5 categories,
 * 35 authors of the last week's papers, 5 organizations, 5 saved searches), and their session cookie.
 */
async function memberCookie(db: Db): Promise<string> {
  const user = await createUser(db.db, { username: 'bench', email: 'bench@example.org', passwordHash: 'x', emailConfirmed: true });
  const day = (await latestFeaturedDay(db.db))!;
  const papers = await db.db.selectFrom('featured').select('paper_id').where('day', '=', day).limit(3).execute();
  for (const p of papers) await setVote(db.db, db.dialect, user.id, p.paper_id, true, POLICY);
  const owner = { userId: user.id };
  for (const c of ['cs.CL', 'cs.RO', 'stat.ML', 'eess.AS', 'math.OC']) await addFollow(db.db, owner, 'category', c);
  const recent = await db.db.selectFrom('papers').select('authors').orderBy('announced_at', 'desc').limit(400).execute();
  const authors = [...new Set(recent.flatMap((r) => (JSON.parse(r.authors) as string[]).slice(0, 1)))].slice(0, 35);
  for (const a of authors) await addFollow(db.db, owner, 'author', a);
  const orgs = await db.db.selectFrom('featured').select('organization').distinct().where('organization', 'is not', null).limit(5).execute();
  for (const o of orgs) await addFollow(db.db, owner, 'org', o.organization!);
  for (const q of ['diffusion distillation', 'retrieval augmented generation', 'robot manipulation', '"speech recognition"', 'graph neural networks'])
    await addFollow(db.db, owner, 'search', q);
  const n = (await listFollows(db.db, owner)).length;
  console.log(`  the member follows ${n} things`);
  const session = await createSession(db.db, user.id);
  return `dp_session=${session.token}`;
}

export default async function bench(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      duration: { type: 'string', default: '6' },
      connections: { type: 'string', default: '10' },
      history: { type: 'string', default: '0' },
    },
  });
  const history = Number(values.history);
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
      await load(db, dir, history);
      // The API's per-client quota would answer most of a load test with 429s: lifted here.
      const unlimited = { name: 'read', quota: 1e9, windowSeconds: 60 };
      const services = buildServices({ db, config }, { apiLimits: { read: unlimited, write: unlimited } });
      // As a running instance would have them: the built-in model trained, every paper embedded,
      // the index loaded (else search answers by words alone, uncached, while the model loads).
      // Routes picked by BENCH_ROUTES that search nothing skip it (saved searches then match by
      // words, which they do anyway).
      const only = process.env.BENCH_ROUTES?.split(',');
      if (!only || only.some((o) => /search|mcp|paper page/.test(o))) {
        const started = performance.now();
        const embedded = await services.search.embedPending();
        await services.search.warm();
        console.log(`  embedded ${embedded.embedded} papers in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      }
      const app = createApp(services);
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise<void>((resolve) => server.once('listening', () => resolve()));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      // BENCH_ROUTES=label,label runs those routes only (profiling one page).
      const targets = (await pickTargets(db)).filter((t) => !only || only.some((o) => t.label.startsWith(o)));
      const cookie = await memberCookie(db);
      console.log(`  ${'route'.padEnd(30)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  bytes`);
      for (const t of targets) {
        const headers: Record<string, string> = {};
        if (t.member) headers.cookie = cookie;
        if (t.encoding) headers['accept-encoding'] = t.encoding;
        if (t.post) Object.assign(headers, MCP_HEADERS);
        const body = t.post ? JSON.stringify(t.post) : undefined;
        const method = t.post ? 'POST' : undefined;
        const first = await fetch(base + t.path, { method, body, headers: { ...headers, 'accept-encoding': t.encoding ?? 'identity' } });
        if (first.status !== 200) throw new Error(`${t.path}: HTTP ${first.status}`);
        const bytes = Number(first.headers.get('content-length') ?? (await first.arrayBuffer()).byteLength);
        if (t.reload) {
          const etag = first.headers.get('etag');
          if (!etag) throw new Error(`${t.path}: no ETag to reload with`);
          headers['if-none-match'] = etag;
        }
        await autocannon({ url: base + t.path, connections, duration: 1, headers, method, body }); // warm-up
        const r = await autocannon({ url: base + t.path, connections, duration, headers, method, body });
        report(`${t.label}`, r, t.reload ? 0 : bytes, t.reload ?? false);
        if (!t.reload && bytes > 20_000) await sizeFloor(bytes, connections, duration);
      }
      await new Promise((resolve) => server.close(resolve));
    } finally {
      await db.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/**
 * The floor for a body of this size: a bare node:http server sending that many bytes. On this
 * machine's loopback the rate depends on the bytes themselves, not only their number: 35 KB of
 * one repeated letter go at ~10,000 req/s, 35 KB of random bytes at ~2,000 (docs/results/
 * 2026-12-04-web-scopes.md). A compressed body is as incompressible as random bytes, so the floor
 * sends random bytes of the answer's size.
 */
async function sizeFloor(bytes: number, connections: number, duration: number) {
  const body = randomBytes(bytes);
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
  await autocannon({ url, connections, duration: 1 });
  report(`  floor: node:http, ${Math.round(bytes / 1000)} KB`, await autocannon({ url, connections, duration }), bytes);
  await new Promise((resolve) => bare.close(resolve));
}

const report = (label: string, r: Parameters<typeof reportWith>[1], bytes: number, expect304 = false) => reportWith(label, r, bytes, expect304, 30);
