// The daily loop on every dialect, from harvest to reader: the project's arXiv stand-in serves two
// announcement days of papers; `ingest arxiv` harvests them; /papers/new lists each day's new
// papers in the instance's categories (cross-lists and replacements in their groups); /papers shows
// the day's top new papers while nothing is featured; an upvote features a paper by the policy;
// following an author brings their paper into /following and the private feed, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSecret } from '../../src/config.js';
import { manageUrl } from '../../src/digests/links.js';
import { sendDigests } from '../../src/digests/send.js';
import { createMailer } from '../../src/mail/transport.js';
import { announcementOf } from '../../src/papers/announce.js';
import { addSubscriber } from '../digests/helpers.js';
import { dayInZone } from '../../src/papers/dates.js';
import { arxivRawRecord } from '../fixtures/arxiv-xml.js';
import { type ArxivServer, servedRecord, startArxivServer } from '../harness/arxiv-server.js';
import { runCli } from '../harness/cli.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, member, memberApp, nextIp } from '../members/client.js';

const HOUR = 3_600_000;
const rfc = (ms: number) => new Date(ms).toUTCString();
const listedDay = (ms: number) => dayInZone(new Date(announcementOf(new Date(ms).toISOString())!), 'UTC');

/**
 * Two submission instants whose batches arXiv announced on two different days, both already
 * announced: found by walking back hour by hour from four days ago (an announcement comes at most
 * 3 days and 6 hours after a submission, so anything older is announced; the weekend's batch
 * spans 72 hours, so the walk goes back up to a week).
 */
function twoDays(now: number): { early: number; late: number } {
  const late = now - 4 * 24 * HOUR;
  for (let back = 24; back < 7 * 24; back++) {
    const early = late - back * HOUR;
    if (listedDay(early) !== listedDay(late)) return { early, late };
  }
  throw new Error('no two announcement days found');
}

const nowMs = Date.now();
const { early, late } = twoDays(nowMs);
const dayA = listedDay(early);
const dayB = listedDay(late);

const record = (id: string, categories: string, versions: number[], extra: { authors?: string; title?: string } = {}) =>
  servedRecord(
    arxivRawRecord({
      id,
      categories,
      versions: versions.map(rfc),
      datestamp: new Date(versions.at(-1)! + 30 * HOUR).toISOString().slice(0, 10),
      title: extra.title ?? `Paper ${id} in ${categories}`,
      authors: extra.authors ?? 'Ada Example and Bo Sample',
    }),
  );

