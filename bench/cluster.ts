// Two instances on one PostgreSQL behind a round-robin proxy on loopback, under a bounded mixed
// load (90% anonymous reads of pages, API, feeds and search; 10% members' votes and comments
// through the API), with faults on the way: one instance killed with SIGKILL (and started again),
// the database's connections cut (every backend of the bench's database terminated, or with
// --pg-restart a real `pg_ctlcluster ... restart`), and `digest send` run from both instances'
// folders at once. Afterwards: every acknowledged write is in the database, vote counts equal the
// votes, each subscriber got exactly one digest.
//
//   npm run bench -- cluster [--seconds 60] [--concurrency 48] [--database postgres://.../test] [--pg-restart] [--redis redis://127.0.0.1:6379] [--no-faults] [--cold]
//
// --no-faults runs the same load with no kill, no restart and no digest: the steady state alone,
// to tell what the faults cost from what the load does (the checks after the run still apply).
// --cold starts the load without waiting for the instances to compute the seeded papers' similar
// lists in the background (then the first visitors of a paper may compute its list).
// With --redis the instances count their rate limits there (REDIS_URL) instead of in the database.
// BENCH_NODE_ARGS are the instances' node flags (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see
// where their time goes; the killed instance writes no profile). BENCH_KEEP_LOGS=1 keeps the
// instances' folders, with their logs.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { hashPassword } from '../src/auth/password.js';
import { parseDatabaseUrl } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { upsertRecords } from '../src/store/papers.js';
import { confirmSubscription, requestSubscription } from '../src/store/subscriptions.js';
import { createApiToken } from '../src/store/tokens.js';
import { createUser } from '../src/store/users.js';
import { type Answer, percentile, REPLAY_SERVER, type Recorded, request, startProxy, startSmtpSink, text } from './_cluster-net.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/dailypapers');
const DAYS = ['2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03'];
const WORDS = ['learning', 'graph', 'language', 'vision', 'diffusion', 'transformer', 'robust', 'games'];
const PAPERS = 400;
const MEMBERS = 300;
const SUBSCRIBERS = 200;
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function cluster(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      seconds: { type: 'string' },
      concurrency: { type: 'string' },
      database: { type: 'string' },
      'pg-restart': { type: 'boolean' },
      redis: { type: 'string' },
      'no-faults': { type: 'boolean' },
      cold: { type: 'boolean' },
    },
  });
  const seconds = Number(values.seconds ?? 60);
  const concurrency = Number(values.concurrency ?? 48);
  const admin = values.database ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `dp_bench_cluster_${Date.now().toString(36)}`;
  const dirs = [0, 1, 2].map(() => mkdtempSync(path.join(tmpdir(), 'dp-cluster-')));
  // A connection for each administrative statement: one held across the run would die with
  // --pg-restart.
  const once = async (connectionString: string, text: string) => {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return await client.query(text);
    } finally {
      await client.end();
    }
  };
  const adminQuery = (text: string) => once(admin, text);
  await adminQuery(`create database ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  const url = u.toString();
  const children: ChildProcess[] = [];
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    const seed = await seedDatabase(url);
    const smtp = await startSmtpSink();
    const ports = [0, 1].map((i) => 41000 + (process.pid % 1000) * 2 + i);
    const env = (i: number) => ({
      PATH: process.env.PATH ?? '',
      DATABASE_URL: url,
      DATA_DIR: dirs[i]!,
      PORT: String(ports[i]),
      HOST: '127.0.0.1',
      ARXIV_SCHEDULE: 'off',
      DIGEST_SCHEDULE: 'off',
      TRUST_PROXY: '127.0.0.1',
      SMTP_URL: smtp.url,
      DIGEST_RATE: '0',
      LOG_LEVEL: 'warn', // a line per request would be the bench's largest cost on two shared cores
      ...(values.redis ? { REDIS_URL: values.redis } : {}),
    });
    const start = async (i: number) => {
      const log = openSync(path.join(dirs[i]!, `serve-${Date.now()}.log`), 'a');
      const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve'], { env: env(i), stdio: ['ignore', log, log] });
      children[i] = child;
      let exited: number | null = null;
      child.once('exit', (code) => (exited = code ?? -1));
      for (let t = 0; t < 600 && exited === null; t++) {
        if ((await request(ports[i]!, 'GET', '/readyz')).status === 200) return;
        await sleep(100);
      }
      throw new Error(
        `instance ${i + 1} did not become ready${exited !== null ? ` (exit ${exited})` : ''}: ${readFileSync(
          path.join(
            dirs[i]!,
            readdirSync(dirs[i]!)
              .filter((f) => f.startsWith('serve-'))
              .sort()
              .at(-1)!,
          ),
          'utf8',
        ).slice(-600)}`,
      );
    };
    await Promise.all([start(0), start(1)]);
    // After their embeddings the instances compute the seeded papers' similar lists in the
    // background (serve's embedding loop, search/kept-similar.ts), as after a day's harvest; the
    // load starts once they have, so that it measures serving rather than that one-off.
    const ahead = Date.now();
    const kept = async () => Number((await once(url, 'select count(*) as n from paper_neighbours')).rows[0].n);
    const atReady = await kept();
    while (!values.cold && (await kept()) < PAPERS && Date.now() - ahead < 120_000) await sleep(250);
    console.log(
      values.cold
        ? `similar lists of the ${PAPERS} papers kept when the instances were ready: ${atReady}; the load starts now (--cold)`
        : `similar lists of the ${PAPERS} papers computed by the instances in the background: ${atReady} kept when they were ready, ${await kept()} after ${((Date.now() - ahead) / 1000).toFixed(1)} s`,
    );
    const proxy = await startProxy(ports);

    // The floor: /healthz through the proxy, same concurrency, 5 s.
    const floor = await drive(proxy.port, 5, concurrency, () => ({ method: 'GET', path: '/healthz', headers: {} }));
    console.log(`floor: GET /healthz through the proxy: ${floor.rate.toFixed(0)} req/s, p50 ${floor.p50.toFixed(1)} ms, p99 ${floor.p99.toFixed(1)} ms`);

    const state = new Load(seed);
    const faults: string[] = [];
    const note = (line: string) => {
      faults.push(line);
      console.log(`  [during the run] ${line}`);
    };
    const T = seconds * 1000;
    const began = Date.now();
    const at = (f: number) => sleep(Math.max(0, began + f * T - Date.now()));
    const timeline = (async () => {
      if (values['no-faults']) return;
      await at(0.2);
      children[1]!.kill('SIGKILL');
      const killedAt = Date.now();
      note(`t=${((killedAt - began) / 1000).toFixed(0)} s: instance 2 killed with SIGKILL`);
      await at(0.35);
      await start(1);
      note(
        `t=${((Date.now() - began) / 1000).toFixed(0)} s: instance 2 started again and ready (${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill)`,
      );
      await at(0.55);
      const cut = Date.now();
      if (values['pg-restart']) {
        const version = execFileSync('ls', ['/etc/postgresql']).toString().trim().split('\n').pop()!;
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart']);
        note(`t=${((cut - began) / 1000).toFixed(0)} s: PostgreSQL restarted (pg_ctlcluster ${version} main restart)`);
      } else {
        const c = new pg.Client({ connectionString: admin });
        await c.connect();
        const r = await c.query('select count(pg_terminate_backend(pid)) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await c.end();
        note(
          `t=${((cut - began) / 1000).toFixed(0)} s: every connection to the bench database terminated (${r.rows[0].n} backends; emulates a PostgreSQL restart)`,
        );
      }
      const recovered = await Promise.all(
        ports.map(async (port) => {
          while (Date.now() - cut < 60_000) {
            if ((await request(port, 'GET', '/api/papers?limit=1', { 'x-forwarded-for': '192.0.2.200' })).status === 200) return (Date.now() - cut) / 1000;
            await sleep(50);
          }
          return Number.POSITIVE_INFINITY;
        }),
      );
      note(`  both instances answered from the database again after ${recovered.map((s) => `${s.toFixed(1)} s`).join(' and ')}`);
      await at(0.7);
      const digest = (i: number) =>
        new Promise<string>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'digest', 'send', '--frequency', 'daily', '--date', DAYS.at(-1)!], {
            env: env(i),
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let out = '';
          child.stdout.on('data', (d) => (out += d));
          child.stderr.on('data', (d) => (out += d));
          child.on('close', (code) => resolve(`exit ${code}: ${out.trim().split('\n').at(-1)}`));
        });
      const [d1, d2] = await Promise.all([digest(0), digest(1)]);
      note(`t=${((Date.now() - began) / 1000).toFixed(0)} s: digest send on both at once: ${d1} | ${d2}`);
    })();
    const cpuBefore = cpuNow(children, name);
    const recorded: Record<string, Recorded> = {};
    const run = await drive(
      proxy.port,
      seconds,
      concurrency,
      () => state.next(),
      (op, a) => {
        state.settle(op, a);
        record(recorded, op, a);
      },
    );
    const cpuAfter = cpuNow(children, name);
    const served = await Promise.all(ports.map((port) => request(port, 'GET', '/metrics').then((a) => servedBy(text(a)))));
    await timeline;
    await proxy.close();

    console.log(`\nmixed load, ${seconds} s, ${concurrency} concurrent clients, 2 instances + proxy on loopback (CPU shared with other work on this machine):`);
    console.log(`  ${run.count} requests, ${run.rate.toFixed(0)} req/s, p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms`);
    for (const k of run.kinds) console.log(`    ${k.kind.padEnd(28)} ${String(k.count).padStart(6)}  p50 ${k.p50.toFixed(1)} ms  p99 ${k.p99.toFixed(1)} ms`);
    console.log(`  reads ${state.reads}, writes ${state.writes} (${state.acknowledged} acknowledged)`);
    for (const [i, m] of served.entries()) console.log(`  instance ${i + 1} (from its /metrics, since its start): ${m}`);
    const used = (k: keyof CpuTimes) => (cpuAfter[k] - cpuBefore[k]) / run.count;
    console.log(
      `  CPU per request (ms): instances ${used('instances').toFixed(2)}, PostgreSQL ${used('postgres').toFixed(2)}, load generator and proxy ${used('bench').toFixed(2)}, whole machine ${used('machine').toFixed(2)} (2 cores: ${((2 * 1000 * seconds) / run.count).toFixed(2)} ms per request available)`,
    );
    console.log(`  statuses: ${[...run.statuses].map(([s, n]) => `${s}: ${n}`).join(', ')}`);
    console.log(`  errors (no answer or 5xx): ${run.errors}`);
    for (const f of faults) console.log(`  ${f}`);
    const check = await verify(url, state, smtp.received, seed.subscribers);
    for (const line of check) console.log(`  ${line}`);
    await smtp.close();

    // The floor of this load on this machine: the same answers, sent by bare servers.
    const replay = await replayFloor(recorded, dirs[2]!, seed, Math.min(seconds, 20), concurrency);
    console.log(
      `\nfloor: the same load answered with the recorded answers (one of each kind: same bytes, headers, statuses) by two bare node:http processes through the same proxy, ${Math.min(seconds, 20)} s:`,
    );
    console.log(
      `  ${replay.run.count} requests, ${replay.run.rate.toFixed(0)} req/s, p50 ${replay.run.p50.toFixed(1)} ms, p99 ${replay.run.p99.toFixed(1)} ms`,
    );
    console.log(
      `  CPU per request (ms): servers ${replay.cpu.instances.toFixed(2)}, load generator and proxy ${replay.cpu.bench.toFixed(2)}, whole machine ${replay.cpu.machine.toFixed(2)}`,
    );
    console.log(`  bytes per answer: ${Math.round(replay.bytes)} on average over the kinds as requested`);
  } finally {
    for (const c of children) c?.kill('SIGTERM');
    await sleep(500);
    await adminQuery(`drop database if exists ${name} with (force)`);
    if (process.env.BENCH_KEEP_LOGS) console.log(`instances' folders and logs kept: ${dirs.join(' ')}`);
    else for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Keeps the first successful answer of each kind (method and path without ids or query). */
function record(into: Record<string, Recorded>, op: Op, a: Answer) {
  if (a.status < 200 || a.status >= 300) return;
  const key = `${op.method} ${kindOf(op.path)}`;
  if (into[key]) return;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.headers)) {
    if (['connection', 'keep-alive', 'transfer-encoding', 'date', 'content-length'].includes(k) || v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  into[key] = { status: a.status, headers, body: a.raw.toString('base64') };
}

const kindOf = (path: string) => path.replace(/\?.*$/, '').replace(/[0-9][0-9.-]+[0-9]/g, 'N');

/** Two bare servers replaying `recorded` behind the proxy, under the same load for `seconds`. */
async function replayFloor(recorded: Record<string, Recorded>, dir: string, seed: Seed, seconds: number, concurrency: number) {
  const file = path.join(dir, 'recorded.json');
  writeFileSync(file, JSON.stringify(recorded));
  const ports = [0, 1].map((i) => 43000 + (process.pid % 1000) * 2 + i);
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise<ChildProcess>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', REPLAY_SERVER, file, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
          child.once('message', () => resolve(child));
          child.once('exit', (code) => reject(new Error(`replay server exited ${code}`)));
        }),
    ),
  );
  const proxy = await startProxy(ports);
  const load = new Load(seed);
  let bytes = 0;
  try {
    const before = cpuNow(servers);
    const run = await drive(
      proxy.port,
      seconds,
      concurrency,
      () => load.next(),
      (op, a) => {
        load.settle(op, a);
        bytes += a.raw.length;
      },
    );
    const after = cpuNow(servers);
    const per = (k: keyof CpuTimes) => (after[k] - before[k]) / run.count;
    return { run, bytes: bytes / run.count, cpu: { instances: per('instances'), bench: per('bench'), machine: per('machine') } };
  } finally {
    await proxy.close();
    for (const c of servers) c.kill('SIGTERM');
  }
}

