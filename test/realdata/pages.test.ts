// The pages on the real data (../shared/data: 9,877 featured papers and the 84k arXiv sample), on
// every dialect: every featured day is reachable through the previous-day links, and the day,
// week, month, trending and paper pages render real papers with their math.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/ingest/import.js';
import { testApp } from '../harness/app.js';
import { DIALECTS } from '../harness/db.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');

describe.each(DIALECTS)('pages over the real data on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const page = async (url: string) => {
    const res = await t.app.request(url);
    expect(res.status, url).toBe(200);
    return res.text();
  };
  const cards = (html: string) => html.match(/<article class="card"/g)?.length ?? 0;

  beforeAll(async () => {
    t = await testApp(dialect);
    const summary = await importFiles(t.db.db, [path.join(DATA, 'hf-daily-papers.jsonl.gz'), path.join(DATA, 'arxiv-sample.jsonl.gz')], {
      rejectsDir: path.join(t.test.dataDir, 'rejects'),
    });
    expect(summary.rejected).toBe(0);
  });
  afterAll(async () => t?.close());

  it('walks from the latest day back to the first through "previous" links, every day full', async () => {
    const days = await t.db.db.selectFrom('featured').select('day').distinct().orderBy('day', 'desc').execute();
    let url: string | null = '/papers';
    const seen: string[] = [];
    while (url) {
      const html = await page(url);
      const day = /<input type="date" id="date" name="date" value="(\d{4}-\d{2}-\d{2})"/.exec(html)![1]!;
      seen.push(day);
      expect(cards(html), day).toBeGreaterThan(0);
      url = /<a class="btn" rel="prev" href="([^"]+)"/.exec(html)?.[1] ?? null;
    }
    expect(seen).toEqual(days.map((d) => d.day));
  });

  it('renders the latest week, month and trending with real papers', async () => {
    const week = await page('/papers/week/2026-W34');
    expect(week).toContain('Week 34 of 2026 (17–23 August 2026)');
    expect(cards(week)).toBe(50);
    expect(week).toContain('Page 2 →');
    const month = await page('/papers/month/2026-08');
    expect(cards(month)).toBe(50);
    const trending = await page('/papers/trending');
    expect(trending).toContain('as of Friday, 21 August 2026');
    expect(cards(trending)).toBe(50);
  });

  it('renders math in real titles and abstracts, on cards and paper pages', async () => {
    // Featured on 2025-05-19, its title is "... via $\mathbf{\texttt{D}}$ual-$\mathbf{\texttt{H}}$ead ...".
    const day = await page('/papers/date/2025-05-19');
    expect(day).toMatch(
      /<a href="\/papers\/2505\.07675"><span>Simple Semi-supervised Knowledge Distillation from Vision-Language Models via <span class="katex">/,
    );
    const paper = await page('/papers/2505.07675');
    expect(paper.match(/class="katex"/g)?.length).toBeGreaterThan(6); // title and abstract
    expect(paper).not.toContain('katex-error');
    // Indexed from the arXiv sample, not featured: "GenM$^3$: Generative Pretrained ...".
    const indexed = await page('/papers/2503.14919');
    expect(indexed).toContain('Indexed from arXiv; not featured');
    expect(indexed).toMatch(/<h1><span>GenM<span class="katex">/);
    // A price in a title stays text: "Can Frontier LLMs Earn $1 Million ...".
    const prices = await t.db.db.selectFrom('papers').select('id').where('title', 'like', 'SWE-Lancer%').executeTakeFirstOrThrow();
    const lancer = await page(`/papers/${prices.id}`);
    expect(lancer).toContain('Earn $1 Million');
  });
});
