// SQLite's full-text index in publication order with the filters inside it (migration 0008): the
// rank window holds the newest papers by date whatever order they arrived in, after:/before: are
// exact at day boundaries, cat:/has:code/featured: agree with the plain SQL filters as papers
// change, and a database from before the migration keeps its papers, index and vectors.
import { type Migration, Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.js';
import { createSearch } from '../../src/search/index.js';
import { RANK_WINDOW } from '../../src/search/lexical-sqlite.js';
import { parseQuery } from '../../src/search/query.js';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { createTestDatabase } from '../harness/db.js';
import { corpus } from './corpus.js';
import { searchDb } from './harness.js';

const gmt = (iso: string) => new Date(iso).toUTCString();
const paper = (id: string, created: string, extra: Record<string, unknown> = {}) =>
  kaggleRecord({ id, versions: [{ version: 'v1', created: gmt(created) }], ...extra });

describe('SQLite search order and filters (migration 0008)', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  afterEach(async () => t?.close());

  it('ranks the newest papers by date even when old ones arrive last', async () => {
    t = await searchDb('sqlite');
    const n = RANK_WINDOW + 200;
    // Newest first: paper 0 is dated last, and a backfill of older papers follows it.
    const day = (i: number) => new Date(Date.UTC(2025, 0, 1) - i * 3_600_000).toISOString();
    await t.load(
      Array.from({ length: n }, (_, i) =>
        paper(`2501.${String(10000 + i)}`, day(i), {
          title: i === 0 || i === n - 1 ? 'Frobnication' : `Paper ${i}`,
          abstract: `We study frobnication number ${i}.`,
        }),
      ),
    );
    const s = createSearch({ db: t.db, config: t.config });
    const r = await s.search({ q: 'frobnication', mode: 'lexical', limit: 10 });
    expect(r.total).toBe(n);
    expect(r.hits[0]!.paper.id).toBe('2501.10000'); // the newest, a title match
    expect(r.hits.map((h) => h.paper.id)).not.toContain(`2501.${10000 + n - 1}`); // the oldest: outside the window
    const byDate = await s.search({ q: 'frobnication', mode: 'lexical', sort: 'date', limit: 100, page: 12 });
    expect(byDate.hits.map((h) => h.paper.id)).toEqual(Array.from({ length: 100 }, (_, i) => `2501.${10000 + 1100 + i}`));
  });

  it('keeps after:/before: exact at day boundaries, also for more papers in a second than it has keys', async () => {
    t = await searchDb('sqlite');
    const records = [
      paper('2501.00001', '2025-01-01T00:00:00Z'),
      paper('2501.00002', '2025-01-01T23:59:59Z'),
      paper('2501.00003', '2025-01-02T00:00:00Z'),
      // 1,500 papers dated by their day only: midnight, past the 1024 keys of that second.
      ...Array.from({ length: 1500 }, (_, i) => paper(`2501.${String(20000 + i)}`, '2025-01-03T00:00:00Z')),
      paper('2501.00004', '2025-01-03T23:59:59Z'),
      paper('2501.00005', '2025-01-04T00:00:00Z'),
    ];
    await t.load(records);
    await t.load([paper('2501.00006', '2025-01-03T00:00:00Z')]); // one more at the full midnight, later
    const s = createSearch({ db: t.db, config: t.config });
    const ids = async (q: string) => {
      const r = await s.lexical.search({ query: parseQuery(q), sort: 'date', limit: 5000, offset: 0 });
      return r.ids;
    };
    expect((await ids('games before:2025-01-02')).sort()).toEqual(['2501.00001', '2501.00002']);
    expect(await ids('games after:2025-01-02 before:2025-01-03')).toEqual(['2501.00003']);
    const third = await ids('games after:2025-01-03 before:2025-01-04');
    expect(third).toHaveLength(1502);
    expect(third[0]).toBe('2501.00004');
    expect(third).toContain('2501.00006');
    expect(await ids('games after:2025-01-04')).toEqual(['2501.00005']);
    // Every key lies in its paper's day.
    const rows = await sql<{ doc_id: number; published_at: string }>`select d.doc_id, p.published_at from search_doc d
      join papers p on p.id = d.paper_id`.execute(t.db.db);
    for (const r of rows.rows) expect(Math.floor(r.doc_id / 1024 / 86400)).toBe(Math.floor(Date.parse(r.published_at) / 86_400_000));
  });

  it('answers cat:, has:code and featured: from the index as the SQL filters do, as papers change', async () => {
    t = await searchDb('sqlite');
    const cats = ['cs.CV cs.LG', 'hep-th', 'cs.LG', 'math.OC cs.CV', 'q-bio.NC'];
    await t.load(
      Array.from({ length: 60 }, (_, i) =>
        paper(`2502.${String(10000 + i)}`, `2025-02-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`, {
          categories: cats[i % cats.length],
          abstract: `Widgets number ${i}.`,
        }),
      ),
    );
    // Hugging Face features some of them; its items carry code links.
    await t.load(
      Array.from({ length: 12 }, (_, i) =>
        hfItem({ paper: { id: `2502.${String(10000 + i * 5)}`, upvotes: i, githubRepo: i % 2 ? 'https://github.com/x/y' : undefined } }),
      ),
    );
    const s = createSearch({ db: t.db, config: t.config });
    const check = async () => {
      for (const f of [
        'cat:cs.CV',
        'cat:hep-th',
        'cat:q-bio.NC',
        'cat:cs.LG cat:math.OC',
        'cat:cs',
        'has:code',
        'featured:yes',
        'featured:no',
        'has:code featured:yes cat:cs.CV',
      ]) {
        for (const sort of ['date', 'upvotes'] as const) {
          for (const [offset, limit] of [
            [0, 100],
            [3, 4],
            [10, 5],
          ] as const) {
            const viaIndex = await s.lexical.search({ query: parseQuery(`widgets ${f}`), sort, limit, offset });
            // Filters alone take the plain SQL path (no text to match).
            const viaSql = await s.lexical.search({ query: parseQuery(f), sort, limit, offset });
            expect(viaIndex.ids, `${f} ${sort} ${offset}`).toEqual(viaSql.ids);
            expect(viaIndex.total, `${f} ${sort} ${offset}`).toBe(viaSql.total);
          }
        }
      }
    };
    await check();
    expect((await s.lexical.search({ query: parseQuery('widgets has:code'), sort: 'date', limit: 100, offset: 0 })).total).toBe(6);
    // Papers change: a code link added, a category moved, a featured row removed and one added.
    await t.db.db.updateTable('papers').set({ code_url: 'https://github.com/a/b', categories: 'hep-th' }).where('id', '=', '2502.10001').execute();
    await t.db.db.deleteFrom('featured').where('paper_id', '=', '2502.10005').execute();
    await t.load([hfItem({ paper: { id: '2502.10002', upvotes: 1 } })]);
    await check();
    expect((await s.lexical.search({ query: parseQuery('widgets has:code'), sort: 'date', limit: 100, offset: 0 })).ids).toContain('2502.10001');
  });

  it('moves a paper whose date changes, and drops its vector until the next embedding pass', async () => {
    t = await searchDb('sqlite');
    const papers = corpus(10);
    await t.load(papers.map((p) => p.record));
    const [moved, other] = [papers[0]!.record.id as string, papers[1]!.record.id as string];
    const s = createSearch({ db: t.db, config: t.config });
    await s.embedPending();
    const model = (await s.embedder())!.model;
    const vectors = await s.vectors();
    // The vector side alone (similar papers also fuse in the words, which do not move).
    const near = async () => (await vectors.nearest(model, (await vectors.vectorOf(model, other))!, 30, other)).map((n) => n.id);
    expect(await near()).toContain(moved);
    await t.db.db.updateTable('papers').set({ published_at: '2026-03-05T10:00:00.000Z' }).where('id', '=', moved).execute();
    const after = await s.lexical.search({ query: parseQuery('we after:2026-03-03'), sort: 'date', limit: 10, offset: 0 });
    expect(after.ids).toEqual([moved]);
    expect(await vectors.vectorOf(model, moved)).toBeNull();
    expect(await near()).not.toContain(moved);
    await s.embedPending();
    expect(await vectors.vectorOf(model, moved)).not.toBeNull();
    expect(await near()).toContain(moved);
  });

  it("migrates a database from before it: keys by date, the index rebuilt, each vector still its paper's", async () => {
    const test = await createTestDatabase('sqlite');
    const db = await connect(test.config);
    try {
      const older = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < '0008'));
      const provider = {
        getMigrations: async () => Object.fromEntries(Object.entries(older).map(([name, m]) => [name, { up: (k) => m.up(k, 'sqlite') } as Migration])),
      };
      const { error } = await new Migrator({
        db: db.db,
        provider,
        migrationTableName: 'schema_migration',
        migrationLockTableName: 'schema_migration_lock',
      }).migrateToLatest();
      expect(error).toBeUndefined();
      // Arrival order is the reverse of date order. Rows as the schema of then holds them (the
      // importer of today writes columns of later migrations).
      for (const [id, at, title] of [
        ['2504.00003', '2025-04-03T10:00:00.000Z', 'Gizmo three'],
        ['2504.00002', '2025-04-02T10:00:00.000Z', 'Gizmo two'],
        ['2504.00001', '2025-04-01T10:00:00.000Z', 'Gizmo one'],
      ] as const) {
        await sql`insert into papers (id, version, title, abstract, authors, categories, published_at, updated_at, withdrawn, source, hash, created_at, modified_at)
          values (${id}, 1, ${title}, 'An abstract.', '["Ada Example"]', 'cs.LG', ${at}, ${at}, 0, 'kaggle', ${id}, ${at}, ${at})`.execute(db.db);
      }
      const vectors = [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ];
      const docs = await sql<{ doc_id: number; paper_id: string }>`select doc_id, paper_id from search_doc order by paper_id`.execute(db.db);
      for (const [i, d] of docs.rows.entries()) {
        await sql`insert into paper_embedding(doc_id, model, seq, vec) values (${d.doc_id}, 'm', 1, ${Buffer.from(new Float32Array(vectors[i]!).buffer)})`.execute(
          db.db,
        );
      }
      expect(await migrateToLatest(db.db, 'sqlite')).toContain('0008_search_order');
      const moved = await sql<{ paper_id: string; vec: Uint8Array }>`select d.paper_id, e.vec from paper_embedding e
        join search_doc d on d.doc_id = e.doc_id order by d.paper_id`.execute(db.db);
      expect(moved.rows.map((r) => [r.paper_id, [...new Float32Array(new Uint8Array(r.vec).buffer)]])).toEqual(
        docs.rows.map((d, i) => [d.paper_id, vectors[i]]),
      );
      const keys = await sql<{ paper_id: string }>`select paper_id from search_doc order by doc_id`.execute(db.db);
      expect(keys.rows.map((r) => r.paper_id)).toEqual(['2504.00001', '2504.00002', '2504.00003']);
      const hits = await sql<{ rowid: number }>`select rowid from papers_fts where papers_fts match 'gizmo' order by rowid desc`.execute(db.db);
      expect(hits.rows).toHaveLength(3);
      const epoch = await sql<{ value: string }>`select value from meta where key = 'search.vector_epoch'`.execute(db.db);
      expect(epoch.rows[0]?.value).toBeDefined();
    } finally {
      await db.close();
      await test.drop();
    }
  });
});
