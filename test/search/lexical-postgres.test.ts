// Lexical search on PostgreSQL (decision 0019): weights rank title > authors > abstract; the tag
// lexemes of migration 0010 follow papers and featured through inserts, updates and deletes; and
// pages and counts agree with plain reference SQL (every match, the filters of filters.ts, no
// month walk) on 12,000 papers over four years, past COUNT_CAP and RANK_WINDOW, for every sort.
import { type Kysely, sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/schema.js';
import { filterConditions, orderBy, whereAll } from '../../src/search/filters.js';
import { postgresLexical } from '../../src/search/lexical-postgres.js';
import { authorTsquery, tagQueryText, websearchText } from '../../src/search/tsquery.js';
import { parseQuery, type Sort } from '../../src/search/query.js';
import { addPendingPairs } from '../../src/search/maintenance.js';
import { COUNT_CAP, RANK_WINDOW } from '../../src/search/types.js';
import { hfItem, kaggleRecord } from '../fixtures/records.js';
import { PG_ADMIN_URL } from '../harness/db.js';
import { searchDb } from './harness.js';

/** paper_search's storage options (pg_class.reloptions), as text. */
async function tableOptions(db: Kysely<Database>): Promise<string> {
  return (await sql<{ o: string | null }>`select reloptions::text as o from pg_class where oid = 'paper_search'::regclass`.execute(db)).rows[0]!.o ?? '';
}

/**
 * What a query should return, by the plainest SQL: every match of the words (no tag lexemes),
 * filtered by filters.ts; relevance ranks the newest max(RANK_WINDOW, offset + limit) of them.
 */
async function reference(db: Kysely<Database>, q: string, sort: Sort, limit: number, offset: number) {
  const query = parseQuery(q);
  const authors = authorTsquery(query);
  const words = sql`websearch_to_tsquery('english', ${websearchText(query)})`;
  const tsq = authors ? sql`(${words} && ${authors})` : words;
  const where = sql`s.tsv @@ ${tsq} and ${whereAll(filterConditions(query, 'postgres'))}`;
  const from = sql`paper_search s join papers p on p.id = s.paper_id left join featured fe on fe.paper_id = p.id`;
  const rows =
    sort === 'relevance'
      ? await sql<{ id: string }>`with w as (select p.id, p.published_at, ts_rank_cd(s.tsv, ${words}) as r from ${from} where ${where}
        order by p.published_at desc, p.id desc limit ${Math.max(RANK_WINDOW, offset + limit)})
        select id from w order by r desc, published_at desc, id desc limit ${limit} offset ${offset}`.execute(db)
      : await sql<{ id: string }>`select p.id from ${from} where ${where} order by ${orderBy(sort, null)} limit ${limit} offset ${offset}`.execute(db);
  const n = (await sql<{ n: number }>`select count(*) as n from ${from} where ${where}`.execute(db)).rows[0]!.n;
  return { ids: rows.rows.map((r) => r.id), total: Math.min(Number(n), COUNT_CAP) };
}

describe('tag and month lexemes', () => {
  it('quotes lexemes so that no word of a query can produce them', () => {
    expect(tagQueryText(parseQuery('x cat:cs.CV cat:math.OC has:code featured:no'))).toBe("('cat cs.cv' | 'cat math.oc') & 'has code' & !'is featured'");
    expect(tagQueryText(parseQuery('x'))).toBeNull();
  });
});

describe.skipIf(!PG_ADMIN_URL)('PostgreSQL lexical search, small', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
  beforeEach(async () => {
    t = await searchDb('postgres');
    await t.load([
      kaggleRecord({
        id: '2501.00001',
        title: 'Nash Games on Graphs',
        abstract: 'Players move.',
        authors: 'Ann Author',
        authors_parsed: [['Author', 'Ann', '']],
      }),
      kaggleRecord({ id: '2501.00002', title: 'Routing Games', abstract: 'Flows settle.', authors: 'John Nash', authors_parsed: [['Nash', 'John', '']] }),
      kaggleRecord({
        id: '2501.00003',
        title: 'Learning in Games',
        abstract: 'Play converges to a Nash equilibrium.',
        authors: 'Bo Writer',
        authors_parsed: [['Writer', 'Bo', '']],
      }),
      kaggleRecord({
        id: '2501.00004',
        title: 'Image Models',
        abstract: 'Pixels, no equilibria.',
        authors: 'Cy Person',
        authors_parsed: [['Person', 'Cy', '']],
      }),
    ]);
    await t.load([hfItem({ paper: { id: '2501.00003', upvotes: 9, githubRepo: 'https://github.com/x/y' } })]);
  });
  afterEach(async () => t.close());

  it('ranks title, then authors, then abstract, and answers every operator', async () => {
    const b = postgresLexical(t.db.db);
    const s = (q: string) => b.search({ query: parseQuery(q), sort: 'relevance', limit: 10, offset: 0 });
    expect(await s('nash')).toEqual({ ids: ['2501.00001', '2501.00002', '2501.00003'], total: 3 });
    expect((await s('"nash equilibrium"')).ids).toEqual(['2501.00003']);
    expect((await s('nash -graphs')).ids).toEqual(['2501.00002', '2501.00003']);
    expect((await s('games has:code featured:yes')).ids).toEqual(['2501.00003']);
    expect((await s('games featured:no')).ids).toEqual(['2501.00002', '2501.00001']); // tied: newest, then highest id
    expect((await s('author:nash games')).ids).toEqual(['2501.00002']);
    expect((await s('games cat:cs.lg')).ids).toEqual(['2501.00003', '2501.00002', '2501.00001']);
    expect((await s('games cat:math.AG')).ids).toEqual([]);
    // A word that only a tag lexeme holds is not found: tags have a space, words never do.
    expect((await s('featured')).ids).toEqual([]);
  });

  it('finds phrases through the pairs of common words, and only adjacent words', async () => {
    await t.load([
      kaggleRecord({
        id: '2501.00005',
        title: 'Large Language Models Improve Reasoning',
        abstract: 'Reasoning of large models on a task.',
        authors: 'Di Author',
        authors_parsed: [['Author', 'Di', '']],
      }),
      kaggleRecord({
        id: '2501.00006',
        title: 'Models of Language',
        abstract: 'Large language tasks, models improve.',
        authors: 'Ed Author',
        authors_parsed: [['Author', 'Ed', '']],
      }),
    ]);
    const b = postgresLexical(t.db.db);
    const s = async (q: string) => (await b.search({ query: parseQuery(q), sort: 'relevance', limit: 10, offset: 0 })).ids;
    const tsv = async (id: string) => (await sql<{ v: string }>`select tsv::text as v from paper_search where paper_id = ${id}`.execute(t.db.db)).rows[0]!.v;
    const answers = async () => ({
      large: await s('"large language models"'), // 2501.00006 has the words, apart
      tasks: await s('"language tasks"'),
      improve: await s('"models improve" -reasoning'),
      reversed: await s('"models large"'),
      stop: await s('"reasoning of large models"'), // a stop word inside
      rare: await s('"nash equilibrium"'), // no pair: found by its words
      rareReversed: await s('"equilibrium nash"'),
    });
    const want = {
      large: ['2501.00005'],
      tasks: ['2501.00006'],
      improve: ['2501.00006'],
      reversed: [],
      stop: ['2501.00005'],
      rare: ['2501.00003'],
      rareReversed: [],
    };
    // Written by the trigger: no pairs yet, the tag says so, and phrases are answered all the same.
    expect(await tsv('2501.00005')).toContain("'pairs pending'");
    expect(await tsv('2501.00005')).not.toContain("'larg  languag'");
    expect(await answers()).toEqual(want);
    // The background job (after imports, every minute in serve) adds them.
    expect(await addPendingPairs(t.db)).toBe(6);
    expect(await addPendingPairs(t.db)).toBe(0);
    const v5 = await tsv('2501.00005');
    expect(v5).not.toContain("'pairs pending'");
    expect(v5).toContain("'larg  languag'");
    expect(v5).toContain("'model  improv'");
    expect(v5).not.toContain("'reason  larg'"); // "of" lies between: positions two apart
    expect(await tsv('2501.00003')).not.toContain("'nash  equilibrium'"); // rare words make no pair
    expect(await answers()).toEqual(want);
    // Every phrase's common pairs, AND-ed; none for one word, rare words or words apart.
    const pairs = async (phrases: string[]) =>
      (await sql<{ q: string | null }>`select paper_search_phrase_pairs(${phrases}::text[])::text as q`.execute(t.db.db)).rows[0]!.q;
    expect(await pairs(['large language models', 'vision-language tasks'])).toBe(
      "'languag  model' & 'larg  languag' & 'languag  task' & 'vision  languag' & 'vision-languag  vision'",
    );
    expect(await pairs(['state of the art', 'nash equilibria', 'model'])).toBeNull();
    await sql`update papers set title = 'Small Models' where id = '2501.00005'`.execute(t.db.db);
    expect(await tsv('2501.00005')).not.toContain("'larg  languag'");
    expect(await s('"large language models"')).toEqual([]);
    expect(await s('"small models"')).toEqual(['2501.00005']); // pending again
    expect(await addPendingPairs(t.db)).toBe(1);
    expect(await s('"small models"')).toEqual(['2501.00005']);
  });

  it('rebuilds the table with the pairs after a bulk import, the same as the batches would, keys and index included (decision 0024)', async () => {
    await t.load([
      kaggleRecord({ id: '2501.00005', title: 'Large Language Models Improve Reasoning', abstract: 'Reasoning of large models on a task.' }),
      kaggleRecord({ id: '2501.00006', title: 'Models of Language', abstract: 'Large language tasks, models improve.' }),
    ]);
    const b = postgresLexical(t.db.db);
    const s = async (q: string) => (await b.search({ query: parseQuery(q), sort: 'relevance', limit: 10, offset: 0 })).ids;
    const all = async () =>
      Object.fromEntries(
        (await sql<{ id: string; v: string }>`select paper_id as id, tsv::text as v from paper_search order by paper_id`.execute(t.db.db)).rows.map((r) => [
          r.id,
          r.v,
        ]),
      );
    const oid = async () => (await sql<{ o: number }>`select 'paper_search'::regclass::oid::int as o`.execute(t.db.db)).rows[0]!.o;
    // What the batch job would write: the pairs in place of the tag.
    const expected = Object.fromEntries(
      (
        await sql<{ id: string; v: string }>`select paper_id as id,
      (ts_delete(tsv, 'pairs pending'::text) || paper_search_pairs(tsv))::text as v from paper_search order by paper_id`.execute(t.db.db)
      ).rows.map((r) => [r.id, r.v]),
    );
    const before = { large: await s('"large language models"'), tasks: await s('"language tasks"'), nash: await s('nash -graphs') };
    const table = await oid();
    // While another process rebuilds (its advisory lock), this one leaves the pairs to it.
    await t.db.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(hashtext('dailypapers.paper_search_rebuild'))`.execute(conn);
      expect(await addPendingPairs(t.db, { rebuildAt: 3 })).toBe(0);
      await sql`select pg_advisory_unlock(hashtext('dailypapers.paper_search_rebuild'))`.execute(conn);
    });
    expect(await oid()).toBe(table);
    expect((await all())['2501.00005']).toContain("'pairs pending'");
    // Six papers, all pending: a bulk case when the threshold is 3.
    expect(await addPendingPairs(t.db, { rebuildAt: 3 })).toBe(6);
    const rebuilt = await oid();
    expect(rebuilt).not.toBe(table);
    expect(await all()).toEqual(expected);
    expect(expected['2501.00005']).toContain("'larg  languag'");
    expect({ large: await s('"large language models"'), tasks: await s('"language tasks"'), nash: await s('nash -graphs') }).toEqual(before);
    // The keys and the index, under their names.
    const names = (
      await sql<{ n: string }>`select conname as n from pg_constraint where conrelid = 'paper_search'::regclass
      union all select indexrelid::regclass::text from pg_index where indrelid = 'paper_search'::regclass order by 1`.execute(t.db.db)
    ).rows.map((r) => r.n);
    expect(names).toEqual(['paper_search_paper_id_fkey', 'paper_search_pkey', 'paper_search_pkey', 'paper_search_tsv_gin']);
    // Its rows keep their tsvector in line, as migration 0012 made them (decision 0025).
    expect(await tableOptions(t.db.db)).toContain('toast_tuple_target=8160');
    await sql`set enable_seqscan = off`.execute(t.db.db);
    const plan = (await sql<{ 'QUERY PLAN': string }>`explain select paper_id from paper_search where tsv @@ 'nash'::tsquery`.execute(t.db.db)).rows
      .map((r) => r['QUERY PLAN'])
      .join('\n');
    await sql`reset enable_seqscan`.execute(t.db.db);
    expect(plan).toContain('paper_search_tsv_gin');
    // The triggers still write to it, a paper's deletion still cascades, and a few new papers are
    // not a bulk case: the batches give them their pairs.
    await t.load([kaggleRecord({ id: '2501.00007', title: 'Large Language Agents', abstract: 'Agents.' })]);
    expect(await addPendingPairs(t.db, { rebuildAt: 1 })).toBe(1);
    expect(await oid()).toBe(rebuilt); // one pending paper of seven: no rebuild
    expect((await all())['2501.00007']).toContain("'larg  languag'");
    await sql`delete from papers where id = '2501.00007'`.execute(t.db.db);
    expect((await all())['2501.00007']).toBeUndefined();
    expect(await addPendingPairs(t.db, { rebuildAt: 3 })).toBe(0);
  });

  it("keeps each paper's tsvector in its row, not in the TOAST table (decision 0025)", async () => {
    // A tsvector of about 3 KB: PostgreSQL's default would move it out of line, uncompressed.
    const words = Array.from({ length: 150 }, (_, i) => `term${i.toString(36)}x${(i * 7919).toString(36)}`).join(' ');
    await t.load([kaggleRecord({ id: '2501.00009', title: 'A Long Abstract', abstract: words })]);
    const r = await sql<{ size: number; toast: number }>`select pg_column_size(tsv) as size,
      (select pg_relation_size(reltoastrelid) from pg_class where oid = 'paper_search'::regclass)::int as toast
      from paper_search where paper_id = '2501.00009'`.execute(t.db.db);
    expect(r.rows[0]!.size).toBeGreaterThan(2500);
    expect(r.rows[0]!.size).toBeLessThan(8000);
    expect(r.rows[0]!.toast).toBe(0);
    expect(await tableOptions(t.db.db)).toContain('toast_tuple_target=8160');
    const b = postgresLexical(t.db.db);
    expect((await b.search({ query: parseQuery('"long abstract" term0x0'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00009']);
    await sql`delete from papers where id = '2501.00009'`.execute(t.db.db);
  });

  it('keeps the tag lexemes in step with papers and featured', async () => {
    const tsv = async () => (await sql<{ v: string }>`select tsv::text as v from paper_search where paper_id = '2501.00002'`.execute(t.db.db)).rows[0]!.v;
    expect(await tsv()).toContain("'cat cs.lg'");
    expect(await tsv()).not.toContain("'is featured'");
    await t.load([hfItem({ paper: { id: '2501.00002', upvotes: 2 } })]);
    expect(await tsv()).toContain("'is featured'");
    await sql`update papers set categories = 'math.OC', code_url = 'https://example.org/code', published_at = '2024-03-01T00:00:00Z' where id = '2501.00002'`.execute(
      t.db.db,
    );
    const v = await tsv();
    expect(v).toContain("'cat math.oc'");
    expect(v).not.toContain("'cat cs.lg'");
    expect(v).toContain("'has code'");
    expect(v).toContain("'ym 2024-03'");
    expect(v).toContain("'rout':1A");
    await sql`delete from featured where paper_id = '2501.00002'`.execute(t.db.db);
    expect(await tsv()).not.toContain("'is featured'");
    const b = postgresLexical(t.db.db);
    expect((await b.search({ query: parseQuery('routing cat:math.oc has:code'), sort: 'relevance', limit: 10, offset: 0 })).ids).toEqual(['2501.00002']);
  });
});

describe.skipIf(!PG_ADMIN_URL)('PostgreSQL lexical search past COUNT_CAP', () => {
  let t: Awaited<ReturnType<typeof searchDb>>;
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
    // Half the papers get their word pairs, half wait for them: phrases must find both.
    await sql`select paper_search_add_pairs(6000)`.execute(t.db.db);
    await sql`vacuum analyze`.execute(t.db.db); // the planner's statistics, as autovacuum would leave them
  }, 120_000);
  afterAll(async () => t?.close());

  const cases: Array<[string, Sort]> = [
    ['diffusion networks', 'relevance'],
    ['diffusion', 'date'],
    ['diffusion', 'upvotes'],
    ['diffusion -survey', 'date'],
    ['"diffusion on networks"', 'relevance'],
    ['"diffusion on networks"', 'upvotes'],
    ['diffusion cat:cs.LG', 'relevance'],
    ['diffusion cat:cs.LG', 'date'],
    ['diffusion cat:math.AG', 'relevance'], // few papers pass: the walk reads every month
    ['survey cat:math.AG', 'relevance'],
    ['diffusion after:2024-06-01 has:code', 'relevance'],
    ['diffusion before:2022-03-15 cat:cs.lg', 'date'],
    ['diffusion has:code', 'relevance'],
    ['diffusion featured:yes', 'relevance'],
    ['diffusion featured:no -survey', 'relevance'],
    ['diffusion author:zhang', 'relevance'],
    ['diffusion author:zhang', 'date'],
    ['diffusion author:"mei zhang"', 'relevance'],
    ['networks 7 times', 'relevance'],
    ['diffusion survey 7', 'relevance'],
    ['diffusion survey 7 has:code', 'relevance'],
    ['"measure diffusion" cat:cs.LG', 'relevance'], // a phrase of common words: its pair drives the walk
    ['"networks 7 times" survey', 'date'],
    ['"diffusion measure"', 'relevance'], // its words everywhere, never in that order
    ['"study 12 of graphs"', 'relevance'], // rare words, no pair
  ];

  it.each(cases)(
    '%s (sort=%s): the same pages as the reference SQL, and its count or a close estimate',
    async (q, sort) => {
      const backend = postgresLexical(t.db.db);
      for (const [limit, offset] of [
        [20, 0],
        [7, 7],
        [50, 2000],
      ]) {
        const want = await reference(t.db.db, q, sort, limit!, offset!);
        const got = (await backend.search({ query: parseQuery(q), sort, limit: limit!, offset: offset! })) as {
          ids: string[];
          total: number;
          approximate?: boolean;
        };
        const label = `${q} ${sort} ${limit}@${offset}`;
        expect(got.ids, label).toEqual(want.ids);
        if (got.approximate) {
          // Estimated from the months walked: within a fifth of the true count (dates are uniform here).
          expect(Math.abs(got.total - want.total), label).toBeLessThanOrEqual(want.total / 5);
        } else expect(got.total, label).toBe(want.total);
      }
    },
    60_000,
  );

  it('counts rare matches exactly, by reading every month', async () => {
    const r = await postgresLexical(t.db.db).search({ query: parseQuery('diffusion cat:math.AG'), sort: 'relevance', limit: 5, offset: 0 });
    expect(r).toMatchObject({ total: 12 });
    expect((r as { approximate?: boolean }).approximate).toBeUndefined();
  });

  it('finds papers without a date', async () => {
    await sql`update papers set published_at = null where id = '2401.12000'`.execute(t.db.db);
    try {
      const r = await postgresLexical(t.db.db).search({ query: parseQuery('diffusion cat:math.AG'), sort: 'date', limit: 20, offset: 0 });
      expect(r.ids).toContain('2401.12000');
    } finally {
      await sql`update papers set published_at = to_char(date '2021-01-01' + (12000 * 7919) % 1460, 'YYYY-MM-DD') || 'T00:00:00.000Z' where id = '2401.12000'`.execute(
        t.db.db,
      );
    }
  });
});
