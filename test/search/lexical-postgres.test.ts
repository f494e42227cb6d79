// Lexical search on PostgreSQL with the RUM index and without it (the GIN + ts_rank_cd fallback):
// weights rank title > authors > abstract, filters and sorts agree with plain reference SQL on
// both paths, pages of the RUM ranking follow the `<=>` distance exactly, and a missing or invalid
// index is (re)built. The second block has 12,000 papers, past COUNT_CAP, so that the plans for
// many matches (date walk, RUM walk with filters, filters first) answer as well as those for few.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import type { Database } from '../../src/db/schema.js';
import { filterConditions, orderBy, whereAll } from '../../src/search/filters.js';
import { authorTsquery, postgresLexical, rankText, websearchText } from '../../src/search/lexical-postgres.js';
import { parseQuery, type Sort } from '../../src/search/query.js';
import { COUNT_CAP, RANK_WINDOW } from '../../src/search/types.js';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { PG_ADMIN_URL } from '../harness/db.js';
import { searchDb } from './harness.js';

const hasRum = async (db: Kysely<Database>) =>
  (await sql<{ ok: boolean }>`select exists (select 1 from pg_available_extensions where name = 'rum') as ok`.execute(db)).rows[0]?.ok === true;

/** What a query should return, by the plainest SQL (no plan tricks): the reference for both paths. */
async function reference(db: Kysely<Database>, q: string, sort: Sort, ranking: 'rum' | 'gin', limit: number, offset: number) {
  const query = parseQuery(q);
  const authors = authorTsquery(query);
  const words = sql`websearch_to_tsquery('english', ${websearchText(query)})`;
  const tsq = authors ? sql`(${words} && ${authors})` : words;
  const where = sql`s.tsv @@ ${tsq} and ${whereAll(filterConditions(query, 'postgres'))}`;
  const from = sql`paper_search s join papers p on p.id = s.paper_id left join featured fe on fe.paper_id = p.id`;
  // RUM: nearest first (see expectSameRanking for ties).
  const order: RawBuilder<unknown> = sort === 'relevance' && ranking === 'rum'
    ? sql`s.tsv <=> websearch_to_tsquery('english', ${rankText(query)}), s.paper_id`
    : orderBy(sort, sql`ts_rank_cd(s.tsv, ${tsq}) desc`);
  const rows = await db.transaction().execute(async (trx) => {
    // Read the distance from each row, not from the index under test.
    await sql`select set_config('enable_indexscan', 'off', true)`.execute(trx);
    return (await sql<{ id: string }>`select p.id from ${from} where ${where} order by ${order} limit ${limit} offset ${offset}`.execute(trx)).rows;
  });
  const n = (await sql<{ n: number }>`select count(*) as n from ${from} where ${where}`.execute(db)).rows[0]!.n;
  return { ids: rows.map((r) => r.id), total: Math.min(Number(n), COUNT_CAP) };
}

/** RUM's distance of each paper to the query's ranking words, computed from its row. */
async function distances(db: Kysely<Database>, q: string, ids: string[]) {
  const r = await sql<{ id: string; d: number }>`select s.paper_id as id, s.tsv <=> websearch_to_tsquery('english', ${rankText(parseQuery(q))}) as d
    from paper_search s where s.paper_id = any(${ids})`.execute(db);
  const d = new Map(r.rows.map((x) => [x.id, Number(x.d)]));
  return ids.map((id) => d.get(id)!);
}

/**
 * A RUM page against the reference: the same distances in the same order, and the same papers
 * except among those tied with the page's last distance (equal distances come in the index's
 * order, which the reference cannot reproduce).
 */
async function expectSameRanking(db: Kysely<Database>, q: string, got: { ids: string[]; total: number }, want: { ids: string[]; total: number }, label: string) {
  expect(got.total, label).toBe(want.total);
  const [dg, dw] = [await distances(db, q, got.ids), await distances(db, q, want.ids)];
  expect(dg, label).toEqual(dw);
  const last = dw.at(-1);
  const settled = (ids: string[], d: number[]) => new Set(ids.filter((_, i) => d[i] !== last));
  expect(settled(got.ids, dg), label).toEqual(settled(want.ids, dw));
}

