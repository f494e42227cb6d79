// Request tests for every page through app.request(), on every dialect: feeds (day, week, month,
// trending), navigation, sorting, paging, bad dates, empty days, paper pages, /about, static
// assets, and the ETag/304 revalidation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { COALESCE_MS } from '../../src/web/cache.js';
import { testApp } from '../harness/app.js';
import { DIALECTS } from '../harness/db.js';

const item = (id: string, day: string, upvotes: number, extra: Record<string, unknown> = {}, at = `${day}T14:00:00.000Z`) =>
  hfItem({ paper: { id, title: `Paper ${id}`, upvotes, submittedOnDailyAt: at, ai_summary: null, ...extra }, _listed_date: day });

// Monday 2024-12-30 .. Sunday 2025-01-05 is ISO week 2025-W01; 2025-01-06 starts W02.
const RECORDS = [
  item('2412.00001', '2024-12-30', 5, {
    title: 'Year-end $\\alpha$-Paper',
    summary: 'First sentence here about things. Second sentence follows it. Third one should not show on the card at all because two is the limit.',
  }),
  item('2501.00002', '2025-01-02', 50, { title: 'Thursday <Top> & Co' }),
  item('2501.00003', '2025-01-02', 7, { ai_summary: 'An AI summary with $x^2$ math.' }, '2025-01-02T20:00:00.000Z'),
  item('2501.00004', '2025-01-06', 9),
  item('2501.00005', '2025-01-09', 3, { title: 'Latest Day Paper' }),
  item('2502.00006', '2025-02-03', 1, {}, '2025-02-03T10:00:00.000Z'),
];

