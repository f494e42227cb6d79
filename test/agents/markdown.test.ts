// Papers and listings as Markdown, and /llms.txt, through app.request() on every dialect: what a
// paper's Markdown holds (TeX left as TeX, the discussion quoted), the listings' items and links,
// errors, and the shared cache's ETag and 304 moving with the data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/auth/ratelimit.js';
import { postComment } from '../../src/members/comments.js';
import { setCommentHidden } from '../../src/store/comments.js';
import { createUser, type User } from '../../src/store/users.js';
import { setVote } from '../../src/store/votes.js';
import { featuredRecords, FEATURED } from '../api/fixtures.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { COALESCE_MS } from '../../src/web/cache.js';
import { testApp } from '../harness/app.js';

const TEX_ID = '2501.01234';
const ABSTRACT = 'We bound $\\|x_t - x^*\\|_2 \\le \\rho^t$ for gradient play, with $\\rho < 1$ when *every* player_1 is strongly monotone.';

describe.each(DIALECTS)('Markdown for agents (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  // The page cache's clock: a visitor's page of counts is re-rendered at most once per COALESCE_MS.
  let now = 0;
  let ada: User;
  let bo: User;
  beforeAll(async () => {
    t = await testApp(dialect, { clock: () => now });
    await t.load(featuredRecords());
    await t.load([hfItem({ paper: { summary: ABSTRACT }, _listed_date: '2025-01-08' })]);
    ada = await createUser(t.db.db, { username: 'ada', email: 'ada@example.org', passwordHash: 'x', role: 'member', emailConfirmed: true });
    bo = await createUser(t.db.db, { username: 'bo', email: 'bo@example.org', passwordHash: 'x', role: 'member', emailConfirmed: true });
    const d = { db: t.db.db, dialect: t.db.dialect, limiter: new RateLimiter() };
    const first = await postComment(d, ada, '10.0.0.1', { paperId: TEX_ID, parentId: null, body: 'Does the bound hold for $\\rho = 1$?\nSecond line.' });
    if (first.kind !== 'ok') throw new Error(JSON.stringify(first));
    await postComment(d, bo, '10.0.0.2', { paperId: TEX_ID, parentId: first.value.id, body: 'Only asymptotically.' });
    const spam = await postComment(d, bo, '10.0.0.2', { paperId: TEX_ID, parentId: null, body: 'Buy cheap watches' });
    if (spam.kind !== 'ok') throw new Error(JSON.stringify(spam));
    await setCommentHidden(t.db.db, spam.value.id, ada.id, true);
  });
  afterAll(async () => t.close());

  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await t.app.request(path, { headers });
    return { res, text: await res.text() };
  };

  it('serves a paper as Markdown: facts, links, abstract with its TeX, AI summary, the visible discussion', async () => {
    const { res, text } = await get(`/papers/${TEX_ID}.md`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    expect(text.split('\n')[0]).toBe('# Contraction Certificates for Non-Convex Games');
    for (const line of [
      '- **Authors:** Ada Example, Bo Sample',
      `- **arXiv:** [${TEX_ID}](https://arxiv.org/abs/${TEX_ID})`,
      `- **PDF:** https://arxiv.org/pdf/${TEX_ID}`,
      '- **Published:** 2025-01-02',
      '- **Code:** https://github.com/example/contraction',
      '- **Project page:** https://example.org/contraction',
      '- **Organization:** Example Lab',
      '- **Upvotes:** 42',
      `- **Page:** ${t.config.baseUrl}/papers/${TEX_ID}`,
      '**Keywords:** non-convex games, Nash equilibrium, contraction',
      'Gradient play in non-convex games provably contracts to equilibria.',
    ])
      expect(text).toContain(line);
    // The abstract exactly as stored: TeX, underscores and asterisks untouched.
    expect(text).toContain(`## Abstract\n\n${ABSTRACT}\n`);
    // The thread: the question quoted, its reply quoted inside it; the hidden comment's text gone.
    expect(text).toContain('## Discussion');
    expect(text).toMatch(
      /> \*\*ada\*\* on \d{4}-\d{2}-\d{2}:\n>\n> Does the bound hold for \$\\rho = 1\$\?\n> Second line\.\n>\n> > \*\*bo\*\* on [\d-]+:\n> >\n> > Only asymptotically\./,
    );
    expect(text).not.toContain('watches');
  });

  it('redirects a variant of the id, and answers a bad or unknown one in Markdown, uncached', async () => {
    const v = await t.app.request(`/papers/${TEX_ID}v2.md`);
    expect(v.status).toBe(301);
    expect(v.headers.get('location')).toBe(`/papers/${TEX_ID}.md`);
    const unknown = await get('/papers/2501.99999.md');
    expect(unknown.res.status).toBe(404);
    expect(unknown.res.headers.get('cache-control')).toBe('no-store');
    expect(unknown.text).toMatch(/^# Not found\n\nno paper 2501\.99999/);
    expect((await get('/papers/not-an-id.md')).res.status).toBe(400);
    // The HTML page is still the page.
    expect((await t.app.request(`/papers/${TEX_ID}`)).headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('lists a day, a week and a month with links to each paper and its Markdown, most upvoted first', async () => {
    const { res, text } = await get('/papers/date/2025-01-07.md');
    expect(res.status).toBe(200);
    const day = FEATURED.filter((f) => f.day === '2025-01-07').sort((a, b) => b.upvotes - a.upvotes);
    expect(text).toContain('# Daily papers, ');
    const linked = [...text.matchAll(/^\d+\. \*\*\[.*\]\(([^)]+)\)\*\*/gm)].map((m) => m[1]);
    expect(linked).toEqual(day.map((f) => `${t.config.baseUrl}/papers/${f.id}`));
    expect(text).toContain(`Markdown: ${t.config.baseUrl}/papers/${day[0]!.id}.md`);
    // Titles with brackets or ampersands stay one link; the next and previous days are linked.
    expect(text).toContain('Gradients & <Games> for "Agents"');
    expect(text).toContain(`(${t.config.baseUrl}/papers/date/2025-01-06.md)`);
    expect(text).toContain(`(${t.config.baseUrl}/papers/date/2025-01-08.md)`);

    const week = await get('/papers/week/2025-W03.md');
    expect([...week.text.matchAll(/^\d+\. /gm)]).toHaveLength(FEATURED.filter((f) => f.day >= '2025-01-13' && f.day <= '2025-01-19').length);
    const month = await get('/papers/month/2025-02.md?sort=newest');
    expect(month.text).toContain('newest feature first');
    const latest = await get('/papers.md');
    expect(latest.text).toContain('# Daily papers, ');
    expect(latest.text).toContain(FEATURED.find((f) => f.day === '2025-02-03')!.id);
    const trending = await get('/papers/trending.md');
    expect(trending.res.status).toBe(200);
    expect(trending.text).toContain('# Trending papers');

    expect((await get('/papers/date/2025-13-40.md')).res.status).toBe(400);
    expect((await get('/papers/week/2025-W03.md?sort=best')).text).toMatch(/sort: one of upvotes, trending, newest/);
  });

  it('answers a search as Markdown', async () => {
    const { res, text } = await get('/search.md?q=contraction');
    expect(res.status).toBe(200);
    expect(text).toContain('# Search: contraction');
    expect(text).toContain(`${t.config.baseUrl}/papers/${TEX_ID}`);
    expect((await get('/search.md')).res.status).toBe(400);
  });

  it('is cached like the pages: an ETag, 304 on revalidation, a new tag once an upvote changes the data', async () => {
    const first = await t.app.request(`/papers/${TEX_ID}.md`);
    const tag = first.headers.get('etag')!;
    expect(tag).toBeTruthy();
    expect(first.headers.get('cache-control')).toMatch(/^public/);
    const again = await t.app.request(`/papers/${TEX_ID}.md`, { headers: { 'if-none-match': tag } });
    expect(again.status).toBe(304);
    await setVote(t.db.db, t.db.dialect, bo.id, TEX_ID, true, { minUpvotes: 3, day: '2025-01-08' });
    // Written around the app, as another instance would: on PostgreSQL heard by a NOTIFY.
    await t.settle();
    now += COALESCE_MS;
    const changed = await get(`/papers/${TEX_ID}.md`, { 'if-none-match': tag });
    expect(changed.res.status).toBe(200);
    expect(changed.res.headers.get('etag')).not.toBe(tag);
    expect(changed.text).toContain('- **Upvotes:** 43');
  });

  it('serves /llms.txt: what the instance is and where its Markdown, API and MCP endpoints are', async () => {
    const { res, text } = await get('/llms.txt');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const base = t.config.baseUrl;
    expect(text.startsWith(`# dailypapers at ${base}\n\n> `)).toBe(true);
    for (const url of [`${base}/papers.md`, `${base}/api/openapi.json`, `${base}/mcp`, `${base}/search.md?q=`]) expect(text).toContain(url);
    // Every link answers: the example paper is of another archive (404 here; its example days are
    // empty lists), the rest are this instance's pages; /mcp wants a JSON-RPC POST with its Accept
    // header (406 without).
    const examples = /^\/papers\/2405\.15738\.md$/;
    for (const m of text.matchAll(/\]\((http[^)]+)\)/g)) {
      const path = m[1]!.slice(base.length);
      const r = await t.app.request(path, path === '/mcp' ? { method: 'POST' } : {});
      expect(r.status, path).toBe(path === '/mcp' ? 406 : examples.test(path) ? 404 : 200);
    }
  });
});
