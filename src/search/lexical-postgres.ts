// Lexical search on PostgreSQL: the weighted tsvector of paper_search, websearch_to_tsquery (never
// raises on user input), ts_rank_cd (https://www.postgresql.org/docs/15/textsearch-controls.html),
// answered the way SQLite answers (lexical-sqlite.ts): relevance ranks the newest RANK_WINDOW
// matches, sort=date reads the newest page, only what a page needs is read. Decision 0019.
//
// The tsvector holds, besides the words, lexemes for the filters and the publication month
// (migration 0010: 'cat cs.cv', 'has code', 'is featured', 'ym 2026-11'). cat:, has:code and
// featured: are part of the tsquery, so GIN intersects them with the words, and the newest matches
// are found by walking back through the months: each step is one GIN query AND-ed with the step's
// month lexemes, which GIN drives from those short posting lists (a month is a few thousand papers)
// where the words alone may have hundreds of thousands. A step counts all its matches but scores
// only the newest the page still needs (ts_rank_cd costs ~5 us a paper; the tsvector is in the
// row, decision 0025). A phrase also brings its word pairs (migration 0011, decision 0020), so that GIN finds the papers where its
// words are adjacent instead of every paper that has them.
//
// Counts: exact when the walk reached the oldest month (every match was read), otherwise an
// estimate from the walked months, marked approximate: an exact count of a common phrase rechecks
// tens of thousands of rows, most of the cost of a search at a million papers.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { filterConditions, orderBy, whereAll } from './filters.js';
import { MOST_RERANK, mostWords, rankingWords } from './lexical-most.js';
import { contentWords, hasText, type ParsedQuery, type Sort, wordsOf } from './query.js';
import { authorTsquery, excludedTsquery, lexeme, tagQueryText, websearchText } from './tsquery.js';
import { COUNT_CAP, type LexicalBackend, type LexicalRequest, type LexicalResult, RANK_WINDOW } from './types.js';

interface Row {
  id: string;
  published_at: string | null;
  score: number;
  upvotes: number;
}

/** Newest first, as filters.ts orders (published_at desc, id desc); papers without a date last. */
const byDate = (a: Row, b: Row) =>
  (a.published_at ?? '') < (b.published_at ?? '') ? 1 : (a.published_at ?? '') > (b.published_at ?? '') ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

/**
 * A step of the walk spans at most this many months; past it the rest is read at once, by the
 * words alone: an OR of many month lexemes makes GIN read all their posting lists.
 */
const MAX_STEP = 6;

/**
 * The planner takes a query's words as independent, so an AND of related words ("reinforcement
 * learning verifiable rewards") is under-estimated several-fold: the words alone are read at
 * once, before any step, only when it expects at most need / UNDER_ESTIMATE matches. At 2,
 * keyword triples with ~5,000 matches are read whole for a window of 1,000; at a million papers
 * the lexical side takes p50 13.8-15.1 / p99 69-93 ms at 2 and 12.1-13.0 / 55-63 ms at 8 (at 32
 * the same; never reading at once is worse: p50 14.8, triples 21 ms).
 */
const UNDER_ESTIMATE = 8;

/** bm25's term saturation and length normalisation, as FTS5's (and dp_bm25's). */
const K1 = 1.2;
const B = 0.75;
/** A title occurrence counts as this many of the abstract, as FTS5's column weights (lexical-sqlite.ts). */
const TITLE_WEIGHT = 10;
/** The sum of 1 / i^2 over every i (pi^2 / 6): ts_rank's divisor (tsrank.c). */
const H2_INF = 1.64493406685;

/** Past this many papers in the walked months, their number is the planner's estimate. */
const RECENT_CAP = 50_000;

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