describe.each(DIALECTS)('pages on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  // The page cache's clock: a visitor's page of counts is re-rendered at most once per COALESCE_MS.
  let now = 0;
  const get = (path: string, headers: Record<string, string> = {}) => t.app.request(path, { headers });
  const html = async (path: string, status = 200) => {
    const res = await get(path);
    expect(res.status, path).toBe(status);
    return res.text();
  };

  beforeAll(async () => {
    t = await testApp(dialect, { clock: () => now });
    await t.load(RECORDS);
    await t.load([kaggleRecord({ id: '2502.01111', title: 'Indexed but not featured' })]);
  });
  afterAll(async () => t.close());

  it('/papers shows the latest featured day', async () => {
    const page = await html('/papers');
    expect(page).toContain('<title>Daily papers, Monday, 3 February 2025 - dailypapers</title>');
    expect(page).toContain('Paper 2502.00006');
    expect(page).toContain('href="/papers/date/2025-01-09"'); // previous day with papers
    expect(page).toContain('none later');
    expect(page).toContain('action="/search"'); // the header's search box
  });

  it('a day lists its papers most upvoted first, with cards that carry every fact', async () => {
    const page = await html('/papers/date/2025-01-02');
    expect(page.indexOf('Thursday &lt;Top&gt; &amp; Co')).toBeGreaterThan(0);
    expect(page.indexOf('Thursday &lt;Top&gt;')).toBeLessThan(page.indexOf('Paper 2501.00003'));
    expect(page).not.toContain('Paper 2501.00004');
    // AI summary when present, with math rendered; KaTeX's stylesheet is then linked.
    expect(page).toMatch(/An AI summary with <span class="katex">.*<\/span> math\./s);
    expect(page).toMatch(/<link rel="stylesheet" href="\/static\/katex-[\d.]+\/katex-swap\.min\.css"/);
    for (const fact of [
      '50</span>',
      'Example Lab',
      'submitted by ada',
      '3 comments',
      'href="https://github.com/example/contraction"',
      'Ada Example, Bo Sample',
    ]) {
      expect(page).toContain(fact);
    }
    // Navigation skips the empty days in between.
    expect(page).toContain('<a class="btn" rel="prev" href="/papers/date/2024-12-30">← 30 Dec 2024</a>');
    expect(page).toContain('<a class="btn" rel="next" href="/papers/date/2025-01-06">6 Jan 2025 →</a>');
    // A visitor gets the upvote form with a button that says logging in comes first.
    expect(page).toContain('<form class="upvote" method="post" action="/papers/2501.00002/upvote">');
    expect(page).toContain('aria-label="Log in to upvote"');
  });

  it('cards without an AI summary show the first two sentences of the abstract', async () => {
    const page = await html('/papers/date/2024-12-30');
    expect(page).toContain('First sentence here about things. Second sentence follows it.');
    expect(page).not.toContain('Third one');
    expect(page).toMatch(/Year-end <span class="katex">/);
  });

  it('sorts by newest and trending, and refuses unknown sorts', async () => {
    const newest = await html('/papers/date/2025-01-02?sort=newest');
    expect(newest.indexOf('Paper 2501.00003')).toBeLessThan(newest.indexOf('Thursday &lt;Top&gt;'));
    expect(newest).toContain('<strong aria-current="true">newest</strong>');
    const trending = await html('/papers/date/2025-01-02?sort=trending');
    // Measured at the day's last feature (20:00): 7 / (0 + 2)^1.8 = 2.01 beats 50 / (6 + 2)^1.8 = 1.18.
    expect(trending.indexOf('Paper 2501.00003')).toBeLessThan(trending.indexOf('Thursday &lt;Top&gt;'));
    const bad = await html('/papers/date/2025-01-02?sort=best', 400);
    expect(bad).toContain('upvotes, trending, newest');
  });

  it('an empty day says so and links to the nearest days with papers', async () => {
    const page = await html('/papers/date/2025-01-04');
    expect(page).toContain('No papers were featured on Saturday, 4 January 2025.');
    expect(page).toContain('href="/papers/date/2025-01-02"');
    expect(page).toContain('href="/papers/date/2025-01-06"');
  });

  it('bad dates are 400 pages that say what is wrong and link to the latest day', async () => {
    const cases: Array<[string, string]> = [
      ['/papers/date/2025-02-30', '2025-02-30 is not a day of the calendar'],
      ['/papers/date/yesterday', '&#39;yesterday&#39; is not a date in the form YYYY-MM-DD'],
      ['/papers/week/2025-W53', '2025 has weeks W01 to W52, not W53'],
      ['/papers/week/2025-01', 'is not an ISO week in the form YYYY-Www'],
      ['/papers/month/2025-13', '2025-13 has no month 13'],
    ];
    for (const [path, message] of cases) {
      const page = await html(path, 400);
      expect(page, path).toContain(message);
      expect(page, path).toContain('href="/papers/date/2025-02-03"');
    }
  });

  it('a week spans Monday to Sunday across the year boundary', async () => {
    const page = await html('/papers/week/2025-W01');
    expect(page).toContain('Week 1 of 2025 (30 December 2024–5 January 2025)');
    for (const title of ['Year-end', 'Thursday &lt;Top&gt;', 'Paper 2501.00003']) expect(page).toContain(title);
    expect(page).not.toContain('Paper 2501.00004');
    expect(page).toContain('3 papers');
    expect(page).toContain('href="/papers/week/2025-W02"');
    const redirect = await get('/papers/week');
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/papers/week/2025-W06');
  });

  it('a month lists its papers; /papers/month goes to the latest', async () => {
    const page = await html('/papers/month/2025-01');
    expect(page).toContain('Papers of the month');
    expect(page).toContain('4 papers');
    expect(page).not.toContain('Year-end');
    expect(page).toContain('href="/papers/month/2024-12"');
    expect(page).toContain('href="/papers/month/2025-02"');
    expect((await get('/papers/month')).headers.get('location')).toBe('/papers/month/2025-02');
  });

  it('pages long lists and explains a page past the end', async () => {
    const page = await html('/papers/month/2025-01?p=2');
    expect(page).toContain('There is no page 2: this list has 1.');
    await html('/papers/month/2025-01?p=0', 400);
  });

  it('the date picker redirects to the day, week or month it names', async () => {
    const cases: Array<[string, string]> = [
      ['/papers/date?date=2025-01-02', '/papers/date/2025-01-02'],
      ['/papers/date?date=2025-01-02&view=week', '/papers/week/2025-W01'],
      ['/papers/date?date=2025-01-02&view=month', '/papers/month/2025-01'],
    ];
    for (const [from, to] of cases) {
      const res = await get(from);
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(to);
    }
    expect((await get('/papers/date?date=2025-02-31')).status).toBe(400);
  });

  it('trending ranks by decayed upvotes on the stale fixture feed', async () => {
    const page = await html('/papers/trending');
    // The fixture feed is older than the window, so ages count from its newest paper (2025-02-03):
    // only it is within 14 days.
    expect(page).toContain('as of Monday, 3 February 2025');
    expect(page).toContain('1 paper');
    expect(page).toContain('Paper 2502.00006');
    expect(page).not.toContain('Latest Day Paper');
    expect(page).toContain('href="/about#trending"');
  });

  it('a paper page has everything: authors, links, dates, BibTeX, keywords, slots, meta tags', async () => {
    const page = await html('/papers/2501.00003');
    expect(page).toContain('<a href="/authors/Ada%20Example">Ada Example</a>');
    expect(page).toContain('<a href="/authors/Bo%20Sample">Bo Sample</a>');
    expect(page).toContain('href="https://arxiv.org/abs/2501.00003"');
    expect(page).toContain('href="https://arxiv.org/pdf/2501.00003"');
    expect(page).toContain('href="https://example.org/contraction"');
    expect(page).toContain('@misc{example2025paper,');
    expect(page).toContain('<li class="tag">Nash equilibrium</li>');
    expect(page).toContain('id="comments"');
    expect(page).toContain('id="similar"');
    expect(page).toMatch(/<h2 id="similar-h">Similar papers<\/h2><(p|ul) class="(slot|similar)">/); // kept as HTML, not text
    expect(page).toContain('<meta property="og:title" content="Paper 2501.00003"/>');
    expect(page).toContain('<meta property="og:type" content="article"/>');
    expect(page).toContain('<meta name="description" content="An AI summary with $x^2$ math."/>');
    expect(page).toContain('<link rel="canonical" href="http://localhost:3000/papers/2501.00003"/>');
    expect(page).toContain('Featured on <a href="/papers/date/2025-01-02">Thursday, 2 January 2025</a>');
  });

  it('indexed papers have pages; unknown ones are 404s that point to arXiv', async () => {
    const page = await html('/papers/2502.01111');
    expect(page).toContain('Indexed from arXiv; not featured');
    expect(page).toContain('v1</a> <a href="https://arxiv.org/abs/2502.01111v2">v2</a>');
    expect(page).toContain('10.1234/example.5678');
    const missing = await html('/papers/2509.99999', 404);
    expect(missing).toContain('No paper 2509.99999 in this instance.');
    expect(missing).toContain('href="https://arxiv.org/abs/2509.99999"');
    expect(missing).toContain('bin/dailypapers ingest ids 2509.99999');
    expect(missing).toContain('<a href="/submit">submit it</a>');
    expect(await html('/papers/not-an-id', 404)).toContain('&#39;not-an-id&#39; is not an arXiv identifier');
  });

  it('/about documents the featuring policy and the trending formula with their knobs', async () => {
    const page = await html('/about');
    expect(page).toContain('score = upvotes / (age_hours + 2) ^ 1.8');
    expect(page).toContain('<strong>UTC</strong>');
    expect(page).toMatch(/its upvotes reach <strong>1<\/strong> \(FEATURE_MIN_UPVOTES\)/);
  });

  it('gives every visitor the same bytes, and a reload a 304 that follows the data', async () => {
    for (const path of ['/papers', '/papers/week/2025-W01', '/papers/trending', '/papers/2501.00003', '/about']) {
      const first = await get(path);
      expect(first.headers.getSetCookie(), path).toEqual([]); // no cookie, no token
      const tag = first.headers.get('etag');
      expect(tag, path).toMatch(/^W\/"[\w.-]+"$/);
      expect(first.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=10');
      expect(first.headers.get('vary')).toBe('Accept-Encoding, Cookie');
      const second = await get(path);
      expect(await second.text(), path).toBe(await first.text());
      const again = await get(path, { 'if-none-match': tag! });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe('');
    }
    // The tag follows the data: one more upvote (any write, here straight to the table, as another
    // instance's would be), and the old tag no longer matches. On PostgreSQL this instance hears of
    // it by a NOTIFY at the writer's commit (store/versions.ts), which settle() waits for.
    const before = (await get('/papers')).headers.get('etag')!;
    await t.db.db
      .updateTable('featured')
      .set((eb) => ({ upvotes: eb('upvotes', '+', 1) }))
      .where('paper_id', '=', '2502.00006')
      .execute();
    try {
      await t.settle();
      // Within a second of the last render a visitor still gets it (COALESCE_MS); then the vote.
      expect((await get('/papers', { 'if-none-match': before })).status).toBe(304);
      now += COALESCE_MS;
      const after = await get('/papers', { 'if-none-match': before });
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('<span class="n">2</span>');
    } finally {
      await t.db.db
        .updateTable('featured')
        .set((eb) => ({ upvotes: eb('upvotes', '-', 1) }))
        .where('paper_id', '=', '2502.00006')
        .execute();
    }
  });

  it('compresses with Brotli or gzip as the client asks', async () => {
    const plain = await (await get('/papers')).text();
    const { brotliDecompressSync, gunzipSync } = await import('node:zlib');
    const br = await get('/papers', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(plain);
    const gz = await get('/papers', { 'accept-encoding': 'gzip;q=1, br;q=0.5' });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(plain);
    expect((await get('/papers', { 'accept-encoding': 'identity' })).headers.get('content-encoding')).toBeNull();
  });

  it('serves fingerprinted static assets with a long cache, and nothing else', async () => {
    const page = await html('/papers/date/2025-01-02');
    const urls = [...page.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(3); // style, KaTeX style, script
    for (const url of urls) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const katexCss = await (await get(urls.find((u) => u.includes('katex'))!)).text();
    const font = /url\((fonts\/KaTeX_Main-Regular\.woff2)\)/.exec(katexCss)![1]!;
    const fontRes = await get(urls.find((u) => u.includes('katex'))!.replace(/[^/]+$/, font));
    expect(fontRes.status).toBe(200);
    expect(fontRes.headers.get('content-type')).toBe('font/woff2');
    expect((await get('/static/style.000000000000.css')).status).toBe(404);
    expect((await get(urls.find((u) => u.includes('katex'))!.replace(/[^/]+$/, '..%2F..%2Fpackage.json'))).status).toBe(404);
  });
});