interface CpuTimes {
  instances: number;
  postgres: number;
  bench: number;
  machine: number;
}

/**
 * CPU milliseconds used so far by the instances (the killed one's time is lost), the PostgreSQL
 * backends of the bench's database (those that ended in between are lost), this process, and the
 * whole machine.
 */
/** An instance's page cache results and the routes it spent most time on, from its /metrics text. */
function servedBy(metrics: string): string {
  const value = (re: RegExp) => Number(metrics.match(re)?.[1] ?? 0);
  const hit = value(/page_cache_requests_total\{result="hit"\} (\d+)/);
  const miss = value(/page_cache_requests_total\{result="miss"\} (\d+)/);
  const notModified = value(/page_cache_requests_total\{result="not_modified"\} (\d+)/);
  const routes = [...metrics.matchAll(/request_duration_seconds_sum\{route="([^"]+)"\} ([0-9.]+)\n.*_count\{route="[^"]+"\} (\d+)/g)]
    .map(([, route, sum, count]) => ({ route: route!, sum: Number(sum), count: Number(count) }))
    .sort((a, b) => b.sum - a.sum)
    .slice(0, 6);
  return `page cache ${hit} hits, ${miss} misses, ${notModified} not modified; time by route: ${routes
    .map((r) => `${r.route} ${r.count} × ${((r.sum / r.count) * 1000).toFixed(1)} ms`)
    .join(', ')}`;
}