describe.skipIf(!PG_ADMIN_URL)('PostgreSQL lexical search, RUM and GIN', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  beforeEach(async () => {
    t = await searchDb('postgres');
    await t.load([
      kaggleRecord({ id: '2501.00001', title: 'Nash Games on Graphs', abstract: 'Players move.', authors: 'Ann Author', authors_parsed: [['Author', 'Ann', '']] }),
      kaggleRecord({ id: '2501.00002', title: 'Routing Games', abstract: 'Flows settle.', authors: 'John Nash', authors_parsed: [['Nash', 'John', '']] }),
      kaggleRecord({ id: '2501.00003', title: 'Learning in Games', abstract: 'Play converges to a Nash equilibrium.', authors: 'Bo Writer', authors_parsed: [['Writer', 'Bo', '']] }),
      kaggleRecord({ id: '2501.00004', title: 'Image Models', abstract: 'Pixels, no equilibria.', authors: 'Cy Person', authors_parsed: [['Person', 'Cy', '']] }),
    ]);
    await t.load([hfItem({ paper: { id: '2501.00003', upvotes: 9, githubRepo: 'https://github.com/x/y' } })]);
  });
  afterEach(async () => t.close());

  it('ranks title, then authors, then abstract with RUM, as ts_rank_cd does without it', async () => {
    if (!(await hasRum(t.db.db))) return; // a server without postgresql-15-rum: the fallback test below covers it
    const rum = postgresLexical(t.db.db);
    expect(await rum.rum!.build()).toBe(true);
    expect(await rum.rum!.ready()).toBe(true);
    const valid = await sql<{ v: boolean }>`select indisvalid as v from pg_index where indexrelid = to_regclass('paper_search_rum')`.execute(t.db.db);
    expect(valid.rows[0]?.v).toBe(true);
    const gin = postgresLexical(t.db.db, { rum: false });
    for (const b of [rum, gin]) {
      const r = await b.search({ query: parseQuery('nash'), sort: 'relevance', limit: 10, offset: 0 });
      expect(r).toEqual({ ids: ['2501.00001', '2501.00002', '2501.00003'], total: 3 });
      expect((await b.search({ query: parseQuery('"nash equilibrium"'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00003']);
      expect((await b.search({ query: parseQuery('nash -graphs'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00002', '2501.00003']);
      expect((await b.search({ query: parseQuery('games has:code featured:yes'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00003']);
      expect((await b.search({ query: parseQuery('author:nash games'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00002']);
    }
  });

  it('answers from GIN and ts_rank_cd without RUM, and until the index is built', async () => {
    const gin = postgresLexical(t.db.db, { rum: false });
    expect(gin.rum).toBeNull();
    expect(await gin.search({ query: parseQuery('nash'), sort: 'relevance', limit: 10, offset: 0 })).toEqual({
      ids: ['2501.00001', '2501.00002', '2501.00003'],
      total: 3,
    });
    const idx = await sql<{ n: number }>`select count(*) as n from pg_indexes where indexname = 'paper_search_rum'`.execute(t.db.db);
    expect(Number(idx.rows[0]!.n)).toBe(0); // the fallback creates nothing
    // With RUM allowed but no index yet, a search does not wait for one.
    const pending = postgresLexical(t.db.db);
    expect(await pending.rum!.ready()).toBe(false);
    expect((await pending.search({ query: parseQuery('nash'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00001', '2501.00002', '2501.00003']);
  });

  it('rebuilds an index that an interrupted build left invalid', async () => {
    if (!(await hasRum(t.db.db))) return;
    expect(await postgresLexical(t.db.db).rum!.build()).toBe(true);
    // What CREATE INDEX CONCURRENTLY leaves when it is killed half-way.
    await sql`update pg_index set indisvalid = false where indexrelid = to_regclass('paper_search_rum')`.execute(t.db.db);
    const other = await connect(t.test.config); // another process: its own handle
    try {
      const b = postgresLexical(other.db);
      expect(await b.rum!.ready()).toBe(false);
      expect((await b.search({ query: parseQuery('nash'), sort: 'relevance', limit: 10, offset: 0 })).ids).toHaveLength(3);
      expect(await b.rum!.build()).toBe(true);
      expect(await b.rum!.ready()).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!PG_ADMIN_URL)('PostgreSQL lexical search past COUNT_CAP', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  let rumAvailable = false;
  beforeAll(async () => {
    t = await searchDb('postgres');
    // 12,000 papers, all about diffusion in networks; every 7th has it in the title, every 4th is
    // cs.LG, every 5th has code, every 40th is featured, every 3rd mentions a survey, 1 in 1,000
    // is math.AG; dates spread over four years.
    await sql`insert into papers (id, title, abstract, authors, categories, published_at, code_url, source, hash, created_at, modified_at)
      select format('24%s.%s', lpad((1 + i % 12)::text, 2, '0'), lpad(i::text, 5, '0')),
        case when i % 7 = 0 then 'Diffusion on networks' else format('Study %s of graphs', i) end,
        format('We measure diffusion in networks %s times.%s', i % 13, case when i % 3 = 0 then ' A survey.' else '' end),
        format('["Author %s", "%s"]', i % 97, case when i % 11 = 0 then 'Mei Zhang' else 'Bo Sample' end),
        case when i % 1000 = 0 then 'math.AG' when i % 4 = 0 then 'cs.LG' else 'cs.CV math.OC' end,
        to_char(date '2021-01-01' + (i * 7919) % 1460, 'YYYY-MM-DD') || 'T00:00:00.000Z',
        case when i % 5 = 0 then 'https://github.com/x/y' end, 'test', md5(i::text), '2025-01-01', '2025-01-01'
      from generate_series(1, 12000) i`.execute(t.db.db);
    await sql`insert into featured (paper_id, day, featured_at, upvotes, source, hash, created_at, modified_at)
      select id, '2025-01-01', '2025-01-01', (hashtext(id) & 255), 'test', 'h', '2025-01-01', '2025-01-01'
      from papers where right(id, 5)::int % 40 = 0`.execute(t.db.db);
    await sql`vacuum analyze`.execute(t.db.db); // the planner's statistics, as autovacuum would leave them
    rumAvailable = await hasRum(t.db.db);
    if (rumAvailable) expect(await postgresLexical(t.db.db).rum!.build()).toBe(true);
  }, 120_000);
  afterAll(async () => t?.close());

  const cases: Array<[string, Sort]> = [
    ['diffusion networks', 'relevance'],
    ['diffusion', 'date'],
    ['diffusion', 'upvotes'],
    ['diffusion -survey', 'date'],
    ['"diffusion on networks"', 'relevance'],
    ['diffusion cat:cs.LG', 'relevance'],
    ['diffusion cat:cs.LG', 'date'],
    ['diffusion cat:math.AG', 'relevance'], // an ILIKE few papers pass: the walk gives up, filters first
    ['survey cat:math.AG', 'relevance'], // the same with 4,000 text matches: walk them all
    ['diffusion after:2024-06-01 has:code', 'relevance'], // estimable and selective: filters first
    ['diffusion has:code', 'relevance'], // estimable, one in five: the walk
    ['diffusion featured:yes', 'relevance'],
    ['diffusion featured:no -survey', 'relevance'],
    ['diffusion author:zhang', 'relevance'],
    ['diffusion author:zhang', 'date'],
    ['networks 7 times', 'relevance'],
    ['diffusion survey 7', 'relevance'], // few matches of common words: found by GIN, scored from rows
    ['diffusion survey 7 has:code', 'relevance'],
  ];

  it.each(cases)('%s (sort=%s): the same pages and count as the reference SQL, RUM and GIN', async (q, sort) => {
    const backends = [
      ['gin', postgresLexical(t.db.db, { rum: false })],
      ...(rumAvailable ? [['rum', postgresLexical(t.db.db)] as const] : []),
    ] as const;
    for (const [ranking, backend] of backends) {
      if (ranking === 'rum') expect(await backend.rum!.ready()).toBe(true);
      for (const [limit, offset] of [[20, 0], [7, 7], [50, 2000]]) {
        const want = await reference(t.db.db, q, sort, ranking, limit!, offset!);
        const got = await backend.search({ query: parseQuery(q), sort, limit: limit!, offset: offset! });
        const label = `${ranking} ${q} ${sort} ${limit}@${offset}`;
        if (ranking === 'rum' && sort === 'relevance') await expectSameRanking(t.db.db, q, got, want, label);
        else expect(got, label).toEqual(want);
      }
    }
  }, 60_000);

  it('ranks words in most papers among their newest RANK_WINDOW matches with RUM, as SQLite does', async () => {
    if (!rumAvailable) return;
    const q = 'diffusion networks'; // every paper matches; a seventh have it in the title
    const got = await postgresLexical(t.db.db).search({ query: parseQuery(q), sort: 'relevance', limit: 20, offset: 0 });
    expect(got.total).toBe(COUNT_CAP);
    const newest = await sql<{ id: string }>`select id from papers order by published_at desc, id desc limit ${RANK_WINDOW}`.execute(t.db.db);
    const window = newest.rows.map((r) => r.id);
    expect(got.ids.filter((id) => !window.includes(id))).toEqual([]);
    const d = await distances(t.db.db, q, got.ids);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(d[0]).toBe(Math.min(...(await distances(t.db.db, q, window))));
    // The full ranking has older title matches as near: the window is what kept them out.
    const all = await reference(t.db.db, q, 'relevance', 'rum', 20, 0);
    expect(all.ids.some((id) => !window.includes(id))).toBe(true);
  });

  it('counts up to COUNT_CAP', async () => {
    const r = await postgresLexical(t.db.db, { rum: false }).search({ query: parseQuery('diffusion'), sort: 'date', limit: 1, offset: 0 });
    expect(r.total).toBe(COUNT_CAP);
  });
});
