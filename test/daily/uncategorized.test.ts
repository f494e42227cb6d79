// Papers imported without categories (Hugging Face daily papers carry none) are on New in the
// instance's default view, where nothing says they are outside its categories, and left out once
// a reader names categories: a fresh instance filled by the Hugging Face import shows its days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfItem, sampleRecord } from '../fixtures/records.js';
import { testApp } from '../harness/app.js';
import { DIALECTS } from '../harness/db.js';

describe.each(DIALECTS)('papers without categories on New, %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    t = await testApp(dialect);
    await t.load([hfItem({ paper: { id: '2501.01234', publishedAt: '2025-01-02T18:00:01.000Z' }, _listed_date: '2025-01-03' })]);
    await t.load([
      sampleRecord({ id: '2501.01300', categories: 'cs.LG', _listed_on: '2025-01-03', title: 'A categorized paper' }),
      sampleRecord({ id: '2501.01301', categories: 'math.AG', _listed_on: '2025-01-03', title: 'Outside the instance' }),
    ]);
  });
  afterAll(async () => t.close());

  const ids = async (url: string) => {
    const res = await t.app.request(url);
    expect(res.status).toBe(200);
    return ((await res.json()) as Array<{ paper: { id: string } }>).map((i) => i.paper.id).sort();
  };

  it('lists them in the default view and leaves them out of a named category', async () => {
    expect(await ids('/api/papers/new')).toEqual(['2501.01234', '2501.01300']);
    expect(await ids('/api/papers/new?categories=cs.LG')).toEqual(['2501.01300']);
    expect(await ids('/api/papers/new?categories=-cs.CV')).toEqual(['2501.01234', '2501.01300']);
  });

  it('shows them on the page and in the feed', async () => {
    const page = await (await t.app.request('/papers/new')).text();
    expect(page).toContain('Contraction Certificates for Non-Convex Games');
    expect(page).not.toContain('Outside the instance');
    const filtered = await (await t.app.request('/papers/new?cat=cs.LG')).text();
    expect(filtered).not.toContain('Contraction Certificates for Non-Convex Games');
    const feed = await (await t.app.request('/papers/new/feed.atom')).text();
    expect(feed).toContain('Contraction Certificates for Non-Convex Games');
  });
});
