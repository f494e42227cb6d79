// The pure parts of digests: periods, selection and filters, signed links, rendering, picks.
import { describe, expect, test } from 'vitest';
import { composeDigest, type DigestPaper, firstAuthors, matches, parseList, rankPapers } from './compose.js';
import { manageUrl, signSubscription, unsubscribeMailto, verifySubscription } from './links.js';
import { PeriodError, isWeeklyDay, periodOf, scheduledPeriod } from './period.js';
import { fuseNeighbours, pickedForYou } from './picked.js';
import { escapeHtml } from '../papers/html.js';
import { describeChoices, renderDigest, sevenBitHtml } from './render.js';

const paper = (id: string, over: Partial<DigestPaper> = {}): DigestPaper => ({
  id,
  title: `Title ${id}`,
  authors: ['A One', 'B Two'],
  summary: `Summary ${id}.`,
  upvotes: 1,
  featuredAt: '2026-08-20T09:00:00Z',
  categories: ['cs.LG'],
  haystack: `title ${id}`,
  ...over,
});
const none = { categories: [], keywords: [], maxPapers: 10 };

describe('periods', () => {
  test('daily is the day; weekly is the ISO week, across a year boundary too', () => {
    expect(periodOf('daily', '2026-08-20')).toMatchObject({
      key: 'daily:2026-08-20',
      range: { from: '2026-08-20', to: '2026-08-20' },
      label: 'Thursday, 20 August 2026',
    });
    expect(periodOf('weekly', '2026-08-20')).toMatchObject({ key: 'weekly:2026-W34', range: { from: '2026-08-17', to: '2026-08-23' } });
    expect(periodOf('weekly', '2025-01-01')).toMatchObject({ key: 'weekly:2025-W01', range: { from: '2024-12-30', to: '2025-01-05' } });
    expect(() => periodOf('daily', '2026-02-30')).toThrow(PeriodError);
  });
  test('scheduled: the latest featured day before today within a week; weekly is last week', () => {
    expect(scheduledPeriod('daily', '2026-08-24', '2026-08-21')?.key).toBe('daily:2026-08-21');
    expect(scheduledPeriod('daily', '2026-08-24', '2026-08-10')).toBeNull();
    expect(scheduledPeriod('daily', '2026-08-24', null)).toBeNull();
    expect(scheduledPeriod('weekly', '2026-08-24', null)?.key).toBe('weekly:2026-W34');
    expect(isWeeklyDay('2026-08-24')).toBe(true);
    expect(isWeeklyDay('2026-08-25')).toBe(false);
  });
});

describe('selection', () => {
  test('ranked by upvotes, ties by newer feature time, then id', () => {
    const r = rankPapers([
      paper('b', { upvotes: 5 }),
      paper('a', { upvotes: 5 }),
      paper('c', { upvotes: 5, featuredAt: '2026-08-20T10:00:00Z' }),
      paper('d', { upvotes: 9 }),
    ]);
    expect(r.map((p) => p.id)).toEqual(['d', 'c', 'a', 'b']);
  });
  test('filters: category or archive, any keyword (case-insensitive), both kinds must pass', () => {
    const p = paper('x', { categories: ['cs.CL', 'stat.ML'], haystack: 'a parser for tables' });
    expect(matches(p, { categories: ['cs.CL'], keywords: [] })).toBe(true);
    expect(matches(p, { categories: ['stat'], keywords: [] })).toBe(true);
    expect(matches(p, { categories: ['cs.C'], keywords: [] })).toBe(false);
    expect(matches(p, { categories: ['math'], keywords: [] })).toBe(false);
    expect(matches(p, { categories: [], keywords: ['PARSER', 'zzz'] })).toBe(true);
    expect(matches(p, { categories: ['math'], keywords: ['parser'] })).toBe(false);
  });
  test('size, picks not repeated, and null when nothing passes', () => {
    const ranked = rankPapers([paper('a', { upvotes: 3 }), paper('b', { upvotes: 2 }), paper('c', { upvotes: 1 })]);
    const d = composeDigest(periodOf('daily', '2026-08-20'), ranked, { ...none, maxPapers: 2 }, [paper('a'), paper('z'), paper('y'), paper('w'), paper('v')])!;
    expect(d.papers.map((p) => p.id)).toEqual(['a', 'b']);
    expect(d.matched).toBe(3);
    expect(d.picked.map((p) => p.id)).toEqual(['z', 'y', 'w']);
    expect(composeDigest(periodOf('daily', '2026-08-20'), ranked, { ...none, categories: ['q-bio'] })).toBeNull();
    expect(composeDigest(periodOf('daily', '2026-08-20'), [], none)).toBeNull();
  });
  test('form lists and author lines', () => {
    expect(parseList(' cs.LG, cs.lg,\n  cs.CL ,, ')).toEqual(['cs.LG', 'cs.CL']);
    expect(firstAuthors(['A', 'B', 'C', 'D'])).toBe('A, B, C et al.');
    expect(firstAuthors([])).toBe('Authors unknown');
  });
});

