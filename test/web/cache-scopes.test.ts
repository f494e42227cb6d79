// Cache versions per scope (store/versions.ts, migration 0021): a vote or a comment changes the
// tags of the pages that show it (the paper's, its day's listings, trending) and of no other shared
// page; a member's private writes change none; content changes every one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COALESCE_MS } from '../../src/web/cache.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { type Client, member, memberApp } from '../members/client.js';

const DAY_A = '2025-01-03';
const DAY_B = '2025-01-04'; // the latest featured day: /papers
const PAGES = [
  '/papers',
  `/papers/date/${DAY_A}`,
  `/papers/date/${DAY_B}`,
  '/papers/week/2025-W01', // both days
  '/papers/2501.01234', // day A
  '/papers/2501.07777', // day B
  '/papers/trending',
  '/papers/feed.rss',
  `/papers/date/${DAY_A}/feed.rss`,
  `/papers/date/${DAY_B}/feed.atom`,
  '/api/papers/2501.01234',
  '/api/papers/2501.07777',
  `/api/daily_papers?date=${DAY_A}`,
  `/api/daily_papers?date=${DAY_B}`,
  '/about',
  '/papers/2501.01234.md', // day A, for agents
  `/papers/date/${DAY_B}.md`,
] as const;

describe.each(DIALECTS)('cache versions per scope (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let alice: Client;
  // The page cache's clock: renders are as old as the test says (COALESCE_MS below).
  let now = 0;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url, clock: () => now });
    await t.load([
      hfItem(),
      hfItem({ paper: { id: '2501.05555', title: 'Second paper of day A' } }),
      hfItem({ paper: { id: '2501.07777', title: 'A paper of day B' }, _listed_date: DAY_B }),
    ]);
    alice = await member(t.app, smtp, 'alice');
    await alice.get('/papers');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** Each page's visitor ETag; every one is a 200 that a shared cache may hold. */
  const tags = async () => {
    const out: Record<string, string> = {};
    for (const url of PAGES) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(200);
      out[url] = res.headers.get('etag')!;
      expect(out[url], url).toMatch(/^W\/"/);
    }
    return out;
  };
  const changed = (before: Record<string, string>, after: Record<string, string>) => PAGES.filter((u) => before[u] !== after[u]).sort();

  it("a vote changes the paper's page and its day's listings (at once for members, within a second for visitors), and nothing else", async () => {
    const before = await tags();
    expect((await alice.post('/papers/2501.01234/upvote', {})).status).toBe(303);
    // The voter's next page shows the vote at once.
    expect((await alice.get(`/papers/date/${DAY_A}`)).html).toContain('43 upvotes');
    // Visitors get the renders of a moment ago for up to a second (COALESCE_MS): the copy with its
    // own tag, and a reload with it is a 304; a second later the vote shows.
    expect((await t.app.request('/papers/trending', { headers: { 'if-none-match': before['/papers/trending']! } })).status).toBe(304);
    now += COALESCE_MS;
    const after = await tags();
    expect(changed(before, after)).toEqual(
      [
        `/papers/date/${DAY_A}`,
        '/papers/week/2025-W01',
        '/papers/2501.01234',
        `/papers/date/${DAY_A}/feed.rss`,
        '/api/papers/2501.01234',
        `/api/daily_papers?date=${DAY_A}`,
        '/papers/2501.01234.md',
        '/papers/trending',
      ].sort(),
    );
    expect(await (await t.app.request('/papers/trending')).text()).toContain('43 upvotes');
    expect(await (await t.app.request(`/papers/date/${DAY_A}`)).text()).toContain('43 upvotes');
    expect(((await (await t.app.request('/api/papers/2501.01234')).json()) as { upvotes: number }).upvotes).toBe(43);
    // A reload of an untouched page is still a 304.
    expect((await t.app.request('/papers', { headers: { 'if-none-match': before['/papers']! } })).status).toBe(304);
    now += COALESCE_MS; // the other tests compare renders of their own time
  });

  it('a comment changes its paper and its day, not the other day', async () => {
    const before = await tags();
    expect((await alice.post('/papers/2501.07777/comments', { body: 'A question about Lemma 2.' })).status).toBe(303);
    now += COALESCE_MS;
    const after = await tags();
    const moved = changed(before, after);
    expect(moved).toContain('/papers/2501.07777');
    expect(moved).toContain('/papers'); // day B is the latest: its count of comments changed
    expect(moved).toContain(`/papers/date/${DAY_B}`);
    for (const untouched of [`/papers/date/${DAY_A}`, '/papers/2501.01234', '/api/papers/2501.01234', '/papers/feed.rss', '/about'])
      expect(moved, untouched).not.toContain(untouched);
    expect(await (await t.app.request('/papers/2501.07777')).text()).toContain('A question about Lemma 2.');
    now += COALESCE_MS;
  });

  it("a member's private writes (save, hide, read) change no shared page", async () => {
    const before = await tags();
    expect((await alice.post('/papers/2501.05555/save', { next: '/papers' })).status).toBe(303);
    expect((await alice.post('/papers/2501.05555/hide', { next: '/papers' })).status).toBe(303);
    expect((await alice.post('/papers/2501.05555/read', { next: '/papers' })).status).toBe(303);
    expect(changed(before, await tags())).toEqual([]);
  });

  it('new content changes every listing', async () => {
    const before = await tags();
    await t.load([hfItem({ paper: { id: '2501.09999', title: 'A late arrival' }, _listed_date: DAY_B })]);
    const moved = changed(before, await tags());
    for (const url of ['/papers', '/papers/feed.rss', `/papers/date/${DAY_A}`, '/papers/2501.01234', '/api/papers/2501.01234', '/about'])
      expect(moved, url).toContain(url);
    expect(await (await t.app.request('/papers/feed.rss')).text()).toContain('A late arrival');
  });
});
