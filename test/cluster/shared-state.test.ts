// Two instances on one database with SECRET unset and a DATA_DIR each, built the way `serve` builds
// itself (migrate, settle the secret in the database, build the services): a member logged in
// through one is recognised by the other, a form served by one is accepted by the other, a vote
// through one shows on the other's next page, and the unsubscribe link of a digest sent by the
// CLI from a third folder opens on either. Also: an older instance's DATA_DIR/secret is moved in.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureSecret } from '../../src/auth/instance-secret.js';
import { loadConfig } from '../../src/config.js';
import { connect } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { buildServices } from '../../src/services.js';
import { createApp } from '../../src/web/app.js';
import { runCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { addConfirmedSubscribers, seedPapers } from '../digests/helpers.js';
import { Client, member } from '../members/client.js';

const DAY = '2026-08-20';
const PAPER = '2608.10001';

/** One instance, started as `serve` starts: its own connection pool, config and services. */
async function instance(url: string, dataDir: string, smtpUrl: string) {
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: dataDir, SMTP_URL: smtpUrl, ARXIV_INTERVAL_MS: '0', LOG_LEVEL: 'silent' });
  const db = await connect(config.database);
  await migrateToLatest(db.db, db.dialect);
  await ensureSecret(db.db, config);
  const deps = buildServices({ db, config });
  return {
    config,
    db,
    app: createApp(deps),
    async close() {
      deps.mailer.close();
      await db.close();
    },
  };
}

/** The same browser (cookies and the form token of the last page) talking to another instance. */
function sameBrowser(c: Client, app: Client['app']): Client {
  const other = new Client(app, c.ip);
  other.cookies = c.cookies;
  other.csrf = c.csrf;
  return other;
}

