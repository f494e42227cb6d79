// `npm run bench -- digest [N]`: N (10,000) confirmed subscribers with varied filters and sizes, one
// day of 60 featured papers and 1,000 new arXiv papers, and one daily run of the real `digest
// send` (dist/, in a child process, so its peak RSS is the sender's alone) to a local SMTP sink
// in this process; then the same run again, which must send nothing. Then the same with 5 follows
// per subscriber (categories, authors, a saved search), whose "New for you" the run adds: the
// issue's bound is at most 20% more time. Prints messages per second, total time and peak RSS, on
// SQLite and on PostgreSQL (TEST_DATABASE_URL, or the local default).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { parseDatabaseUrl } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { upsertRecords } from '../src/store/papers.js';
import { buildDist, onEachEngine, ROOT as root } from './_engines.js';

const DAY = '2026-08-20';
const CATEGORIES = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML', 'cs.RO'];
const TOPICS = ['diffusion', 'retrieval', 'reinforcement learning', 'graph', 'speech', 'agents'];

const CHILD = `
const { main } = await import(${JSON.stringify(path.join(root, 'dist/cli/main.js'))});
const code = await main(process.argv.slice(1), { env: process.env, stdout: process.stdout, stderr: process.stderr });
const u = process.resourceUsage();
process.stderr.write('BENCH maxRSS=' + u.maxRSS + ' cpu=' + (u.userCPUTime + u.systemCPUTime) + '\\n');
process.exitCode = code;`;

