// The search page, the search API and similar papers through app.request(), on every dialect.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kaggleRecord } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';
import { searchFor } from '../../src/search/index.js';
import { corpus } from './corpus.js';

describe.each(DIALECTS)('search web on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeEach(async () => {
    t = await testApp(dialect);
    await t.load([...corpus(8).map((d) => d.record), kaggleRecord()]);
    await searchFor({ db: t.db, config: t.config }).embedPending();
  });
  afterEach(async () => t.close());

  it('answers /api/papers/search with Hugging Face-shaped items', async () => {
    const res = await t.app.request('/api/papers/search?q=nash%20equilibrium&limit=4');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-search-mode')).toBe('hybrid');
    const items = (await res.json()) as Array<Record<string, any>>;
    expect(items).toHaveLength(4);
    expect(items[0]).toMatchObject({
      paper: { id: expect.any(String), authors: expect.any(Array), title: expect.any(String), summary: expect.any(String), upvotes: expect.any(Number) },
      title: expect.any(String),
      summary: expect.any(String),
    });
    // Four papers have both words, the fixture paper fourth by words (in its abstract, the others
    // in their titles). The fusion counts the papers with every word twice, so here the four stay
    // first, and it is highlighted.
    const mine = items.find((i) => i.paper.id === '2501.01234');
    // Sorting by date ranks matches by words only (a ranking by meaning has no date order).
    const byDate = await t.app.request('/api/papers/search?q=nash%20-survey&sort=date');
    expect(byDate.headers.get('x-search-mode')).toBe('lexical');
    expect(mine?.highlightedSummary).toContain('<mark>Nash</mark>');
  });

  it('rejects bad parameters with a JSON error', async () => {
    for (const q of ['limit=0', 'limit=abc', 'sort=stars', 'limit=1000']) {
      const res = await t.app.request(`/api/papers/search?q=x&${q}`);
      expect(res.status, q).toBe(400);
      expect(await res.json()).toHaveProperty('error');
    }
    // No q at all is not a mistake: huggingface_hub's list_papers() sends none (test/api/hf-client.test.ts).
    const none = await t.app.request('/api/papers/search');
    expect(none.status).toBe(200);
    expect(Array.isArray(await none.json())).toBe(true);
  });

  it('answers /api/papers/ID/similar without the paper itself', async () => {
    const res = await t.app.request('/api/papers/2501.12003/similar?limit=4');
    expect(res.status).toBe(200);
    const items = (await res.json()) as Array<{ paper: { id: string } }>;
    expect(items).toHaveLength(4);
    expect(items.map((i) => i.paper.id)).not.toContain('2501.12003');
    expect(items.filter((i) => i.paper.id.startsWith('2501.12')).length).toBeGreaterThanOrEqual(3); // same topic
    expect((await t.app.request('/api/papers/2512.99999/similar')).status).toBe(404);
    expect((await t.app.request('/api/papers/nonsense/similar')).status).toBe(400);
    // The paper route itself still answers.
    expect((await t.app.request('/api/papers/2501.12003')).status).toBe(200);
  });

  it('renders /search with highlights, count, time, filters and paging', async () => {
    const res = await t.app.request('/search?q=translation&sort=date');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(/\d+ results? in \d+ ms/);
    expect(html).toContain('<mark>translation</mark>');
    expect(html).toContain('href="/search?q=translation%20has%3Acode&amp;sort=date"');
    expect(html).toMatch(/<option value="date" selected/);
    const page2 = await (await t.app.request('/search?q=cat%3Acs.CL&page=2')).text();
    expect(page2).toContain('rel="prev"');
    expect(await (await t.app.request('/search?q=%22unclosed&page=-3&sort=zzz')).text()).toContain('No papers match');
    expect((await t.app.request('/search')).status).toBe(200);
  });

  it('opens a paper named by its arXiv id or URL, and lists neighbours for similar:ID', async () => {
    for (const q of ['2501.01234', 'https://arxiv.org/abs/2501.01234v2', 'arXiv:2501.01234']) {
      const res = await t.app.request(`/search?q=${encodeURIComponent(q)}`);
      expect(res.status, q).toBe(302);
      expect(res.headers.get('location')).toBe('/papers/2501.01234');
    }
    const api = (await (await t.app.request('/api/papers/search?q=2501.01234')).json()) as Array<{ paper: { id: string } }>;
    expect(api.map((i) => i.paper.id)).toEqual(['2501.01234']);
    // An id that is not here is searched as words.
    expect((await t.app.request('/search?q=2512.99999')).status).toBe(200);

    const similar = (await (await t.app.request('/api/papers/search?q=similar%3A2501.12003&limit=4')).json()) as Array<{ paper: { id: string } }>;
    const direct = (await (await t.app.request('/api/papers/2501.12003/similar?limit=4')).json()) as Array<{ paper: { id: string } }>;
    expect(similar.map((i) => i.paper.id)).toEqual(direct.map((i) => i.paper.id));
    const like = await (await t.app.request('/search?q=papers%20like%202501.12003')).text();
    expect(like).toContain(`href="/papers/${direct[0]!.paper.id}"`);
  });

  it('shows similar papers on the paper page', async () => {
    const html = await (await t.app.request('/papers/2501.10001')).text();
    const section = html.slice(html.indexOf('id="similar"'));
    expect(section).toMatch(/href="\/papers\/2501\.10\d{3}"/);
    expect(section.slice(0, 2000)).not.toContain('href="/papers/2501.10001"');
  });

  it('renders the TeX of a similar paper title, with the stylesheet it needs', async () => {
    // A games paper whose title holds math, close to 2501.10001 (games) by words and meaning.
    await t.load([
      kaggleRecord({
        id: '2502.00001',
        title: 'Nash equilibrium of $\\alpha$-player games',
        abstract: 'We study nash equilibrium player game payoff strategy regret.',
      }),
    ]);
    await searchFor({ db: t.db, config: t.config }).embedPending();
    const html = await (await t.app.request('/papers/2501.10001')).text();
    const section = html.slice(html.indexOf('id="similar"'), html.indexOf('</section>', html.indexOf('id="similar"')));
    expect(section).toContain('href="/papers/2502.00001"');
    expect(section).toContain('class="katex');
    expect(section).not.toContain('$\\alpha$');
    expect(html).toMatch(/<link[^>]+katex[^>]*>/);
  });
});