function cpuNow(children: ChildProcess[], database?: string): CpuTimes {
  const tick = 10; // USER_HZ 100
  const ofPid = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + Number(f[12])) * tick;
    } catch {
      return 0;
    }
  };
  let postgres = 0;
  for (const d of database ? readdirSync('/proc') : []) {
    if (!/^\d+$/.test(d)) continue;
    try {
      // A backend's title names its database; other databases' work on this server is not ours.
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(` ${database} `)) postgres += ofPid(Number(d));
    } catch {}
  }
  const self = process.cpuUsage();
  const stat = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);
  const machine = (stat[0]! + stat[1]! + stat[2]! + stat[5]! + stat[6]!) * tick;
  return { instances: children.reduce((n, c) => n + (c?.pid ? ofPid(c.pid) : 0), 0), postgres, bench: (self.user + self.system) / 1000, machine };
}

interface Op {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  write?: { kind: 'vote' | 'unvote' | 'comment'; member: number; paper: string };
}

/** Runs `concurrency` loops for `seconds`, each sending next() and waiting for the answer. */
async function drive(port: number, seconds: number, concurrency: number, next: () => Op | null, settle?: (op: Op, a: Answer) => void) {
  const latencies: number[] = [];
  /** By kind: the reads' path without its query, and each kind of write. */
  const byKind = new Map<string, number[]>();
  const statuses = new Map<number, number>();
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const op = next();
        if (!op) {
          await sleep(5);
          continue;
        }
        const a = await request(port, op.method, op.path, op.headers, op.body);
        latencies.push(a.ms);
        const kind = op.write ? op.write.kind : kindOf(op.path);
        const list = byKind.get(kind);
        if (list) list.push(a.ms);
        else byKind.set(kind, [a.ms]);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        if (a.status === 0 || a.status >= 500) errors++;
        settle?.(op, a);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const kinds = [...byKind]
    .map(([k, l]) => {
      l.sort((a, b) => a - b);
      return { kind: k, count: l.length, p50: percentile(l, 50), p99: percentile(l, 99) };
    })
    .sort((a, b) => b.count - a.count);
  return { count: latencies.length, rate: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), statuses, errors, kinds };
}

