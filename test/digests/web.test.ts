// Subscribing on the web, through app.request(): double opt-in, the same answer for known
// addresses, validation, same-origin check, the signed manage page and the RFC 8058 one-click POST,
// the admin preview, and the box on the feed pages. Both dialects.
import type { Hono } from 'hono';
import { beforeEach, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { manageUrl } from '../../src/digests/links.js';
import { sendDigests } from '../../src/digests/send.js';
import { createMailer } from '../../src/mail/transport.js';
import { findByEmail, getSubscription } from '../../src/store/subscriptions.js';
import { createApp } from '../../src/web/app.js';
import { createSession } from '../../src/store/sessions.js';
import { createUser } from '../../src/store/users.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { addSubscriber, seedPapers } from './helpers.js';
import { buildServices } from '../../src/services.js';

const BASE = 'https://papers.example.org';
const DAY = '2026-08-20';

describe.each(DIALECTS)('subscribe pages (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let smtp: TestSmtp;
  let app: Hono;
  let config: ReturnType<typeof loadConfig>;

  const form = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    app.request(path, {
      method: 'POST',
      body: new URLSearchParams(fields),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: BASE, ...headers },
    });
  const confirmLink = (text: string) => /(https:\/\/\S+\/subscribe\/confirm\?token=\S+)/.exec(text)![1]!;
  const path = (url: string) => url.slice(BASE.length);

  beforeEach(async () => {
    smtp = await startSmtp();
    t = await openTestDb(dialect);
    config = loadConfig({
      DATABASE_URL: t.test.url,
      DATA_DIR: t.test.dataDir,
      SECRET: 'test-secret',
      BASE_URL: BASE,
      SMTP_URL: smtp.url,
      DIGEST_RATE: '0',
      TIMEZONE: 'UTC',
    });
    const mailer = createMailer(config);
    app = createApp(buildServices({ db: t.db, config }, { mailer }));
    return async () => {
      mailer.close();
      await t.close();
      await smtp.close();
    };
  });

  test('double opt-in: nothing is active until the emailed link is opened and confirmed', async () => {
    const page = await app.request('/subscribe');
    expect(page.status).toBe(200);
    const html = await page.text();
    for (const name of ['email', 'frequency', 'max', 'categories', 'keywords']) expect(html).toContain(`name="${name}"`);

    const res = await form('/subscribe', { email: 'New.Reader@Example.com', frequency: 'weekly', max: '5', categories: 'cs.CL, cs', keywords: 'retrieval' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to.map((a) => a.toLowerCase())).toEqual(['new.reader@example.com']);
    expect(mail.parsed.subject).toBe('Confirm your dailypapers digest');
    expect(mail.parsed.text).toContain('weekly, up to 5 papers, categories cs.CL, cs, keywords retrieval');
    const sub = (await findByEmail(t.db.db, 'new.reader@example.com'))!;
    expect(sub).toMatchObject({ status: 'pending', frequency: 'weekly', maxPapers: 5, categories: ['cs.CL', 'cs'], keywords: ['retrieval'] });

    // Opening the link shows a button; the GET changes nothing (mail scanners open links too).
    const link = path(confirmLink(mail.parsed.text!));
    const show = await app.request(link);
    expect(show.status).toBe(200);
    expect(show.headers.get('cache-control')).toBe('no-store');
    expect(await show.text()).toContain('Confirm</button>');
    expect((await getSubscription(t.db.db, sub.id))!.status).toBe('pending');

    const token = new URL(link, BASE).searchParams.get('token')!;
    const ok = await form('/subscribe/confirm', { token });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('You are subscribed');
    expect((await getSubscription(t.db.db, sub.id))!.status).toBe('active');
    // The link works once.
    expect((await form('/subscribe/confirm', { token })).status).toBe(404);
    expect((await app.request(link)).status).toBe(404);
  });

  test('asking again for an address answers the same page whether or not it was subscribed', async () => {
    const active = await addSubscriber(t.db.db, 'known@example.com', { frequency: 'daily', maxPapers: 7 });
    // Confirmed an hour ago (a request right after the opt-in mail is throttled, tested below).
    await t.db.db
      .updateTable('subscriptions')
      .set({ confirm_sent_at: new Date(Date.now() - 3_600_000).toISOString() })
      .execute();
    const known = await form('/subscribe', { email: 'known@example.com', frequency: 'weekly' });
    const fresh = await form('/subscribe', { email: 'fresh@example.com', frequency: 'weekly' });
    expect(known.status).toBe(fresh.status);
    const strip = (s: string) => s.replaceAll('known@example.com', 'X').replaceAll('fresh@example.com', 'X');
    expect(strip(await known.text())).toBe(strip(await fresh.text()));
    // The mailbox owner learns the rest; the active subscription's choices are untouched.
    const byTo = Object.fromEntries(smtp.received.map((r) => [r.to[0], r.parsed]));
    expect(byTo['known@example.com']!.subject).toBe('You are already subscribed to dailypapers digests');
    expect(byTo['known@example.com']!.text).toContain(manageUrl(BASE, 'test-secret', active.id));
    expect(byTo['fresh@example.com']!.subject).toBe('Confirm your dailypapers digest');
    expect(await getSubscription(t.db.db, active.id)).toMatchObject({ status: 'active', frequency: 'daily', maxPapers: 7 });
    // A second request moments later mails nobody again (no mail-bombing through the form).
    await form('/subscribe', { email: 'fresh@example.com' });
    await form('/subscribe', { email: 'known@example.com' });
    expect(smtp.received).toHaveLength(2);
  });

  test('bad input is refused with the reason, next to the field', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ email: 'not-an-address' }, 'Enter an email address like you@example.com.'],
      [{ email: 'a@example.com', max: '0' }, 'At least 1 paper.'],
      [{ email: 'a@example.com', max: '500' }, 'At most 50 papers.'],
      [{ email: 'a@example.com', frequency: 'hourly' }, 'Choose daily or weekly.'],
      [{ email: 'a@example.com', categories: 'machine learning!' }, 'Categories look like cs.LG or math'],
    ];
    for (const [fields, message] of cases) {
      const res = await form('/subscribe', fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(message);
    }
    expect(smtp.received).toHaveLength(0);
  });

  test('a cross-site form post is refused', async () => {
    const res = await form('/subscribe', { email: 'a@example.com' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const res2 = await form('/subscribe', { email: 'a@example.com' }, { origin: '', 'sec-fetch-site': 'cross-site' });
    expect(res2.status).toBe(403);
    expect(smtp.received).toHaveLength(0);
  });

  test('one click: the List-Unsubscribe URI of a real digest, POSTed as RFC 8058 says, without a session', async () => {
    await seedPapers(t.db.db, [{ id: '2608.10001', day: DAY, upvotes: 3 }]);
    const sub = await addSubscriber(t.db.db, 'reader@example.com');
    const mailer = createMailer(config);
    await sendDigests({ db: t.db, config, mailer }, { frequency: 'daily', date: DAY });
    mailer.close();
    const raw = smtp.received[0]!.raw.replace(/\r?\n\s+/g, ' ');
    const uri = /^List-Unsubscribe: <([^>]+)>/m.exec(raw)![1]!;
    // A wrong signature, or another subscriber's id, is not accepted.
    expect(
      (
        await app.request(
          path(uri).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
          { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        )
      ).status,
    ).toBe(404);
    const res = await app.request(path(uri), {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Unsubscribed.\n');
    expect((await getSubscription(t.db.db, sub.id))!.status).toBe('unsubscribed');
    // Also as multipart/form-data, which RFC 8058 §3.1 allows.
    const fd = new FormData();
    fd.set('List-Unsubscribe', 'One-Click');
    expect((await app.request(path(uri), { method: 'POST', body: fd })).status).toBe(200);
  });

  test('the footer link: a page (GET changes nothing) to unsubscribe, switch frequency, or come back', async () => {
    const sub = await addSubscriber(t.db.db, 'reader@example.com');
    const link = path(manageUrl(BASE, 'test-secret', sub.id));
    const page = await app.request(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).toContain('Unsubscribe</button>');
    expect(html).toContain('Switch to weekly instead</button>');
    expect((await getSubscription(t.db.db, sub.id))!.status).toBe('active');

    expect(await (await form(link, { action: 'weekly' })).text()).toContain('You will now get the weekly digest.');
    expect((await getSubscription(t.db.db, sub.id))!).toMatchObject({ status: 'active', frequency: 'weekly' });
    expect(await (await form(link, { action: 'unsubscribe' })).text()).toContain('You are unsubscribed.');
    expect((await getSubscription(t.db.db, sub.id))!.status).toBe('unsubscribed');
    expect(await (await form(link, { action: 'resubscribe' })).text()).toContain('Welcome back');
    expect((await getSubscription(t.db.db, sub.id))!.status).toBe('active');
    expect((await form(link, { action: 'nonsense' })).status).toBe(400);
    expect((await app.request(`/unsubscribe/${sub.id}/forged`)).status).toBe(404);
  });

  test("/digest/preview renders the period's digest; bad input and empty periods are explained", async () => {
    await seedPapers(t.db.db, [{ id: '2608.10001', day: DAY, upvotes: 3, title: 'Preview Paper' }]);
    // The preview is for administrators (the session cookie has the __Host- prefix under https).
    const sessionOf = async (username: string, role: 'admin' | 'member') =>
      `__Host-dp_session=${(await createSession(t.db.db, (await createUser(t.db.db, { username, email: `${username}@example.org`, passwordHash: 'unused', role, emailConfirmed: true })).id)).token}`;
    const admin = await sessionOf('boss', 'admin');
    const reader = await sessionOf('reader', 'member');
    const preview = (url: string, cookie = admin) => app.request(url, { headers: { cookie } });
    const res = await preview(`/digest/preview?frequency=daily&date=${DAY}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Preview Paper');
    expect(html).toContain('role="presentation"');
    const text = await (await preview(`/digest/preview?frequency=weekly&date=${DAY}&part=text`)).text();
    expect(text).toMatch(/^Subject: Top paper of week 34 of 2026/);
    expect((await preview('/digest/preview?frequency=monthly')).status).toBe(400);
    expect((await preview('/digest/preview?frequency=daily&date=2026-02-30')).status).toBe(400);
    const empty = await preview('/digest/preview?frequency=daily&date=2026-08-19');
    expect(empty.status).toBe(404);
    expect(await empty.text()).toContain('no papers were featured in Wednesday, 19 August 2026');
    expect((await preview('/digest/preview?frequency=daily', reader)).status).toBe(403);
  });

  test('the feed pages carry the subscribe box, mounted in the real app', async () => {
    await seedPapers(t.db.db, [{ id: '2608.10001', day: DAY, upvotes: 3 }]);
    const real = createApp(buildServices({ db: t.db, config: loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 'test-secret' }) }));
    for (const url of [`/papers/date/${DAY}`, '/papers/week/2026-W34', '/papers/trending']) {
      const html = await (await real.request(url)).text();
      expect(html, url).toContain('<form class="subscribe-row" method="post" action="/subscribe">');
    }
    expect(await (await real.request('/about')).text()).not.toContain('subscribe-row');
    expect((await real.request('/subscribe')).status).toBe(200);
  });
});
