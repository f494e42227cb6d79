// A paper page's similar papers, kept for every instance (search/kept-similar.ts, migration 0024):
// computed once, then read back by any instance on the database until a day has passed or the
// model changed; a deleted paper's list goes with it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { createSearch, type SearchService } from '../../src/search/index.js';
import { keepSimilarAhead, keptSimilar, NEIGHBOURS_MAX_AGE_MS } from '../../src/search/kept-similar.js';
import { insertFeatured } from '../../src/store/votes.js';
import { DIALECTS } from '../harness/db.js';
import { corpus } from './corpus.js';
import { searchDb } from './harness.js';

/** The real service, counting the lists it computes. */
function counted(s: SearchService) {
  const calls = { similar: 0 };
  const wrapped: SearchService = {
    ...s,
    similar: (id, limit) => {
      calls.similar++;
      return s.similar(id, limit);
    },
  };
  return { service: wrapped, calls };
}

describe.each(DIALECTS)('similar papers kept across instances (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  let other: Db;
  let a: ReturnType<typeof counted>;
  let b: ReturnType<typeof counted>;
  beforeAll(async () => {
    t = await searchDb(dialect);
    await t.load(corpus(10).map((d) => d.record));
    a = counted(createSearch({ db: t.db, config: t.config }));
    await a.service.embedPending();
    // A second instance: its own connection and search service on the same database.
    other = dialect === 'sqlite' ? t.db : await connect(t.config.database);
    b = counted(createSearch({ db: other, config: t.config }));
  });
  afterAll(async () => {
    if (other !== t.db) await other.close();
    await t.close();
  });

  it('computes a list once, and every instance reads it back for a day', async () => {
    const now = new Date('2026-12-05T10:00:00Z');
    const first = await keptSimilar(a.service, t.db.db, '2501.10003', 5, now);
    expect(first.hits).toHaveLength(5);
    expect(a.calls.similar).toBe(1);
    const fromB = await keptSimilar(b.service, other.db, '2501.10003', 5, new Date(now.getTime() + 3600_000));
    expect(b.calls.similar).toBe(0);
    expect(fromB.hits.map((h) => h.paper.id)).toEqual(first.hits.map((h) => h.paper.id));
    // A day later it is computed again (papers that arrived since may belong in it).
    await keptSimilar(b.service, other.db, '2501.10003', 5, new Date(now.getTime() + NEIGHBOURS_MAX_AGE_MS + 1));
    expect(b.calls.similar).toBe(1);
  });

  it("computes again a list of another model, and drops a deleted paper's list", async () => {
    await sql`update paper_neighbours set model = 'another-model'`.execute(t.db.db);
    const now = new Date();
    await keptSimilar(a.service, t.db.db, '2501.10003', 5, now);
    expect(a.calls.similar).toBe(2);
    await keptSimilar(a.service, t.db.db, '2501.10003', 5, now);
    expect(a.calls.similar).toBe(2);
    await sql`delete from papers where id = '2501.10003'`.execute(t.db.db);
    const { rows } = await sql<{ n: number }>`select count(*) as n from paper_neighbours where paper_id = '2501.10003'`.execute(t.db.db);
    expect(Number(rows[0]!.n)).toBe(0);
  });
  it("computes ahead the lists of the latest featured days' papers, once, and leaves older days alone", async () => {
    await sql`delete from paper_neighbours`.execute(t.db.db);
    // Three papers featured today, one eight days before: only today's are a visitor's next click.
    for (const id of ['2501.10001', '2501.10002', '2501.11001']) await insertFeatured(t.db.db, id, '2026-12-05', 'pick');
    await insertFeatured(t.db.db, '2501.12001', '2026-11-27', 'pick');
    const now = new Date('2026-12-05T10:00:00Z');
    const before = a.calls.similar;
    expect(await keepSimilarAhead(a.service, t.db.db, { now, max: 2 })).toBe(2);
    expect(await keepSimilarAhead(a.service, t.db.db, { now })).toBe(1);
    expect(a.calls.similar - before).toBe(3);
    const { rows } = await sql<{ paper_id: string }>`select paper_id from paper_neighbours order by paper_id`.execute(t.db.db);
    expect(rows.map((r) => r.paper_id)).toEqual(['2501.10001', '2501.10002', '2501.11001']);
    // Kept: another instance finds nothing to do, and a page reads the list without computing it.
    expect(await keepSimilarAhead(b.service, other.db, { now })).toBe(0);
    const page = await keptSimilar(b.service, other.db, '2501.11001', 5, now);
    expect(page.hits).toHaveLength(5);
    expect(b.calls.similar).toBe(1); // the one of the first test, a day later
    // Stopped between two papers: nothing more is computed.
    await sql`delete from paper_neighbours`.execute(t.db.db);
    expect(await keepSimilarAhead(a.service, t.db.db, { now, stopped: () => true })).toBe(0);
  });
});