class Load {
  reads = 0;
  writes = 0;
  acknowledged = 0;
  busy = new Set<number>();
  /** member -> papers they have an acknowledged upvote on. */
  voted = new Map<number, Set<string>>();
  /** (member, paper) pairs whose last write got no answer: their state is unknown, left out of the check. */
  unsure = new Set<string>();
  comments: number[] = [];
  constructor(readonly seed: Seed) {}

  next(): Op {
    const xff = `198.18.${Math.floor(Math.random() * 4)}.${Math.floor(Math.random() * 250)}`;
    const paper = this.seed.papers[Math.floor(Math.random() * this.seed.papers.length)]!;
    if (Math.random() < 0.9) {
      this.reads++;
      const day = DAYS[Math.floor(Math.random() * DAYS.length)]!;
      const word = WORDS[Math.floor(Math.random() * WORDS.length)]!;
      const paths = [
        '/papers',
        `/papers/date/${day}`,
        `/papers/${paper}`,
        '/papers/trending',
        `/api/daily_papers?date=${day}`,
        `/api/papers/${paper}`,
        '/papers/feed.atom',
        `/search?q=${word}`,
        `/api/papers/search?q=${word}`,
      ];
      return { method: 'GET', path: paths[Math.floor(Math.random() * paths.length)]!, headers: { 'x-forwarded-for': xff, 'accept-encoding': 'gzip' } };
    }
    let member = Math.floor(Math.random() * this.seed.tokens.length);
    for (let i = 0; this.busy.has(member) && i < 20; i++) member = Math.floor(Math.random() * this.seed.tokens.length);
    if (this.busy.has(member) || this.unsure.has(`${member}|${paper}`)) return this.next();
    this.busy.add(member);
    this.writes++;
    const headers = {
      authorization: `Bearer ${this.seed.tokens[member]}`,
      'x-forwarded-for': `10.77.${member >> 8}.${member & 255}`,
      'content-type': 'application/json',
    };
    if (Math.random() < 0.75) {
      const on = !this.voted.get(member)?.has(paper);
      return { method: on ? 'POST' : 'DELETE', path: `/api/papers/${paper}/upvote`, headers, write: { kind: on ? 'vote' : 'unvote', member, paper } };
    }
    const body = JSON.stringify({ body: `Comment by member ${member} on ${paper}: the ablation in section 4 is convincing.` });
    return { method: 'POST', path: `/api/papers/${paper}/comments`, headers, body, write: { kind: 'comment', member, paper } };
  }