describe.each(DIALECTS)('the daily loop (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let arxiv: ArxivServer;
  let ann: Client;
  const visitor = () => new Client(t.app, nextIp());

  beforeAll(async () => {
    smtp = await startSmtp();
    arxiv = await startArxivServer({
      records: [
        record('2601.00001', 'cs.LG', [early]),
        record('2601.00002', 'cs.CV cs.LG', [early]), // a cross-list into cs.LG
        record('2601.00003', 'cs.CV', [early]), // outside the instance's categories
        record('2512.09999', 'cs.CL', [early - 40 * 24 * HOUR, early]), // a replacement (v2)
        record('2601.00004', 'cs.CL', [late], { authors: 'Jane Doe and Bo Sample', title: 'Distilling diffusion samplers' }),
        record('2601.00005', 'cs.LG cs.CV', [late]),
      ],
      pageSize: 4,
    });
    const env = { ARXIV_OAI_URL: arxiv.oaiUrl, ARXIV_CATEGORIES: 'cs.LG,cs.CL' };
    t = await memberApp(dialect, { smtpUrl: smtp.url, env });
    const from = new Date(early - 60 * 24 * HOUR).toISOString().slice(0, 10);
    const r = await runCli(['ingest', 'arxiv', '--from', from], { DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, ARXIV_INTERVAL_MS: '0', ...env });
    expect(r.code, r.stderr).toBe(0);
    ann = await member(t.app, smtp, 'ann');
  }, 60_000);
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await arxiv.close();
  });

  it('shows the harvest on /papers while nothing is featured, never "No papers yet"', async () => {
    const page = await visitor().get('/papers');
    expect(page.res.status).toBe(200);
    expect(page.html).not.toContain('No papers yet');
    expect(page.html).toContain('href="/papers/new"');
    expect(page.html).toContain('Distilling diffusion samplers');
  });

  it("lists exactly each day's new papers, with cross-lists and replacements in their groups", async () => {
    const latest = await visitor().get('/papers/new');
    expect(latest.res.status).toBe(200);
    expect(ids(latest.html)).toEqual(['2601.00004', '2601.00005']);

    const a = await visitor().get(`/papers/new/${dayA}`);
    expect(ids(a.html)).toEqual(['2601.00001', '2601.00002']);
    expect(a.html).toContain('New submissions (1)');
    expect(a.html).toContain('Cross-lists (1)');
    expect(a.html).toContain('Replacements (1)');
    expect(a.html).toContain(`href="/papers/new/${dayB}"`); // the next day
    const all = await visitor().get(`/papers/new/${dayA}?show=new,cross,replaced`);
    expect(ids(all.html)).toEqual(['2601.00001', '2601.00002', '2512.09999']);
    expect(ids((await visitor().get(`/papers/new/${dayA}?show=replaced`)).html)).toEqual(['2512.09999']);

    // Include and exclude: cs.CL only; everything but papers also in cs.CV.
    expect(ids((await visitor().get(`/papers/new/${dayB}?cat=cs.CL`)).html)).toEqual(['2601.00004']);
    expect(ids((await visitor().get(`/papers/new/${dayB}?cat=-cs.CV`)).html)).toEqual(['2601.00004']);
    const bad = await visitor().get(`/papers/new/${dayB}?cat=not%20a%20category!`);
    expect(bad.res.status).toBe(400);
    expect(bad.html).toContain('is not an arXiv category');
  });

  it('answers the API and the feeds with the same days', async () => {
    const api = await visitor().json('GET', `/api/papers/new?date=${dayA}`);
    expect(api.res.status).toBe(200);
    expect(api.body.map((i: { paper: { id: string } }) => i.paper.id)).toEqual(['2601.00001', '2601.00002']);
    expect(api.body[0]).toMatchObject({ title: 'Paper 2601.00001 in cs.LG', paper: { id: '2601.00001', upvotes: 0 }, numComments: 0 });
    const cl = await visitor().json('GET', `/api/papers/new?date=${dayB}&categories=cs.CL`);
    expect(cl.body.map((i: { paper: { id: string } }) => i.paper.id)).toEqual(['2601.00004']);
    expect((await visitor().json('GET', '/api/papers/new?date=2025-02-30')).res.status).toBe(400);

    const atom = await (await visitor().request(`/papers/new/${dayA}/feed.atom`)).text();
    expect(atom).toContain('<feed');
    expect(atom).toContain('2601.00001');
    expect(atom).not.toContain('2601.00004');
    const md = await (await visitor().request(`/papers/new/${dayA}.md`)).text();
    expect(md).toMatch(/^# New on arXiv, /);
    expect(md.indexOf('2601.00001')).toBeLessThan(md.indexOf('2601.00002'));
    expect(md).toContain('cross-listed from cs.CV');
    expect(md).not.toContain('2601.00004');
    const rss = await (await visitor().request('/papers/new/feed.rss?cat=cs.CL')).text();
    expect(rss).toContain('Distilling diffusion samplers');
    expect(rss).not.toContain('2601.00005');
  });

  it('features a new paper when a member upvotes it (FEATURE_MIN_UPVOTES=1), on the Daily feed of that day', async () => {
    await ann.get(`/papers/new/${dayA}`);
    const voted = await ann.json('POST', '/papers/2601.00001/upvote', undefined, { 'x-csrf-token': ann.csrf });
    expect(voted.body).toEqual({ upvoted: true, upvotes: 1, featured: true });
    const today = dayInZone(new Date(), 'UTC');
    const daily = await visitor().get(`/papers/date/${today}`);
    expect(ids(daily.html)).toEqual(['2601.00001']);
    const papers = await visitor().get('/papers');
    expect(papers.html).toContain('2601.00001');
    // Taking the vote back keeps it featured (a moderator may remove it), with the count exact.
    const off = await ann.json('POST', '/papers/2601.00001/upvote', undefined, { 'x-csrf-token': ann.csrf });
    expect(off.body).toEqual({ upvoted: false, upvotes: 0, featured: false });
  });

  it("brings a followed author's new paper into /following and the private feed, once", async () => {
    await ann.get('/following');
    expect((await ann.post('/following', { kind: 'author', value: 'Jane Doe', next: '/following' })).status).toBe(303);
    expect((await ann.post('/following', { kind: 'search', value: 'diffusion samplers', next: '/following' })).status).toBe(303);
    const page = await ann.get('/following');
    expect(ids(page.html)).toEqual(['2601.00004']);
    expect(page.html).toContain('author: Jane Doe · search: diffusion samplers');
    const made = await ann.post('/following/feed-token');
    const url = /<code id="feed-url">[^<]*?(\/following\/feed\.atom\?token=[^<]+)<\/code>/.exec(await made.text())?.[1];
    expect(url).toBeTruthy();
    const feed = await (await visitor().request(url!)).text();
    expect(feed.match(/2601\.00004/g)?.length).toBeGreaterThan(0);
    expect(feed.match(/<entry>/g)).toHaveLength(1);
    expect((await visitor().request('/following/feed.atom?token=dpf_wrong')).status).toBe(404);
    await ann.post('/following/feed-token/revoke');
    expect((await visitor().request(url!)).status).toBe(404);
  });

  it('sends the followed papers in the digest\'s "New for you", once, to members and to subscribers without an account', async () => {
    await ann.get('/settings');
    expect((await ann.post('/settings/digest', { action: 'save', frequency: 'daily', max: '5', categories: '', keywords: '' })).status).toBe(303);
    // A subscriber without an account follows a category through the signed link of the digest.
    const sub = await addSubscriber(t.db.db, 'reader@example.org');
    const manage = manageUrl(t.config.baseUrl, resolveSecret(t.config), sub.id).replace(t.config.baseUrl, '');
    const followed = await visitor().request(manage, {
      method: 'POST',
      body: new URLSearchParams({ action: 'follow', kind: 'category', value: 'cs.CL' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(await followed.text()).toContain('Following category: cs.CL');

    const mailer = createMailer(t.config);
    const first = await sendDigests({ db: t.db, config: t.config, mailer, search: t.deps.search }, { frequency: 'daily', date: dayB });
    const again = await sendDigests({ db: t.db, config: t.config, mailer, search: t.deps.search }, { frequency: 'daily', date: dayB });
    mailer.close();
    expect(first.sent).toBe(2);
    expect(again.sent).toBe(0);
    const to = (address: string) => smtp.received.filter((r) => r.to[0] === address && /^(New for you|Top)/.test(r.parsed.subject ?? ''));
    const annMail = to('ann@example.org');
    expect(annMail).toHaveLength(1);
    const text = annMail[0]!.parsed.text!;
    expect(text).toContain('New for you');
    expect(text).toContain('Distilling diffusion samplers');
    expect(text).toContain('you follow author: Jane Doe, search: diffusion samplers');
    expect(text.match(/Distilling diffusion samplers/g)).toHaveLength(1);
    const readerMail = to('reader@example.org');
    expect(readerMail).toHaveLength(1);
    expect(readerMail[0]!.parsed.text!).toContain('you follow category: cs.CL');
    expect(readerMail[0]!.parsed.subject).toMatch(/^New for you: 1 paper of /);
  });

  it('hides a paper for the member who is not interested, and lets them undo it', async () => {
    await ann.get(`/papers/new/${dayB}`);
    expect((await ann.post('/papers/2601.00005/hide', { next: `/papers/new/${dayB}` })).status).toBe(303);
    const mine = await ann.get(`/papers/new/${dayB}`);
    expect(mine.html).toMatch(/<article class="card" id="p-2601\.00005" hidden/);
    // Everyone else still shares the page.
    expect((await visitor().get(`/papers/new/${dayB}`)).html).not.toMatch(/id="p-2601\.00005" hidden/);
    expect((await ann.get('/settings/hidden')).html).toContain('2601.00005');
    await ann.post('/papers/2601.00005/unhide', { next: '/settings/hidden' });
    expect((await ann.get(`/papers/new/${dayB}`)).html).not.toMatch(/id="p-2601\.00005" hidden/);
  });
});

/** The paper ids of a page's cards, in order. */
function ids(html: string): string[] {
  return [...html.matchAll(/<article class="card[^"]*" id="p-([^"]+)"/g)].map((m) => m[1]!.replace(/^([a-z-]+)-(\d{7})$/, '$1/$2'));
}
