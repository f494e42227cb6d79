// RSS 2.0 and Atom feeds for every listing, on every dialect: parsed back with a real feed parser
// (rss-parser), checked for well-formed XML (fast-xml-parser's validator), the elements each
// specification requires, RFC 822 / RFC 3339 dates, escaping, stable ids, self links and caching.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { arxivOnlyRecords, FEATURED, featuredRecords } from '../api/fixtures.js';

const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

const LISTINGS = [
  '/papers',
  '/papers/date/2025-01-07',
  '/papers/week/2025-W02',
  '/papers/month/2025-01',
  '/papers/trending',
  '/search?q=gradients',
  '/orgs/example-lab',
  '/authors/Ada%20Example',
];
const feedPath = (listing: string, f: 'rss' | 'atom') => {
  const [path, query] = listing.split('?');
  return `${path}/feed.${f}${query ? `?${query}` : ''}`;
};

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', textNodeName: '#text' });

describe.each(DIALECTS)('feeds on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const parser = new Parser<Record<string, unknown>, { id?: string; creators?: string[] }>({
    customFields: { item: [['dc:creator', 'creators', { keepArray: true }]] },
  });
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load(featuredRecords());
    await t.load(arxivOnlyRecords());
    // Markup-like text and a control character (not allowed in XML 1.0 even escaped).
    await t.load([
      hfItem({
        paper: {
          id: '2501.20000',
          title: 'Ampersands & <tags> in "titles"',
          summary: 'Bits \u0001 and </summary> and ]]> too.',
          upvotes: 1,
          organization: undefined,
        },
        title: 'Ampersands & <tags> in "titles"',
        organization: undefined,
        _listed_date: '2025-01-07',
      }),
    ]);
  });
  afterAll(async () => t.close());

  const fetchFeed = async (url: string) => {
    const res = await t.app.request(url);
    return { res, body: await res.text() };
  };

  it.each(LISTINGS)('serves %s as RSS 2.0 and Atom that a feed parser reads', async (listing) => {
    for (const f of ['rss', 'atom'] as const) {
      const url = feedPath(listing, f);
      const { res, body } = await fetchFeed(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe(f === 'rss' ? 'application/rss+xml; charset=utf-8' : 'application/atom+xml; charset=utf-8');
      expect(XMLValidator.validate(body), url).toBe(true);
      const feed = await parser.parseString(body);
      expect(feed.items.length, url).toBeGreaterThan(0);
      expect(feed.title).toMatch(/ - dailypapers$/);
      for (const item of feed.items) {
        expect(item.title).toBeTruthy();
        expect(item.link).toMatch(new RegExp(`^${t.config.baseUrl}/papers/\\d{4}\\.\\d{5}$`));
        expect(f === 'rss' ? item.guid : item.id).toMatch(/^https:\/\/arxiv\.org\/abs\//);
        expect(Number.isNaN(Date.parse(item.isoDate!))).toBe(false);
      }
      // The self link is this feed's absolute URL (RSS via atom:link).
      const doc = xml.parse(body);
      const links = asArray<Record<string, string>>(f === 'rss' ? doc.rss.channel['atom:link'] : doc.feed.link);
      const self = links.find((l) => l['@rel'] === 'self');
      expect(self, url).toBeDefined();
      expect(self!['@href']!.replace(/&amp;/g, '&')).toBe(t.config.baseUrl + url);
    }
  });

  it('writes every element RSS 2.0 requires, with RFC 822 dates', async () => {
    const { body } = await fetchFeed('/papers/date/2025-01-07/feed.rss');
    const channel = xml.parse(body).rss.channel;
    for (const k of ['title', 'link', 'description']) expect(channel[k], k).toBeTruthy();
    expect(channel.lastBuildDate).toMatch(RFC822);
    const items = asArray<Record<string, any>>(channel.item);
    expect(items.length).toBe(FEATURED.filter((f) => f.day === '2025-01-07').length + 1);
    for (const item of items) {
      expect(item.title ?? item.description).toBeTruthy();
      expect(item.pubDate).toMatch(RFC822);
      expect(item.guid['@isPermaLink']).toBe('false');
      expect(asArray(item['dc:creator']).length).toBeGreaterThan(0);
    }
    // The day's papers, most upvoted first, as on its page.
    const upvotes = items
      .filter((i) => i.guid['#text'] !== 'https://arxiv.org/abs/2501.20000')
      .map((i) => FEATURED.find((f) => i.guid['#text'].endsWith(f.id))!.upvotes);
    expect(upvotes).toEqual([...upvotes].sort((a, b) => b - a));
  });

  it('writes every element Atom requires, with RFC 3339 dates, authors and categories', async () => {
    const { body } = await fetchFeed('/papers/feed.atom');
    const feed = xml.parse(body).feed;
    expect(feed['@xmlns']).toBe('http://www.w3.org/2005/Atom');
    for (const k of ['id', 'title', 'updated', 'author']) expect(feed[k], k).toBeTruthy();
    expect(feed.updated).toMatch(RFC3339);
    const entries = asArray<Record<string, any>>(feed.entry);
    // Newest feature first; the feed's updated is its newest entry's.
    const published = entries.map((e) => e.published as string);
    expect(published).toEqual([...published].sort().reverse());
    expect(feed.updated).toBe(
      entries
        .map((e) => e.updated as string)
        .sort()
        .at(-1),
    );
    for (const e of entries) {
      for (const k of ['id', 'title', 'updated', 'published', 'summary', 'link']) expect(e[k], k).toBeDefined();
      expect(e.updated).toMatch(RFC3339);
      expect(asArray<Record<string, any>>(e.author).map((a) => a.name)).toContain('Ada Example');
    }
    const withKeywords = entries.find((e) => e.id === `https://arxiv.org/abs/${FEATURED[0]!.id}`)!;
    expect(asArray<Record<string, string>>(withKeywords.category).map((c) => c['@term'])).toContain('games');
  });

  it('escapes markup and drops characters XML cannot carry', async () => {
    for (const f of ['rss', 'atom'] as const) {
      const { body } = await fetchFeed(`/papers/date/2025-01-07/feed.${f}`);
      expect(body).not.toContain('\u0001');
      expect(body).toContain('Ampersands &amp; &lt;tags&gt; in &quot;titles&quot;');
      const feed = await parser.parseString(body);
      const item = feed.items.find((i) => (f === 'rss' ? i.guid : i.id) === 'https://arxiv.org/abs/2501.20000')!;
      expect(item.title).toBe('Ampersands & <tags> in "titles"');
      expect(f === 'rss' ? item.content : item.summary).toContain('</summary> and ]]> too.');
    }
    const authors = await parser.parseString((await fetchFeed('/authors/Zo%C3%AB%20%C3%9Cnicode/feed.rss')).body);
    expect(authors.title).toBe('Papers by Zoë Ünicode - dailypapers');
    expect(authors.items.length).toBe(FEATURED.filter((_, i) => i % 2 === 0).length);
  });

  it('gives a paper the same id in every feed', async () => {
    const ids = async (url: string) => (await parser.parseString((await fetchFeed(url)).body)).items.map((i) => i.guid ?? i.id);
    const org = await ids('/orgs/example-lab/feed.rss');
    const day = await ids('/papers/month/2025-01/feed.atom');
    expect(org.filter((id) => day.includes(id)).length).toBeGreaterThan(0);
    // An organization's feed: its papers, newest feature first.
    const at = (i: number) => `${FEATURED[i]!.day}T0${i % 10}`;
    const mine = FEATURED.map((f, i) => ({ ...f, at: at(i) }))
      .filter((f) => f.org === 'example-lab')
      .sort((a, b) => b.at.localeCompare(a.at));
    expect(org).toEqual(mine.map((f) => `https://arxiv.org/abs/${f.id}`));
  });

  it('answers with an ETag and a 304 on reload, and is readable from any origin', async () => {
    const res = await t.app.request('/papers/trending/feed.atom');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const again = await t.app.request('/papers/trending/feed.atom', { headers: { 'If-None-Match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('refuses bad listings with the reason', async () => {
    const cases: Array<[string, number, string]> = [
      ['/papers/date/2025-02-30/feed.rss', 400, 'not a day'],
      ['/papers/week/2026-W60/feed.atom', 400, 'W60'],
      ['/papers/month/2025-13/feed.rss', 400, 'month'],
      ['/papers/date/0050-01-01/feed.atom', 400, 'YYYY-MM-DD'],
      ['/search/feed.rss', 400, 'q:'],
      ['/search/feed.rss?q=x&sort=stars', 400, 'sort'],
      ['/orgs/nobody/feed.atom', 404, 'nobody'],
      ['/authors/Nobody%20Atall/feed.rss', 404, 'Nobody Atall'],
    ];
    for (const [url, status, words] of cases) {
      const res = await t.app.request(url);
      expect(res.status, url).toBe(status);
      expect(await res.text(), url).toContain(words);
    }
    // The UI still owns the paper pages beside the feeds.
    expect((await t.app.request(`/papers/${FEATURED[0]!.id}`)).status).toBe(200);
  });
});

describe.each(DIALECTS)('feed autodiscovery on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load(featuredRecords());
  });
  afterAll(async () => t.close());

  it('announces the feeds of each page with <link rel="alternate">, and they answer', async () => {
    for (const page of ['/papers', '/papers/week/2025-W02', '/papers/trending', '/search?q=games', `/papers/${FEATURED[0]!.id}`, '/about']) {
      const html = await (await t.app.request(page)).text();
      const links = [...html.matchAll(/<link rel="alternate" type="(application\/(?:rss|atom)\+xml)" title="[^"]*" href="([^"]+)"/g)];
      expect(
        links.map((m) => m[1]),
        page,
      ).toEqual(['application/rss+xml', 'application/atom+xml']);
      for (const [, , href] of links) {
        const u = new URL(href!.replace(/&amp;/g, '&'), t.config.baseUrl);
        const res = await t.app.request(u.pathname + u.search);
        expect(res.status, `${page} -> ${href}`).toBe(200);
      }
    }
  });
});