describe.each(DIALECTS)('two instances on one %s database, SECRET unset', (dialect) => {
  let db: TestDatabase;
  let smtp: TestSmtp;
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;
  let c: Awaited<ReturnType<typeof instance>>;
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'dailypapers-instance-'));
    dirs.push(d);
    return d;
  };

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    smtp = await startSmtp();
    // A's folder still holds the secret an older version generated there: it is moved in.
    const dirA = dir();
    writeFileSync(path.join(dirA, 'secret'), 'secret-from-an-older-version\n');
    // A starts first and moves the old secret in; B and C then start at once and must agree with
    // it and with each other (on SQLite, the second to migrate waits for the first's write lock).
    a = await instance(db.url, dirA, smtp.url);
    [b, c] = await Promise.all([instance(db.url, dir(), smtp.url), instance(db.url, dir(), smtp.url)]);
    await seedPapers(a.db.db, [{ id: PAPER, day: DAY, upvotes: 0, title: 'Paper One', categories: ['cs.CL'] }]);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await c?.close();
    await smtp?.close();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('settles on one secret, the one the older data folder held', () => {
    expect(a.config.secret).toBe('secret-from-an-older-version');
    expect(b.config.secret).toBe(a.config.secret);
    expect(c.config.secret).toBe(a.config.secret);
  });

  it('recognises on B a member who logged in through A, and takes on B a form served by A', async () => {
    const onA = await member(a.app, smtp, 'alice');
    const onB = sameBrowser(onA, b.app);
    const settings = await onB.get('/settings');
    expect(settings.res.status).toBe(200);
    expect(settings.html).toContain('alice@example.org');

    const page = await onA.get(`/papers/${PAPER}`); // the comment form's token comes from A
    expect(page.res.status).toBe(200);
    const posted = await sameBrowser(onA, b.app).post(`/papers/${PAPER}/comments`, { body: 'Posted through B from a form of A.' });
    expect(posted.status).toBe(303);
    expect((await a.app.request(`/api/papers/${PAPER}/comments`)).status).toBe(200);
    const comments = await (await a.app.request(`/api/papers/${PAPER}/comments`)).text();
    expect(comments).toContain('Posted through B from a form of A.');
    // A token signed with another key is still refused: the check is real.
    const forged = sameBrowser(onA, b.app);
    forged.csrf = 'x'.repeat(onA.csrf.length);
    expect((await forged.post(`/papers/${PAPER}/comments`, { body: 'forged' })).status).toBe(403);
  });

  it('ends on B the other sessions of a member who changes the password through A', async () => {
    const first = await member(a.app, smtp, 'carol'); // logged in through A
    const second = new Client(b.app, '198.51.100.77'); // and from another browser, through B
    await second.get('/login');
    expect((await second.post('/login', { login: 'carol', password: 'correct horse battery' })).status).toBe(303);
    expect((await second.get('/settings')).res.status).toBe(200);
    await first.get('/settings');
    expect((await first.post('/settings/password', { current: 'correct horse battery', password: 'a brand new passphrase' })).status).toBe(303);
    expect((await second.get('/settings')).res.status).toBe(303); // ended, though B never saw the change
    expect((await sameBrowser(first, b.app).get('/settings')).res.status).toBe(200); // the changer's own session goes on, on both
  });

  it("shows a vote cast through A on B's next page and API answer", async () => {
    const upvotes = async () => ((await (await b.app.request(`/api/papers/${PAPER}`)).json()) as { upvotes: number }).upvotes;
    const before = await upvotes(); // B has now cached this answer, and the page below
    const title = (n: number) => `title="${n} ${n === 1 ? 'upvote' : 'upvotes'}"`;
    expect(await (await b.app.request(`/papers/date/${DAY}`)).text()).toContain(title(before));
    const bob = await member(a.app, smtp, 'bob');
    await bob.get(`/papers/${PAPER}`);
    expect((await bob.post(`/papers/${PAPER}/upvote`, {})).status).toBe(303);
    // On PostgreSQL, B hears of the vote by a NOTIFY at A's commit (store/versions.ts): it shows
    // as soon as that has arrived, which on loopback is within the same millisecond or so.
    await vi.waitFor(async () => expect(await upvotes()).toBe(before + 1), { timeout: 2000, interval: 5 });
    const html = await (await b.app.request(`/papers/date/${DAY}`)).text();
    expect(html).toContain(title(before + 1));
  });

  it('opens on B the unsubscribe link of a digest the CLI sent from a third folder', async () => {
    await addConfirmedSubscribers(a.db.db, ['reader@example.org']);
    const r = await runCli(['digest', 'send', '--frequency', 'daily', '--date', DAY], {
      DATABASE_URL: db.url,
      DATA_DIR: dir(),
      SMTP_URL: smtp.url,
      DIGEST_RATE: '0',
      LOG_LEVEL: 'warn',
    });
    expect(r.code, r.stderr).toBe(0);
    const mail = smtp.received.find((m) => m.to.includes('reader@example.org'));
    const link = /http:\/\/localhost:3000(\/unsubscribe\/\d+\/[A-Za-z0-9_-]+)/.exec(mail?.parsed.text ?? '')?.[1];
    expect(link).toBeDefined();
    expect((await b.app.request(link!)).status).toBe(200);
    expect((await a.app.request(link!)).status).toBe(200);
    expect((await b.app.request(link!.replace(/.$/, (ch) => (ch === 'A' ? 'B' : 'A')))).status).toBe(404);
  }, 60_000);
});

describe.each(DIALECTS)('the secret on a fresh %s database', (dialect) => {
  it('is generated once when instances start together, and kept', async () => {
    const t = await createTestDatabase(dialect);
    const pools = await Promise.all([0, 1, 2].map(() => connect(t.config)));
    try {
      await migrateToLatest(pools[0]!.db, dialect);
      const configs = [0, 1, 2].map(() => loadConfig({ DATABASE_URL: t.url, DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dailypapers-instance-')) }));
      const secrets = await Promise.all(pools.map((p, i) => ensureSecret(p.db, configs[i]!)));
      expect(new Set(secrets).size).toBe(1);
      expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const again = loadConfig({ DATABASE_URL: t.url, SECRET: '' });
      expect(await ensureSecret(pools[1]!.db, again)).toBe(secrets[0]);
      // SECRET, when set, wins over the database's.
      expect(await ensureSecret(pools[2]!.db, loadConfig({ DATABASE_URL: t.url, SECRET: 'given' }))).toBe('given');
      for (const c of configs) rmSync(c.dataDir, { recursive: true, force: true });
    } finally {
      for (const p of pools) await p.close();
      await t.drop();
    }
  });
});