/** Accepts everything, counts it, keeps the first few raw messages to check their structure. */
async function sink() {
  const state = { count: 0, bytes: 0, samples: [] as string[] };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => {
        if (state.samples.length < 3) chunks.push(c);
        else state.bytes += c.length;
      });
      stream.on('end', () => {
        state.count++;
        if (chunks.length) {
          const raw = Buffer.concat(chunks);
          state.bytes += raw.length;
          state.samples.push(raw.toString('utf8'));
        }
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as { port: number }).port;
  return { url: `smtp://127.0.0.1:${port}`, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const AUTHORS = Array.from({ length: 200 }, (_, i) => `Author Number${i}`);
/** Submitted the day before DAY (a Wednesday, 11:00 New York time): announced on DAY. */
const SUBMITTED = '2026-08-19T15:00:00.000Z';

/** 1,000 new papers announced on DAY, not featured: what follows match. */
function newPapers() {
  return Array.from({ length: 1000 }, (_, i) => {
    const cats = [CATEGORIES[(i * 3) % CATEGORIES.length]!, CATEGORIES[(i * 5 + 2) % CATEGORIES.length]!];
    return {
      source: 'bench',
      paper: {
        id: `2608.${String(30000 + i)}`,
        version: 1,
        title: `New results on ${TOPICS[i % TOPICS.length]} ${i}`,
        abstract: `We revisit ${TOPICS[(i + 3) % TOPICS.length]} and ${TOPICS[i % TOPICS.length]}. Experiments on ${i % 17} datasets.`,
        authors: [AUTHORS[i % AUTHORS.length]!, AUTHORS[(i * 7 + 3) % AUTHORS.length]!],
        primaryCategory: cats[0]!,
        categories: cats,
        publishedAt: SUBMITTED,
        updatedAt: SUBMITTED,
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
    };
  });
}

async function seed(url: string, n: number, follows: boolean) {
  const db = await connect(parseDatabaseUrl(url));
  try {
    await migrateToLatest(db.db, db.dialect);
    await upsertRecords(db.db, newPapers());
    await upsertRecords(
      db.db,
      Array.from({ length: 60 }, (_, i) => {
        const id = `2608.${String(20000 + i)}`;
        const cats = [CATEGORIES[i % CATEGORIES.length]!, CATEGORIES[(i * 7 + 1) % CATEGORIES.length]!];
        return {
          source: 'bench',
          paper: {
            id,
            version: 1,
            title: `A study of ${TOPICS[i % TOPICS.length]} number ${i}`,
            abstract: `We study ${TOPICS[(i + 2) % TOPICS.length]} at scale. Results improve on ${i} baselines.`,
            authors: ['Ada Example', 'Bo Sample', 'Cy Third', 'Di Fourth'].slice(0, 1 + (i % 4)),
            primaryCategory: cats[0]!,
            categories: cats,
            publishedAt: `${DAY}T00:00:00Z`,
            updatedAt: null,
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
            day: DAY,
            featuredAt: `${DAY}T${String(8 + (i % 10)).padStart(2, '0')}:00:00.000Z`,
            submittedByUserId: null,
            submittedByName: null,
            organization: null,
            organizationName: null,
            importedUpvotes: (i * 37) % 101,
            importedComments: 0,
            aiSummary: i % 3 === 0 ? null : `This paper advances ${TOPICS[i % TOPICS.length]} with a simple method.`,
            aiKeywords: [TOPICS[(i + 1) % TOPICS.length]!],
          },
        };
      }),
    );
    // Varied choices: half without filters, the rest by category, archive, keyword or both.
    const now = new Date().toISOString();
    const rows = Array.from({ length: n }, (_, i) => {
      const kind = i % 10;
      const categories = kind >= 5 && kind <= 6 ? [CATEGORIES[i % CATEGORIES.length]!] : kind === 7 ? ['cs'] : kind === 9 ? [CATEGORIES[i % 6]!, 'stat'] : [];
      const keywords = kind === 8 || kind === 9 ? [TOPICS[i % TOPICS.length]!] : [];
      const email = `reader${i}@bench.example`;
      return {
        email,
        email_key: email,
        frequency: 'daily' as const,
        max_papers: [5, 10, 20][i % 3]!,
        categories: JSON.stringify(categories),
        keywords: JSON.stringify(keywords),
        status: 'active' as const,
        confirmed_at: now,
        created_at: now,
        updated_at: now,
      };
    });
    for (let i = 0; i < rows.length; i += 1000)
      await db.db
        .insertInto('subscriptions')
        .values(rows.slice(i, i + 1000))
        .execute();
    if (follows) {
      // Five follows each: two categories, two authors, one saved search (six distinct queries).
      const subs = await db.db.selectFrom('subscriptions').select('id').execute();
      const follow = subs.flatMap(({ id }, i) => [
        { subscription_id: id, kind: 'category' as const, value: CATEGORIES[i % CATEGORIES.length]!, created_at: now },
        { subscription_id: id, kind: 'category' as const, value: CATEGORIES[(i + 2) % CATEGORIES.length]!, created_at: now },
        { subscription_id: id, kind: 'author' as const, value: AUTHORS[i % AUTHORS.length]!, created_at: now },
        { subscription_id: id, kind: 'author' as const, value: AUTHORS[(i * 13 + 1) % AUTHORS.length]!, created_at: now },
        { subscription_id: id, kind: 'search' as const, value: TOPICS[i % TOPICS.length]!, created_at: now },
      ]);
      for (let i = 0; i < follow.length; i += 1000)
        await db.db
          .insertInto('follows')
          .values(follow.slice(i, i + 1000))
          .execute();
    }
  } finally {
    await db.close();
  }
}

async function runSend(env: Record<string, string>) {
  const started = process.hrtime.bigint();
  // DIGEST_BENCH_PROFILE=DIR writes a V8 CPU profile of the sender there (chrome://inspect, speedscope).
  const profile = process.env.DIGEST_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DIGEST_BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--input-type=module', '-e', CHILD, 'digest', 'send', '--frequency', 'daily', '--date', DAY], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn', DIGEST_RATE: '0', BASE_URL: 'https://papers.example.org', SECRET: 'bench-secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`digest send exited ${code}\n${err}`);
  return { seconds, out: out.trim(), rssMb: Number(/BENCH maxRSS=(\d+)/.exec(err)?.[1]) / 1024, cpuS: Number(/ cpu=(\d+)/.exec(err)?.[1]) / 1e6 };
}

async function once(label: string, url: string, dataDir: string, n: number, follows: boolean) {
  const t0 = Date.now();
  await seed(url, n, follows);
  const seedS = (Date.now() - t0) / 1000;
  const smtp = await sink();
  try {
    const env = { DATABASE_URL: url, DATA_DIR: dataDir, SMTP_URL: smtp.url };
    const first = await runSend(env);
    const sent = Number(/; (\d+) sent/.exec(first.out)?.[1]);
    if (sent !== smtp.state.count) throw new Error(`${label}: the run says ${sent} sent, the SMTP sink got ${smtp.state.count}`);
    const sample = await simpleParser(smtp.state.samples[0]!);
    if (!sample.html || !sample.text || !/List-Unsubscribe-Post: List-Unsubscribe=One-Click/.test(smtp.state.samples[0]!))
      throw new Error('a sampled message lacks a part or the RFC 8058 header');
    const again = await runSend(env);
    if (smtp.state.count !== sent) throw new Error(`${label}: the repeated run sent ${smtp.state.count - sent} more`);
    const newForYou = await simpleParser(smtp.state.samples[0]!);
    if (follows && !/New for you/.test(newForYou.text ?? '')) throw new Error(`${label}: a sampled message has no "New for you"`);
    times.set(label, first.seconds);
    const base = times.get(label.replace(' +follows', ''));
    console.log(
      `${label.padEnd(17)} ${sent} messages (${n - sent} left empty by their filters) in ${first.seconds.toFixed(1)} s = ${Math.round(sent / first.seconds)} messages/s, ` +
        `peak RSS ${first.rssMb.toFixed(0)} MB, sender CPU ${first.cpuS.toFixed(1)} s (${((first.cpuS * 1000) / sent).toFixed(2)} ms a message), ${(smtp.state.bytes / sent / 1024).toFixed(1)} KB a message; repeat run ${again.seconds.toFixed(1)} s, 0 sent; (seeding ${seedS.toFixed(1)} s)` +
        (follows && base ? `; ${(((first.seconds - base) / base) * 100).toFixed(0)}% more time than without follows (bound: 20%)` : ''),
    );
    console.log(`          ${first.out}`);
  } finally {
    await smtp.close();
  }
}

export default async function bench(args: string[]) {
  const n = Number(args[0] ?? 10_000);
  buildDist();
  console.log(
    `digest benchmark: ${n} confirmed subscribers, one daily run of 'digest send' (child process, the real mailer: 3 pooled SMTP connections) to a local SMTP sink; target: well under a minute`,
  );
  console.log("times include the child's start-up (loading the program, migrating check); the sink runs in the parent process");

  await onEachEngine('digest', (engine, url, dataDir) => once(engine, url, dataDir, n, false));
  await onEachEngine('digestfollows', (engine, url, dataDir) => once(`${engine} +follows`, url, dataDir, n, true));
}

const times = new Map<string, number>();