export function postgresLexical(db: Kysely<Database>): LexicalBackend {
  const papers = sql`papers p left join featured fe on fe.paper_id = p.id`;
  let span: { list: string[]; at: number } = { list: [], at: -Infinity };
  /** Papers in all ('') and since a month's start, for count estimates: at most one per month. */
  const papersCache = new Map<string, { n: number; at: number }>();

  async function remember(cache: Map<string, { n: number; at: number }> | null, key: string, read: () => Promise<number>): Promise<number> {
    const hit = cache?.get(key);
    if (hit && Date.now() - hit.at < 30_000) return hit.n;
    const n = await read();
    cache?.set(key, { n, at: Date.now() });
    return n;
  }

  /**
   * The months that have papers, newest first: a walk down papers_published_at that jumps from
   * each month to the one before (one index probe a month), re-read every 30 seconds.
   */
  async function months(): Promise<string[]> {
    if (Date.now() - span.at > 30_000) {
      const r = await sql<{ ym: string }>`with recursive m(ym) as (
          select substr(max(published_at), 1, 7) from papers
          union all
          select (select substr(max(published_at), 1, 7) from papers where published_at < m.ym || '-01') from m where m.ym is not null)
        select ym from m where ym is not null`.execute(db);
      span = { list: r.rows.map((x) => x.ym), at: Date.now() };
    }
    return span.list;
  }

  /** The planner's row estimate for a statement (a plan only: nothing is read). */
  async function estimate(statement: RawBuilder<unknown>): Promise<number> {
    const r = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${statement}`.execute(db);
    const plan = r.rows[0]?.['QUERY PLAN'];
    const doc = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
    return Number(doc?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  /**
   * The matches of `tsq` (plus `conditions` on the paper) newest first, at least `need` of them
   * when there are: month by month from the newest, a step of several months at once when the
   * matches are expected to be sparse. Returns the newest `need` matches, the count of every match
   * in the months walked, and whether the walk reached the end (then the count is exact).
   */
  async function walk(
    params: RawBuilder<unknown>,
    conditions: RawBuilder<unknown>[],
    need: number,
    score: RawBuilder<unknown>,
    list: string[],
    expected: number,
  ) {
    const total = list.length;
    const rows: Row[] = [];
    const walked: string[] = [];
    const join = conditions.length > 0;
    let done = false;
    let counted = 0;
    while (!done) {
      // The step: enough months for what is still needed at the rate seen so far (or, before any,
      // the planner's estimate), at most MAX_STEP. When the matches expected in the months left
      // are few, the rest is read at once instead.
      const rate = walked.length ? counted / walked.length : expected / total;
      const want = Math.max(1, Math.ceil((need - rows.length) / Math.max(rate, 1e-9)));
      const left = total - walked.length;
      const step = Math.min(want, MAX_STEP);
      // Few matches left: read them all at once; judged from the planner's estimate before the
      // first step, then from the rate seen once a full step has been walked (a month alone, the
      // newest one half over, says little).
      const rest = walked.length === 0 ? expected <= need / UNDER_ESTIMATE : walked.length >= MAX_STEP && rate * left <= 2 * need;
      let where: RawBuilder<unknown>;
      if (rest || step >= left) {
        // The rest, to the oldest month, and papers without a date: the words alone (many month
        // lexemes OR-ed cost GIN more than they save), less the months already walked.
        where = walked.length ? sql`s.tsv @@ ${params} and (s.published_at < ${`${walked.at(-1)!}-01`} or s.published_at is null)` : sql`s.tsv @@ ${params}`;
        walked.push(...list.slice(walked.length));
        done = true;
      } else {
        const months = list.slice(walked.length, walked.length + step);
        where = sql`s.tsv @@ (${params} && ${`(${months.map((m) => lexeme(`ym ${m}`)).join(' | ')})`}::tsquery)`;
        walked.push(...months);
      }
      // Every match of the step is read and counted, but only the newest still needed are scored:
      // the steps go back in time, so those are the ones the page may need, and ts_rank_cd costs
      // ~5 us a paper. They are found again by their row's address (a TID scan: one page, where
      // the primary key was four), valid within the statement's snapshot.
      const matches = join
        ? sql`select s.ctid as t, s.paper_id, s.published_at, coalesce(fe.upvotes, 0) as upvotes, count(*) over () as n
            from paper_search s join ${papers} on p.id = s.paper_id where ${where} and ${whereAll(conditions)}`
        : sql`select s.ctid as t, s.paper_id, s.published_at, 0 as upvotes, count(*) over () as n from paper_search s where ${where}`;
      const r = await sql<Row & { n: number }>`with m as materialized (${matches}
          order by 3 desc nulls last, 2 desc limit ${need - rows.length})
        select m.paper_id as id, m.published_at, m.upvotes, m.n, ${score} as score from m join paper_search s on s.ctid = m.t`.execute(db);
      for (const x of r.rows) rows.push({ id: x.id, published_at: x.published_at, score: Number(x.score), upvotes: Number(x.upvotes) });
      counted += Number(r.rows[0]?.n ?? 0);
      if (rows.length >= need) break;
    }
    return { rows, walked, done, counted };
  }

  async function filtersOnly(query: ParsedQuery, sort: Sort, limit: number, offset: number): Promise<LexicalResult> {
    const conditions = filterConditions(query, 'postgres');
    const authors = authorTsquery(query);
    if (authors) conditions.push(sql`p.id in (select paper_id from paper_search where tsv @@ ${authors})`);
    if (query.excluded.length) {
      conditions.push(sql`not exists (select 1 from paper_search s where s.paper_id = p.id and s.tsv @@ ${excludedTsquery(query)})`);
    }
    const rows = await sql<{ id: string }>`select p.id from ${papers}
      where ${whereAll(conditions)} order by ${orderBy(sort, null)} limit ${limit} offset ${offset}`.execute(db);
    const count = await sql<{ n: number }>`select count(*) as n from (select 1 from ${papers}
      where ${whereAll(conditions)} limit ${COUNT_CAP}) c`.execute(db);
    return { ids: ids(rows.rows), total: Number(count.rows[0]?.n ?? 0) };
  }

  /** Document frequencies of single words, as the planner estimates them (GIN's statistics). */
  const dfCache = new Map<string, { n: number; at: number }>();

  /** Each word as tsquery text (its stemmed lexeme; '' for a stop word), kept: a constant folds at plan time. */
  const tsqueryText = new Map<string, string>();
  const word = (w: string) => sql`${tsqueryText.get(w) ?? ''}::tsquery`;
  /** The word in the title (weight A) only. */
  const titleWord = (w: string) => sql`${(tsqueryText.get(w) ?? '').replace(/'((?:[^'\\]|\\.)*)'/g, "'$1':A")}::tsquery`;
  let common: { freqs: Map<string, number>; papers: number; at: number } = { freqs: new Map(), papers: 0, at: -Infinity };

  /**
   * The papers in all and how many have each word: a common word's share from the statistics
   * ANALYZE keeps of the tsvector (its most common lexemes), the others counted (a rare word's
   * posting list is short), and kept.
   */
  async function frequencies(words: string[]) {
    if (dfCache.size > 20_000) dfCache.clear();
    if (tsqueryText.size > 20_000) tsqueryText.clear();
    const unknown = words.filter((w) => !tsqueryText.has(w));
    if (unknown.length) {
      const r = await sql<{ w: string; q: string }>`select w, plainto_tsquery('english', w)::text as q from unnest(${unknown}::text[]) as w`.execute(db);
      for (const x of r.rows) tsqueryText.set(x.w, x.q);
    }
    if (Date.now() - common.at > 600_000) {
      // The shares and the number of rows they are shares of, both from the last ANALYZE; counted
      // before there has been one.
      const r = await sql<{ e: string[] | null; f: number[] | null; n: number }>`select
          (select most_common_elems::text::text[] from pg_stats where tablename = 'paper_search' and attname = 'tsv') as e,
          (select most_common_elem_freqs from pg_stats where tablename = 'paper_search' and attname = 'tsv') as f,
          (select reltuples from pg_class where oid = 'paper_search'::regclass) as n`.execute(db);
      const row = r.rows[0];
      let n = Number(row?.n ?? 0);
      if (!(n > 0)) n = Number((await sql<{ n: number }>`select count(*) as n from paper_search`.execute(db)).rows[0]?.n ?? 0);
      common = { freqs: new Map((row?.e ?? []).map((e, i) => [e, Number(row?.f?.[i] ?? 0)])), papers: n, at: Date.now() };
    }
    const papers = common.papers;
    const dfs = await Promise.all(
      words.map(async (w) => {
        const q = tsqueryText.get(w) ?? '';
        if (!q) return 0;
        const share = common.freqs.get(/^'(.*)'$/.exec(q)?.[1] ?? '');
        if (share !== undefined) return Math.round(share * papers);
        return remember(dfCache, q, async () =>
          Number((await sql<{ n: number }>`select count(*) as n from paper_search s where s.tsv @@ ${q}::tsquery`.execute(db)).rows[0]?.n ?? 0),
        );
      }),
    );
    return { papers, dfs };
  }

  /**
   * Relevance by most of the words (lexical-most.ts): the papers with at least one of the rarer
   * words (and every phrase, author and filter), scored in two steps, since ts_rank costs ~5 us a
   * word and a paper: first by the IDFs of the words each has (a tsvector lookup each), then the
   * best MOST_RERANK by bm25 as FTS5 computes it, from what the tsvector holds (decision 0054).
   * On the reported paraphrase queries: MRR@10 0.779 (SQLite 0.781); a saturated ts_rank in
   * place of bm25 scored 0.663.
   */
  async function mostOfTheWords(query: ParsedQuery, conditions: RawBuilder<unknown>[], limit: number, offset: number): Promise<LexicalResult> {
    const content = contentWords(query);
    const { papers: all, dfs } = await frequencies(content);
    const most = mostWords(content, dfs);
    if (most.length === 0) return { ids: [], total: 0 };
    const ranking = new Set(rankingWords(content, dfs));
    const idf = (df: number) => Math.max(1e-6, Math.log((all - df + 0.5) / (df + 0.5)));
    let tsq: RawBuilder<unknown> = sql`(${sql.join(most.map(word), sql` || `)})`;
    if (query.phrases.length || query.excluded.length) tsq = sql`(${tsq} && websearch_to_tsquery('english', ${websearchText({ ...query, words: [] })}))`;
    const authors = authorTsquery(query);
    if (authors) tsq = sql`(${tsq} && ${authors})`;
    const tags = tagQueryText(query);
    if (tags) tsq = sql`(${tsq} && ${tags}::tsquery)`;
    const join = conditions.length ? sql`join ${papers} on p.id = s.paper_id` : sql``;
    const ranked = content.flatMap((w, i) => (ranking.has(w) ? [{ w, idf: idf(dfs[i]!) }] : []));
    // The coarse score: the IDFs of the words a paper has, computed in the scan.
    const coarse = sql.join(
      ranked.map((x) => sql`${x.idf}::float8 * (s.tsv @@ ${word(x.w)})::int`),
      sql` + `,
    );
    // The fine score is bm25 (k1, b and the title's weight as FTS5's, lexical-sqlite.ts) from what
    // the tsvector holds: a word's occurrences n from its ts_rank with unit weights, which for one
    // word is H2(n) / H2(inf) (tsrank.c: the i-th occurrence adds 1 / i^2), so n = 1 / (H2(inf) - H2(n)) - 1/2
    // to within 0.05; a title occurrence counts TITLE_WEIGHT times; the length from ts_rank's
    // normalisation 2 (the rank divided by the number of positions).
    const fine = sql.join(
      ranked.map(
        (x) => sql`${x.idf}::float8 * (select case when tf > 0 then tf * ${K1 + 1}::float8 / (tf + ${K1}::float8 * c.norm) else 0 end
          from (select case when r > 0.5 then round(1 / (${H2_INF}::float8 * (1 - r)) - 0.5) + ${TITLE_WEIGHT - 1} * (s.tsv @@ ${titleWord(x.w)})::int else 0 end as tf
            from ts_rank('{1, 1, 1, 1}', s.tsv, ${word(x.w)}) as r) as t)`,
      ),
      sql` + `,
    );
    const anyWord = sql`(${sql.join(most.map(word), sql` || `)})`;
    // Ordered by the coarse score, so that it is computed before the sort, which then carries small rows, not tsvectors.
    const r = await sql<{ id: string; n: number }>`with top as materialized (
        select s.ctid as t, s.paper_id, s.published_at, ${coarse} as coarse, count(*) over () as n from paper_search s ${join}
        where s.tsv @@ ${tsq} and ${whereAll(conditions)}
        order by 4 desc, s.published_at desc nulls last, s.paper_id desc limit ${Math.max(MOST_RERANK, offset + limit)}),
      len as (select top.t, top.paper_id, top.published_at, top.n,
          ts_rank('{1, 1, 1, 1}', s.tsv, ${anyWord})::float8 / ts_rank('{1, 1, 1, 1}', s.tsv, ${anyWord}, 2) as dl
        from top join paper_search s on s.ctid = top.t),
      c as (select len.*, 1 - ${B}::float8 + ${B}::float8 * len.dl / avg(len.dl) over () as norm from len)
      select c.paper_id as id, c.n from c join paper_search s on s.ctid = c.t
      order by ${fine} desc, c.published_at desc nulls last, c.paper_id desc limit ${limit} offset ${offset}`.execute(db);
    return { ids: ids(r.rows), total: Math.min(Number(r.rows[0]?.n ?? 0), COUNT_CAP) };
  }

  return {
    async search({ query, sort, limit, offset, words: wordsMode }: LexicalRequest): Promise<LexicalResult> {
      if (!hasText(query)) return filtersOnly(query, sort, limit, offset);
      // What the tsvector answers: words, phrases, exclusions, one-word authors, tags. What is
      // left for the paper's row: dates, and authors of several words (the ILIKE).
      const rest = { ...query, categories: [], hasCode: false, featured: null, authors: query.authors.filter((a) => wordsOf(a).length > 1) };
      const conditions = filterConditions(rest, 'postgres');
      if (wordsMode === 'most') return mostOfTheWords(query, conditions, limit, offset);
      const dated = await months();
      const authors = authorTsquery(query);
      const words = sql`websearch_to_tsquery('english', ${websearchText(query)})`;
      const tags = tagQueryText(query);
      let tsq: RawBuilder<unknown> = authors ? sql`(${words} && ${authors})` : words;
      if (tags) tsq = sql`(${tsq} && ${tags}::tsquery)`;
      // after:/before: bound the months walked.
      const list = dated.filter((m) => (!query.before || m <= query.before.slice(0, 7)) && (!query.after || m >= query.after.slice(0, 7)));
      // The planner knows the frequent words, not the pairs: it estimates without them (an
      // over-estimate for a phrase, which makes the walk start month by month).
      const expected = await estimate(sql`select from paper_search s where s.tsv @@ ${tsq}`);
      // A phrase's pairs of common words (migration 0011) let GIN find its papers without reading
      // every paper that has its words; null when it makes none. Papers whose pairs are still to
      // be computed (the tag 'pairs pending') are candidates too.
      const phrases = query.phrases.filter((p) => p.length > 1).map((p) => p.join(' '));
      if (phrases.length) {
        tsq = sql`coalesce(${tsq} && (paper_search_phrase_pairs(${phrases}::text[]) || ${lexeme('pairs pending')}::tsquery), ${tsq})`;
      }
      const need = sort === 'relevance' ? Math.max(RANK_WINDOW, offset + limit) : offset + limit;
      const score = sort === 'relevance' ? sql`ts_rank_cd(s.tsv, ${words})` : sql`0`;
      let voted: Row[] = [];
      let walkTsq = tsq;
      if (sort === 'upvotes') {
        // Only featured papers have upvotes: every matching one with upvotes, by upvotes (the tag
        // keeps them few), then the others newest first. Exact at any depth.
        const r = await sql<Row>`select s.paper_id as id, s.published_at, 0 as score, fe.upvotes
          from paper_search s join ${papers} on p.id = s.paper_id
          where s.tsv @@ (${tsq} && ${lexeme('is featured')}::tsquery) and fe.upvotes > 0 and ${whereAll(conditions)}`.execute(db);
        voted = r.rows.map((x) => ({ ...x, upvotes: Number(x.upvotes) })).sort((a, b) => b.upvotes - a.upvotes || byDate(a, b));
        walkTsq = sql`(${tsq} && ${`!${lexeme('is featured')}`}::tsquery)`;
      }
      const walkNeed = sort === 'upvotes' ? Math.max(0, need - voted.length) : need;
      const w = await walk(walkTsq, conditions, Math.max(walkNeed, 1), score, list.length ? list : dated.slice(0, 1), expected);
      let rows = w.rows;
      if (sort === 'upvotes') {
        // Featured papers without upvotes go with the rest, by date.
        const zero = await sql<Row>`select s.paper_id as id, s.published_at, 0 as score, 0 as upvotes
          from paper_search s join ${papers} on p.id = s.paper_id
          where s.tsv @@ (${tsq} && ${lexeme('is featured')}::tsquery) and fe.upvotes <= 0 and ${whereAll(conditions)}`.execute(db);
        rows = [...rows, ...zero.rows];
      }
      rows.sort(byDate);
      let page: Row[];
      if (sort === 'relevance') {
        page = rows.slice(0, need).sort((a, b) => b.score - a.score || byDate(a, b));
      } else if (sort === 'upvotes') page = [...voted, ...rows];
      else page = rows;
      const found = w.counted + (sort === 'upvotes' ? rows.length - w.rows.length + voted.length : 0);
      let total = found;
      let approximate = false;
      if (!w.done) {
        // Past the months walked: as many again per paper as in them (the planner's histogram of
        // published_at gives the papers in each range).
        const since = `${w.walked.at(-1)!}-01`;
        // The walked months' papers counted (an index-only scan) when few, else the planner's;
        // without conditions (most searches) both numbers are kept for 30 s.
        const cached = conditions.length === 0 ? papersCache : null;
        const [all, recent] = await Promise.all([
          remember(cached, '', () => estimate(sql`select from papers p where ${whereAll(conditions)}`)),
          remember(cached, since, async () => {
            const n = Number(
              (
                await sql<{ n: number }>`select count(*) as n from (select from papers p
              where p.published_at >= ${since} and ${whereAll(conditions)} limit ${RECENT_CAP}) c`.execute(db)
              ).rows[0]?.n ?? 0,
            );
            return n < RECENT_CAP ? n : estimate(sql`select from papers p where p.published_at >= ${since} and ${whereAll(conditions)}`);
          }),
        ]);
        total = Math.max(found, Math.round((w.counted * Math.max(all, recent)) / Math.max(1, recent)) + (found - w.counted));
        approximate = true;
      }
      return { ids: ids(page.slice(offset, offset + limit)), total: Math.min(total, COUNT_CAP), ...(approximate ? { approximate } : {}) };
    },

    frequencies,

    async filter(ids, query) {
      if (ids.length === 0) return new Set();
      const conditions = filterConditions(query, 'postgres');
      if (query.excluded.length) {
        conditions.push(sql`not exists (select 1 from paper_search s where s.paper_id = p.id and s.tsv @@ ${excludedTsquery(query)})`);
      }
      const rows = await sql<{ id: string }>`select p.id from ${papers}
        where p.id = any(${ids}) and ${whereAll(conditions)}`.execute(db);
      return new Set(rows.rows.map((r) => r.id));
    },
  };
}