  settle(op: Op, a: Answer) {
    const w = op.write;
    if (!w) return;
    this.busy.delete(w.member);
    if (a.status === 200 || a.status === 201) {
      this.acknowledged++;
      if (w.kind === 'comment') this.comments.push((JSON.parse(text(a)) as { id: number }).id);
      else {
        const set = this.voted.get(w.member) ?? new Set<string>();
        if (w.kind === 'vote') set.add(w.paper);
        else set.delete(w.paper);
        this.voted.set(w.member, set);
      }
    } else if (a.status === 0 || a.status >= 500) {
      if (w.kind !== 'comment') this.unsure.add(`${w.member}|${w.paper}`);
    }
  }
}

interface Seed {
  papers: string[];
  tokens: string[];
  userIds: number[];
  subscribers: string[];
}

export async function seedDatabase(url: string): Promise<Seed> {
  const db = await connect(parseDatabaseUrl(url));
  try {
    await migrateToLatest(db.db, db.dialect);
    const now = new Date().toISOString();
    const papers = Array.from({ length: PAPERS }, (_, i) => `2612.${String(10000 + i)}`);
    await upsertRecords(
      db.db,
      papers.map((id, i) => ({
        source: 'bench',
        paper: {
          id,
          version: 1,
          title: `${WORDS[i % WORDS.length]} and ${WORDS[(i * 3 + 1) % WORDS.length]} in paper ${i}`,
          abstract: `We study ${WORDS[i % WORDS.length]} methods for ${WORDS[(i + 2) % WORDS.length]} with ${WORDS[(i + 5) % WORDS.length]} baselines.`,
          authors: [`Author ${i % 37}`],
          primaryCategory: 'cs.LG',
          categories: ['cs.LG'],
          publishedAt: `${DAYS[i % DAYS.length]}T12:00:00.000Z`,
          updatedAt: now,
          submitter: null,
          comments: null,
          journalRef: null,
          doi: null,
          reportNo: null,
          license: null,
          codeUrl: null,
          projectUrl: null,
          withdrawn: false,
        },
        featured: {
          paperId: id,
          day: DAYS[i % DAYS.length]!,
          featuredAt: now,
          submittedByUserId: null,
          submittedByName: null,
          organization: null,
          organizationName: null,
          importedUpvotes: 5,
          importedComments: 0,
          aiSummary: null,
          aiKeywords: [],
        },
      })) as never,
    );
    const hash = await hashPassword('correct horse battery');
    const tokens: string[] = [];
    const userIds: number[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const u = await createUser(db.db, { username: `m${i}`, email: `m${i}@example.org`, passwordHash: hash, emailConfirmed: true });
      userIds.push(u.id);
      tokens.push((await createApiToken(db.db, u.id, 'bench', ['read', 'write'])).token);
    }
    const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => `reader${i}@example.org`);
    for (const email of subscribers) {
      const r = await requestSubscription(db.db, email, { frequency: 'daily', maxPapers: 10, categories: [], keywords: [] });
      if (r.kind === 'confirm') await confirmSubscription(db.db, r.token);
    }
    return { papers, tokens, userIds, subscribers };
  } finally {
    await db.close();
  }
}

