// Members: the cost of a password check, votes per second through the store, concurrent votes
// staying exact, and page requests with a session against anonymous ones (app.request, no
// sockets). `npm run bench -- members [sqlite|postgres://...]`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hashPassword, verifyPassword } from '../src/auth/password.js';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { upsertRecords } from '../src/store/papers.js';
import { createSession } from '../src/store/sessions.js';
import { createUser } from '../src/store/users.js';
import { setVote } from '../src/store/votes.js';
import { createApp } from '../src/web/app.js';
import { buildServices } from '../src/services.js';

/** Featuring by upvotes as configured by default (FEATURE_MIN_UPVOTES=1). */
const POLICY = { minUpvotes: 1, day: '2026-01-01' };

const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

export default async function members(args: string[]) {
  const dir = mkdtempSync(path.join(tmpdir(), 'dp-bench-members-'));
  const url = args[0]?.startsWith('postgres') ? args[0] : `sqlite:${path.join(dir, 'bench.db')}`;
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dir, SECRET: 'bench', LOG_LEVEL: 'silent' });
  const db = await connect(config.database);
  try {
    await migrateToLatest(db.db, db.dialect);
    let t = process.hrtime.bigint();
    const hash = await hashPassword('correct horse battery');
    const hashMs = ms(t);
    t = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) await verifyPassword(hash, 'correct horse battery');
    console.log(`argon2id (19 MiB, t=2): hash ${hashMs.toFixed(0)} ms, verify ${(ms(t) / 5).toFixed(0)} ms`);

    const now = new Date().toISOString();
    const papers = Array.from({ length: 50 }, (_, i) => `2611.${String(10000 + i)}`);
    await upsertRecords(
      db.db,
      papers.map((id) => ({
        source: 'bench',
        paper: {
          id,
          version: 1,
          title: `Paper ${id}`,
          abstract: '',
          authors: ['A'],
          primaryCategory: 'cs.LG',
          categories: ['cs.LG'],
          publishedAt: now,
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
          day: now.slice(0, 10),
          featuredAt: now,
          submittedByUserId: null,
          submittedByName: null,
          organization: null,
          organizationName: null,
          importedUpvotes: 10,
          importedComments: 0,
          aiSummary: null,
          aiKeywords: [],
        },
      })) as never,
    );
    const users = [];
    for (let i = 0; i < 100; i++)
      users.push(await createUser(db.db, { username: `u${i}`, email: `u${i}@example.org`, passwordHash: hash, emailConfirmed: true }));

    t = process.hrtime.bigint();
    let n = 0;
    for (const u of users.slice(0, 20))
      for (const p of papers) {
        await setVote(db.db, db.dialect, u.id, p, true, POLICY);
        n++;
      }
    const seq = ms(t);
    console.log(`votes, one after another: ${n} in ${seq.toFixed(0)} ms = ${Math.round((n / seq) * 1000)}/s`);

    t = process.hrtime.bigint();
    await Promise.all(users.flatMap((u) => [0, 1, 2].map(() => setVote(db.db, db.dialect, u.id, papers[0]!, true, POLICY))));
    const row = await db.db.selectFrom('featured').select('upvotes').where('paper_id', '=', papers[0]!).executeTakeFirstOrThrow();
    console.log(`300 concurrent votes by 100 members on one paper: ${ms(t).toFixed(0)} ms, count ${row.upvotes} (expected ${10 + 100})`);

    const app = createApp(buildServices({ db, config }));
    const session = await createSession(db.db, users[0]!.id);
    const page = async (cookie: string | null, count: number) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < count; i++) {
        const res = await app.request(`/papers/${papers[i % papers.length]}`, { headers: cookie ? { cookie } : {} });
        await res.arrayBuffer();
      }
      return (count / ms(start)) * 1000;
    };
    await page(null, 20);
    const anon = await page(null, 300);
    const member = await page(`dp_session=${session.token}`, 300);
    console.log(`paper page: anonymous ${anon.toFixed(0)} req/s, signed in ${member.toFixed(0)} req/s (${db.dialect}, in-process)`);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
