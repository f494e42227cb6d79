// dp_bm25 (src/search/native/dp_bm25.c, built by npm install) ranks as FTS5's bm25() does, from
// document frequencies the service counts once (TermStats) instead of on every query.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteLexical } from '../../src/search/lexical-sqlite.js';
import { matchPlan } from '../../src/search/match-sqlite.js';
import { TermStats } from '../../src/search/term-stats.js';
import { parseQuery } from '../../src/search/query.js';
import { kaggleRecord } from '../fixtures/records.js';
import { corpus } from './corpus.js';
import { searchDb } from './harness.js';

// npm install builds it when a C compiler is there (scripts/build-native.mjs); CI must have it.
const built = existsSync(path.resolve(import.meta.dirname, '../../build/dp_bm25.so')) || process.env.CI !== undefined;

describe.skipIf(!built)('dp_bm25', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  afterEach(async () => t?.close());

  it('is loaded, and scores as bm25() with the same weights', async () => {
    t = await searchDb('sqlite');
    expect(t.db.dpBm25).toBe(true);
    await t.load(corpus(20).map((p) => p.record));
    const stats = new TermStats(t.db.db);
    for (const q of ['nash equilibrium', 'image "we study"', 'grammar author:example', 'game -regret cat:cs.GT']) {
      const plan = matchPlan(parseQuery(q))!;
      const idfs = await stats.idfs(plan.ranked);
      const theirs = await sql<{ rowid: number; s: number }>`select rowid, bm25(papers_fts, 10.0, 4.0, 1.0, 0.0) as s
        from papers_fts where papers_fts match ${plan.expr} order by rowid`.execute(t.db.db);
      const ours = await sql<{ rowid: number; s: number }>`select rowid, dp_bm25(papers_fts, 10.0, 4.0, 1.0, 0.0, ${sql.join(idfs.map((x) => sql`${x}`))}) as s
        from papers_fts where papers_fts match ${plan.expr} order by rowid`.execute(t.db.db);
      expect(theirs.rows.length, q).toBeGreaterThan(0);
      expect(
        ours.rows.map((r) => r.rowid),
        q,
      ).toEqual(theirs.rows.map((r) => r.rowid));
      // One ranked phrase is given IDF 1 (its IDF scales every score alike): the same order, and
      // scores in the same proportions.
      const scale = plan.ranked.filter((p) => p !== null).length === 1 ? theirs.rows[0]!.s / ours.rows[0]!.s : 1;
      if (scale !== 1)
        expect(
          idfs.filter((x) => x !== 0),
          q,
        ).toEqual([1]);
      ours.rows.forEach((r, i) => {
        expect(r.s * scale, q).toBeCloseTo(theirs.rows[i]!.s, 9);
      });
    }
    // Through the backend, with and without the extension: the same pages.
    const native = sqliteLexical(t.db.db, { dpBm25: true });
    const plain = sqliteLexical(t.db.db);
    for (const q of ['nash equilibrium', 'image', 'grammar author:example']) {
      const req = { query: parseQuery(q), sort: 'relevance' as const, limit: 10, offset: 0 };
      expect(await native.search(req), q).toEqual(await plain.search(req));
    }
  });

  it("scores with each row's length as it is after a write: kept, read again, or asked of FTS5", async () => {
    t = await searchDb('sqlite');
    const v1 = [{ version: 'v1', created: 'Thu, 2 Jan 2025 18:00:01 GMT' }];
    const long = 'We study the Nash equilibrium of games. '.repeat(4);
    const papers = Array.from({ length: 12 }, (_, i) =>
      kaggleRecord({ id: `2501.${String(10000 + i)}`, title: `Game ${i}`, abstract: `${long.repeat(1 + (i % 3))} Nash again.`, versions: v1 }),
    );
    // Papers without the words, so that theirs have an IDF of some weight.
    const others = Array.from({ length: 30 }, (_, i) =>
      kaggleRecord({ id: `2502.${String(10000 + i)}`, title: `Other ${i}`, abstract: 'Unrelated.', versions: v1 }),
    );
    await t.load([...papers, ...others]);
    // One ranked word: its IDF scales every score alike (TermStats gives it 1), so each score is
    // bm25()'s in one proportion only when each row's length is the one FTS5 has.
    const same = async (label: string, db = t.db.db) => {
      const expr = matchPlan(parseQuery('nash'))!.expr;
      const theirs = await sql<{ rowid: number; s: number }>`select rowid, bm25(papers_fts, 10.0, 4.0, 1.0, 0.0) as s
        from papers_fts where papers_fts match ${expr} order by rowid`.execute(db);
      const ours = await sql<{ rowid: number; s: number }>`select rowid, dp_bm25(papers_fts, 10.0, 4.0, 1.0, 0.0, 1.0) as s
        from papers_fts where papers_fts match ${expr} order by rowid`.execute(db);
      expect(
        ours.rows.map((r) => r.rowid),
        label,
      ).toEqual(theirs.rows.map((r) => r.rowid));
      expect(new Set(theirs.rows.map((r) => r.s.toFixed(6))).size, label).toBeGreaterThan(1); // lengths matter here
      const scale = theirs.rows[0]!.s / ours.rows[0]!.s;
      ours.rows.forEach((r, i) => {
        expect(Math.abs((r.s * scale) / theirs.rows[i]!.s - 1), label).toBeLessThan(1e-12);
      });
      return ours.rows.length;
    };
    expect(await same('read once')).toBe(12);
    // A paper's abstract shortened: its row keeps its rowid (and the table its number of rows), with
    // another length.
    await sql`update papers set abstract = 'Nash equilibrium.' where id = '2501.10002'`.execute(t.db.db);
    expect(await same('after an update')).toBe(12);
    await t.load([kaggleRecord({ id: '2501.10099', title: 'Game 99', abstract: `${long} Nash equilibrium.`, versions: v1 })]);
    expect(await same('after an addition')).toBe(13);
    // Another connection (a search reader) reads them all afresh.
    expect(await same('read afresh', t.db.readers!())).toBe(13);
  });

  it('keeps a count until the papers have grown by more than 1 %', async () => {
    t = await searchDb('sqlite');
    await t.load(Array.from({ length: 100 }, (_, i) => kaggleRecord({ id: `2501.${String(10000 + i)}`, title: i < 10 ? 'Quokka' : 'Wombat' })));
    const stats = new TermStats(t.db.db, { max: 100, totalTtlMs: 0 });
    expect(await stats.frequency('"quokka"')).toBe(10);
    await t.load([kaggleRecord({ id: '2501.20000', title: 'Quokka' })]); // 1 % more: kept
    expect(await stats.frequency('"quokka"')).toBe(10);
    await t.load([kaggleRecord({ id: '2501.20001', title: 'Quokka' })]); // past 1 %: counted again
    expect(await stats.frequency('"quokka"')).toBe(12);
  });

  it('makes the terms papers_fts indexes, and counts common words from its vocabulary', async () => {
    t = await searchDb('sqlite');
    const titles = ['Running Models', 'Quokkas run', 'Données massives', 'The quokka', 'KV-cache models', 'Model'];
    await t.load(titles.map((title, i) => kaggleRecord({ id: `2501.${String(10000 + i)}`, title, abstract: 'Nothing.' })));
    // dp_terms gives the terms FTS5 indexed for the same words (its vocabulary holds them).
    const vocab = new Set((await sql<{ term: string }>`select term from papers_fts_terms`.execute(t.db.db)).rows.map((r) => r.term));
    for (const [word, term] of [
      ['Models', 'model'],
      ['running', 'run'],
      ['Quokkas', 'quokka'],
      ['Données', 'donne'],
      ['KV-cache', 'kv cach'],
    ] as const) {
      const r = await sql<{ t: string }>`select dp_terms(${word}) as t`.execute(t.db.db);
      expect(r.rows[0]!.t, word).toBe(term);
      for (const x of term.split(' ')) expect(vocab.has(x), x).toBe(true);
    }
    // Every query the stats send, to tell a count from a look-up.
    const sent: string[] = [];
    const spied = t.db.db.withPlugin({
      transformQuery: ({ node }) => {
        sent.push(JSON.stringify(node));
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const counted = () => sent.filter((q) => q.includes('papers_fts match')).length;
    const stats = new TermStats(spied, { vocabulary: true, vocabMin: 2 });
    await stats.warm();
    // In two papers or more: from the vocabulary, as many as counting finds.
    expect(await stats.frequency('"models"')).toBe(3);
    expect(await stats.frequency('"Quokka"')).toBe(2);
    expect(counted()).toBe(0);
    // In fewer, not one term, or no term at all: counted.
    expect(await stats.frequency('"données"')).toBe(1);
    expect(await stats.frequency('"kv cache"')).toBe(1);
    expect(await stats.frequency('"zzyzx"')).toBe(0);
    expect(counted()).toBe(3);
    // The same counts as a service without the vocabulary.
    const plain = new TermStats(t.db.db);
    for (const w of ['"models"', '"Quokka"', '"données"']) expect(await plain.frequency(w), w).toBe(await stats.frequency(w));
  });

  it('finds, ranks and counts the same papers with the words nested rarest first as with one flat AND', async () => {
    t = await searchDb('sqlite');
    await t.load([
      ...corpus(20).map((p) => p.record),
      // A paper with every word of the first query but in another category, and one that lacks one word.
      kaggleRecord({ id: '2502.00001', title: 'Nash equilibrium of player games', abstract: 'We study regret.', categories: 'cs.CV' }),
      kaggleRecord({ id: '2502.00002', title: 'Nash equilibrium of games', abstract: 'We study regret.', categories: 'cs.GT' }),
    ]);
    const nested = sqliteLexical(t.db.db, { dpBm25: true });
    const flat = sqliteLexical(t.db.db, { dpBm25: true, nest: false });
    const sent: string[] = [];
    const spied = sqliteLexical(
      t.db.db.withPlugin({
        transformQuery: ({ node }) => {
          sent.push(JSON.stringify(node));
          return node;
        },
        transformResult: async ({ result }) => result,
      }),
      { dpBm25: true },
    );
    for (const q of [
      'nash equilibrium player game',
      'nash equilibrium player game cat:cs.GT',
      'image segmentation pixel -depth',
      'token language translation "we study"',
      'game strategy regret author:example',
      'convergence payoff strategy minimax regret after:2025-01-10',
      'unknownword nash equilibrium',
    ]) {
      for (const sort of ['relevance', 'date', 'upvotes'] as const) {
        const req = { query: parseQuery(q), sort, limit: 5, offset: 0 };
        const a = await nested.search(req);
        expect(a, `${q} ${sort}`).toEqual(await flat.search(req));
        if (sort === 'relevance' && q === 'nash equilibrium player game') expect(a.ids.length, q).toBeGreaterThan(0);
      }
      await spied.search({ query: parseQuery(q), sort: 'relevance', limit: 5, offset: 0 });
    }
    // The nested form was the one searched.
    expect(sent.some((s) => s.includes('dpnone'))).toBe(true);
  });
});