async function verify(url: string, state: Load, received: Map<string, number>, subscribers: string[]): Promise<string[]> {
  const db = await connect(parseDatabaseUrl(url));
  try {
    const out: string[] = [];
    const rows = await db.db.selectFrom('votes').select(['user_id', 'paper_id']).execute();
    const inDb = new Set(rows.map((r) => `${r.user_id}|${r.paper_id}`));
    let lost = 0;
    let extra = 0;
    let checked = 0;
    state.seed.userIds.forEach((userId, member) => {
      const mine = state.voted.get(member) ?? new Set<string>();
      for (const paper of state.seed.papers) {
        if (state.unsure.has(`${member}|${paper}`)) continue;
        const want = mine.has(paper);
        const have = inDb.has(`${userId}|${paper}`);
        if (want) checked++;
        if (want && !have) lost++;
        if (!want && have) extra++;
      }
    });
    out.push(
      `votes: ${checked} acknowledged upvotes standing, ${lost} lost, ${extra} present though acknowledged as removed (${state.unsure.size} pairs unsure after a failed request)`,
    );
    const counts = await sql<{ bad: number }>`
      select count(*) as bad from featured f
      where f.upvotes <> f.imported_upvotes + (select count(*) from votes v where v.paper_id = f.paper_id)`.execute(db.db);
    out.push(`vote counts: ${Number(counts.rows[0]!.bad)} papers whose count differs from imported + votes`);
    const ids = state.comments.length ? (await db.db.selectFrom('comments').select('id').where('id', 'in', state.comments).execute()).length : 0;
    out.push(`comments: ${state.comments.length} acknowledged, ${ids} in the database`);
    const counts1 = subscribers.map((s) => received.get(s) ?? 0);
    out.push(
      `digests: ${subscribers.length} subscribers; ${counts1.filter((n) => n === 1).length} got exactly one, ${counts1.filter((n) => n === 0).length} none, ${counts1.filter((n) => n > 1).length} more than one`,
    );
    return out;
  } finally {
    await db.close();
  }
}
