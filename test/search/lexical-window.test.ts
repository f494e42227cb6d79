// SQLite ranks the newest RANK_WINDOW matches of a query (src/search/lexical-sqlite.ts): a word
// that matches more papers than that is ranked among the newest ones, the count still covers
// them all (up to COUNT_CAP), and deeper pages widen the window instead of ending the list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSearch } from '../../src/search/index.js';
import { RANK_WINDOW, sqliteLexical } from '../../src/search/lexical-sqlite.js';
import { parseQuery } from '../../src/search/query.js';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { searchDb } from './harness.js';

const N = RANK_WINDOW + 200;
const idOf = (n: number) => `2503.${String(10000 + n)}`;

describe('SQLite rank window', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  beforeEach(async () => {
    t = await searchDb('sqlite');
    // Imported in id order, so paper 0 is the oldest match. Papers 0 and N-1 have the word in the title.
    await t.load(
      Array.from({ length: N }, (_, n) =>
        kaggleRecord({
          id: idOf(n),
          title: n === 0 || n === N - 1 ? 'Frobnication' : `Paper ${n}`,
          abstract: `We study frobnication number ${n} in general.${n >= N - RANK_WINDOW ? ' A gizmo.' : ''}`,
        }),
      ),
    );
  });
  afterEach(async () => t.close());

  it('ranks the newest matches, counts them all, and pages past the window', async () => {
    const s = createSearch({ db: t.db, config: t.config });
    const r = await s.search({ q: 'frobnication', mode: 'lexical', limit: 10 });
    expect(r.total).toBe(N);
    expect(r.hits[0]!.paper.id).toBe(idOf(N - 1)); // a title match inside the window
    expect(r.hits.map((h) => h.paper.id)).not.toContain(idOf(0)); // outside it
    const deep = await s.search({ q: 'frobnication', mode: 'lexical', limit: 100, page: 12 });
    expect(deep.hits).toHaveLength(100);
    const ids = new Set(deep.hits.map((h) => h.paper.id));
    expect(ids.size).toBe(100);
    // Counts go on below a full window, with filters from the index and with a checked author.
    for (const q of ['frobnication cat:cs.GT', 'frobnication author:"Ada Example"', 'frobnication after:2000-01-01']) {
      const f = await s.search({ q, mode: 'lexical', limit: 10 });
      expect(f.total, q).toBe(N);
      expect(f.hits[0]!.paper.id, q).toBe(idOf(N - 1));
    }
    expect((await s.search({ q: 'frobnication cat:cs.CV', mode: 'lexical', limit: 10 })).total).toBe(0);
    // Upvotes order reaches past any window: the oldest match, featured with upvotes, comes first.
    await t.load([hfItem({ paper: { id: idOf(0), title: 'Frobnication', summary: 'We study frobnication number 0 in general.', upvotes: 50 } })]);
    const voted = await s.search({ q: 'frobnication', mode: 'lexical', sort: 'upvotes', limit: 10 });
    expect(voted.hits.map((h) => h.paper.id)).toEqual([idOf(0), ...Array.from({ length: 9 }, (_, i) => idOf(N - 1 - i))]);
    expect(voted.total).toBe(N);
    // Date order covers every match (the date window is COUNT_CAP).
    const oldest = await s.search({ q: 'frobnication', mode: 'lexical', sort: 'date', limit: 100, page: 12 });
    expect(oldest.hits.at(-1)!.paper.id).toBe(idOf(0));
  });

  it('ranks every match when they exactly fill the window (read forwards, then remembered when they overflow)', async () => {
    const s = createSearch({ db: t.db, config: t.config });
    // "gizmo" is in the newest RANK_WINDOW papers: all of them, the oldest included, on some page.
    for (const q of ['frobnication gizmo', 'gizmo', 'gizmo cat:cs.GT']) {
      const pages = await Promise.all(Array.from({ length: RANK_WINDOW / 100 }, (_, i) => s.search({ q, mode: 'lexical', limit: 100, page: i + 1 })));
      const ids = pages.flatMap((p) => p.hits.map((h) => h.paper.id));
      expect(new Set(ids).size, q).toBe(RANK_WINDOW);
      expect(ids, q).toContain(idOf(N - RANK_WINDOW));
      expect(pages[0]!.total, q).toBe(RANK_WINDOW);
      expect(ids[0], q).toBe(idOf(N - 1)); // the title match first
    }
    // More matches than the window: the newest window, the same on every call (the second call
    // skips the forwards read).
    for (let i = 0; i < 2; i++) {
      const r = await s.search({ q: 'frobnication', mode: 'lexical', limit: 100, page: 10 });
      expect(r.total).toBe(N);
      expect(r.hits.at(-1)!.paper.id).not.toBe(idOf(0));
      expect(r.hits.map((h) => Number(h.paper.id.slice(5)) - 10000).every((n) => n >= N - RANK_WINDOW)).toBe(true);
    }
  });

  it('reads the same window whether or not it skips the forward read', async () => {
    // Expected matches decide only how the window is read (lexical-sqlite.ts, manyExpected).
    const ask = (manyExpected: number) => sqliteLexical(t.db.db, { dpBm25: t.db.dpBm25 === true, manyExpected });
    const always = ask(0);
    const never = ask(Number.POSITIVE_INFINITY);
    for (const q of ['frobnication', 'gizmo', 'frobnication general', '"frobnication number" cat:cs.LG', 'frobnication has:code', 'nothing here']) {
      for (const [limit, offset] of [
        [10, 0],
        [50, 0],
        [20, 1100],
      ] as const) {
        const req = { query: parseQuery(q), sort: 'relevance' as const, limit, offset };
        expect(await always.search(req), `${q} ${offset}`).toEqual(await never.search(req));
      }
    }
  });
});
