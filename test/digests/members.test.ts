// Digests for members, through the real app with its sessions and CSRF: the /settings section, the
// member's digest with "picked for you" from their upvotes, the admin-only preview, and the RFC
// 8058 POST passing the app-wide cross-site refusal. Both dialects.
import { beforeEach, describe, expect, test } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { manageUrl } from '../../src/digests/links.js';
import { sendDigests } from '../../src/digests/send.js';
import { createMailer } from '../../src/mail/transport.js';
import { subscriptionOfUser } from '../../src/store/subscriptions.js';
import { createUser } from '../../src/store/users.js';
import { setVote } from '../../src/store/votes.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, memberApp } from '../members/client.js';
import { addSubscriber, seedPapers } from './helpers.js';

/** Featuring by upvotes as configured by default (FEATURE_MIN_UPVOTES=1). */
const POLICY = { minUpvotes: 1, day: '2026-01-01' };

const DAY = '2026-08-20';

describe.each(DIALECTS)('digests for members (%s)', (dialect) => {
  let a: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;

  const logIn = async (username: string, role: 'admin' | 'member') => {
    const user = await createUser(a.db.db, {
      username,
      email: `${username}@example.com`,
      passwordHash: await hashPassword('a long password'),
      role,
      emailConfirmed: true,
    });
    const client = new Client(a.app);
    await client.get('/login');
    const res = await client.post('/login', { login: username, password: 'a long password' });
    expect(res.status).toBe(303);
    return { user, client };
  };

  beforeEach(async () => {
    smtp = await startSmtp();
    a = await memberApp(dialect, { smtpUrl: smtp.url, baseUrl: 'https://papers.example.org', env: { DIGEST_RATE: '0', TIMEZONE: 'UTC' } });
    await seedPapers(a.db.db, [
      { id: '2608.10001', day: DAY, upvotes: 30, title: 'Top Paper' },
      { id: '2608.10002', day: '2026-08-10', upvotes: 1, title: 'Older Paper I Liked' },
      { id: '2608.10003', day: '2026-08-11', upvotes: 1, title: 'Neighbour Of My Upvote' },
    ]);
    return async () => {
      await a.close();
      await smtp.close();
    };
  });

  test("/settings has a digest section; saving it subscribes the account's address, with picks from its upvotes", async () => {
    const { user, client } = await logIn('reader', 'member');
    const { html } = await client.get('/settings');
    expect(html).toContain('<h2>Email digest</h2>');
    expect(html).toContain('action="/settings/digest"');
    // Without the CSRF token the change is refused.
    expect((await client.post('/settings/digest', { csrf: 'forged', frequency: 'daily' })).status).toBe(403);
    const res = await client.post('/settings/digest', { action: 'save', frequency: 'daily', max: '5', categories: '', keywords: '' });
    expect(res.status).toBe(303);
    expect(await subscriptionOfUser(a.db.db, user.id)).toMatchObject({ status: 'active', email: 'reader@example.com', maxPapers: 5, userId: user.id });
    expect((await client.get('/settings')).html).toContain('Stop digest');

    await setVote(a.db.db, a.db.dialect, user.id, '2608.10002', true, POLICY);
    // The search service's similarity (its own tests cover the embeddings): the neighbour of the upvote.
    const search = {
      similar: async (id: string) => ({ hits: id === '2608.10002' ? [await hit('2608.10003')] : [], reason: null }),
      search: a.deps.search.search,
    };
    const hit = async (id: string) => (await import('../../src/search/hits.js')).loadHits(a.db.db, [id]).then((h) => h[0]!);
    const mailer = createMailer(a.config);
    const s = await sendDigests({ db: a.db, config: a.config, mailer, search }, { frequency: 'daily', date: DAY });
    mailer.close();
    expect(s.sent).toBe(1);
    const text = smtp.received.find((r) => r.to[0] === 'reader@example.com')!.parsed.text!;
    expect(text).toContain('Top Paper');
    expect(text).toMatch(/Picked for you\n\n1\. Neighbour Of My Upvote/);

    await client.get('/settings');
    await client.post('/settings/digest', { action: 'stop' });
    expect((await subscriptionOfUser(a.db.db, user.id))!.status).toBe('unsubscribed');
  });

  test('/digest/preview is for admins only', async () => {
    const visitor = await a.app.request(`/digest/preview?frequency=daily&date=${DAY}`);
    expect(visitor.status).toBe(303); // to log in first, as on /admin and /status
    expect(visitor.headers.get('location')).toMatch(/^\/login\?next=/);
    const { client: member } = await logIn('someone', 'member');
    expect((await member.request(`/digest/preview?frequency=daily&date=${DAY}`)).status).toBe(403);
    const { client: admin } = await logIn('boss', 'admin');
    const res = await admin.request(`/digest/preview?frequency=daily&date=${DAY}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Top Paper');
  });

  test("the one-click POST passes the app's cross-site refusal (it comes from mail providers); other cross-site posts do not", async () => {
    const sub = await addSubscriber(a.db.db, 'reader@example.com');
    const url = manageUrl('https://papers.example.org', 'test-secret', sub.id).slice('https://papers.example.org'.length);
    const res = await a.app.request(url, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
    });
    expect(res.status).toBe(200);
    const subscribe = await a.app.request('/subscribe', {
      method: 'POST',
      body: 'email=x%40example.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
    });
    expect(subscribe.status).toBe(403);
  });
});
