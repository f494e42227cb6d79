// dp_bm25 (src/search/native/dp_bm25.c, built by npm install) ranks as FTS5's bm25() does, from
// document frequencies the service counts once (TermStats) instead of on every query.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { matchPlan, sqliteLexical, TermStats } from '../../src/search/lexical-sqlite.js';
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
      const idfs = await stats.idfs(plan);
      const theirs = await sql<{ rowid: number; s: number }>`select rowid, bm25(papers_fts, 10.0, 4.0, 1.0, 0.0) as s
        from papers_fts where papers_fts match ${plan.expr} order by rowid`.execute(t.db.db);
      const ours = await sql<{ rowid: number; s: number }>`select rowid, dp_bm25(papers_fts, 10.0, 4.0, 1.0, 0.0, ${sql.join(idfs.map((x) => sql`${x}`))}) as s
        from papers_fts where papers_fts match ${plan.expr} order by rowid`.execute(t.db.db);
      expect(theirs.rows.length, q).toBeGreaterThan(0);
      expect(
        ours.rows.map((r) => r.rowid),
        q,
      ).toEqual(theirs.rows.map((r) => r.rowid));
      ours.rows.forEach((r, i) => {
        expect(r.s, q).toBeCloseTo(theirs.rows[i]!.s, 9);
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

  it('keeps a count until the papers have grown by more than 1 %', async () => {
    t = await searchDb('sqlite');
    await t.load(Array.from({ length: 100 }, (_, i) => kaggleRecord({ id: `2501.${String(10000 + i)}`, title: i < 10 ? 'Quokka' : 'Wombat' })));
    const stats = new TermStats(t.db.db, 100, 0);
    expect(await stats.frequency('"quokka"')).toBe(10);
    await t.load([kaggleRecord({ id: '2501.20000', title: 'Quokka' })]); // 1 % more: kept
    expect(await stats.frequency('"quokka"')).toBe(10);
    await t.load([kaggleRecord({ id: '2501.20001', title: 'Quokka' })]); // past 1 %: counted again
    expect(await stats.frequency('"quokka"')).toBe(12);
  });
});