describe('signed links', () => {
  test('verify only the right id under the right secret', () => {
    const sig = signSubscription('s1', 42);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(verifySubscription('s1', 42, sig)).toBe(true);
    expect(verifySubscription('s1', 43, sig)).toBe(false);
    expect(verifySubscription('s2', 42, sig)).toBe(false);
    expect(verifySubscription('s1', 42, sig.slice(0, 21))).toBe(false);
    expect(manageUrl('https://x.org', 's1', 42)).toBe(`https://x.org/unsubscribe/42/${sig}`);
    expect(unsubscribeMailto('dailypapers <noreply@x.org>', 's1', 42)).toBe(`mailto:noreply@x.org?subject=unsubscribe%2042.${sig}`);
  });
});

describe('rendering', () => {
  const d = composeDigest(
    periodOf('daily', '2026-08-20'),
    [paper('2608.00001', { title: 'Naïve <Bayes> & “friends”', upvotes: 1 }), paper('2608.00002', { upvotes: 0 })],
    none,
  )!;
  const ctx = {
    baseUrl: 'https://x.org',
    manageUrl: 'https://x.org/unsubscribe/1/sig',
    choices: describeChoices({ frequency: 'daily', maxPapers: 10, categories: ['cs'], keywords: [] }),
  };
  const m = renderDigest(d, ctx);
  test('subject, escaping, and the same papers and links in both parts', () => {
    expect(m.subject).toBe('Top 2 papers of Thursday, 20 August 2026');
    const flat = m.html.replace(/\s+/g, ' '); // wrapped at spaces; HTML white space collapses
    expect(flat).toContain('Na&#239;ve &lt;Bayes&gt; &amp; &#8220;friends&#8221;');
    expect(m.text).toContain('1. Naïve <Bayes> & “friends”');
    for (const part of [m.text, flat]) {
      for (const u of ['https://x.org/papers/2608.00001', 'https://arxiv.org/abs/2608.00002', 'https://x.org/unsubscribe/1/sig']) expect(part).toContain(u);
    }
    expect(m.text).toContain('▲ 1 upvote\n');
    expect(m.text).toContain('▲ 0 upvotes');
    expect(m.text).toContain('(daily, up to 10 papers, categories cs)');
    expect(m.html).not.toMatch(/<img|<script/);
  });
  test('the HTML is 7-bit with lines of at most 76 characters', () => {
    expect(/[^\x00-\x7f]/.test(m.html)).toBe(false);
    expect(m.html.split('\n').every((l) => l.length <= 76)).toBe(true);
    expect(sevenBitHtml('é')).toBe('&#233;');
    expect(
      sevenBitHtml(`${'a '.repeat(50)}`)
        .split('\n')
        .every((l) => l.length <= 76),
    ).toBe(true);
    expect(escapeHtml(`<a href="x">'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&lt;/a&gt;');
  });
});

describe('picked for you', () => {
  test('reciprocal-rank fusion over the neighbours of each upvote, upvoted papers excluded', () => {
    expect(
      fuseNeighbours(
        [
          ['a', 'b', 'c'],
          ['b', 'd'],
          ['x', 'b'],
        ],
        new Set(['x']),
        3,
      ),
    ).toEqual(['b', 'a', 'd']);
  });
  test('asks the search service for each upvote and keeps the best, tolerating failures', async () => {
    const hit = (id: string) => ({
      paper: { id, title: `T ${id}`, abstract: 'Abstract. More.', authors: ['A'], categories: ['cs.LG'], publishedAt: null } as never,
      featured: null,
      upvotes: 1,
      commentCount: 0,
    });
    const search = {
      async similar(id: string) {
        if (id === 'bad') throw new Error('no vectors');
        return { hits: id === 'u1' ? [hit('p1'), hit('p2'), hit('u2')] : [hit('p2'), hit('p3')], reason: null };
      },
    };
    const picked = await pickedForYou(search, ['u1', 'u2', 'bad']);
    expect(picked.map((p) => p.id)).toEqual(['p2', 'p1', 'p3']);
    expect(await pickedForYou(search, [])).toEqual([]);
  });
});
