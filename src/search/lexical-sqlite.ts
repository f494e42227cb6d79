// Lexical search on SQLite: FTS5 (migration 0003) ranked by bm25 with column weights, title over
// authors over abstract (https://sqlite.org/fts5.html#the_bm25_function).
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { filterConditions, orderBy, whereAll } from './filters.js';
import { contentWords, hasText, type ParsedQuery, wordsOf } from './query.js';
import { expectedWithAll, MOST_WINDOW, mostWords, rankingWords } from './lexical-most.js';
import { TermStats } from './term-stats.js';
import { categoryTag, dayKey, matchPlan, type MostWords, NEST_MIN, quote } from './match-sqlite.js';
import { COUNT_CAP, type LexicalBackend, RANK_WINDOW, type LexicalRequest, type LexicalResult } from './types.js';

/** Column weights for bm25(): title, authors, abstract, tags. A title hit counts as ten abstract hits. */
const WEIGHTS = sql`10.0, 4.0, 1.0, 0.0`;

/**
 * Relevance ranks the newest RANK_WINDOW matches by bm25 (all of them when there are fewer, as
 * for nearly every query of two or more words); date sorts read the first page and DATE_SLACK more
 * (the walk is in date order already: migration 0008; the slack puts papers of the same date in id
 * order, as filters.ts does); upvote sorts read the featured matches first. Decisions 0010, 0018.
 */
export { RANK_WINDOW };
const DATE_SLACK = 200;

interface WindowRow {
  id: string;
  published_at: string | null;
  upvotes: number | null;
  score: number;
}

const desc = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);
const byDateThenId = (a: WindowRow, b: WindowRow) => desc(a.published_at ?? '', b.published_at ?? '') || desc(a.id, b.id);

/** The order of the window's rows, as filters.ts orders whole tables: ties by date, then id, newest first. */
function compareWindow(sort: LexicalRequest['sort']): (a: WindowRow, b: WindowRow) => number {
  if (sort === 'upvotes') return (a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0) || byDateThenId(a, b);
  if (sort === 'date') return byDateThenId;
  return (a, b) => a.score - b.score || byDateThenId(a, b); // bm25: lower is better
}

/** after:/before: as a range of FTS5 rowids, which it seeks to instead of testing every match. */
function dateRange(q: ParsedQuery): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  if (q.after) out.push(sql`f.rowid >= ${dayKey(q.after)}`);
  if (q.before) out.push(sql`f.rowid < ${dayKey(q.before)}`);
  return out;
}

function exclusionsOnly(q: ParsedQuery): RawBuilder<unknown> | null {
  if (hasText(q) || q.excluded.length === 0) return null;
  const expr = q.excluded.map(quote).join(' OR ');
  return sql`p.id not in (select d.paper_id from search_doc d where d.doc_id in
    (select rowid from papers_fts where papers_fts match ${expr}))`;
}

export interface SqliteLexicalOptions {
  /** dp_bm25 is loaded (src/db/connect.ts): rank with the IDFs of TermStats instead of bm25(). */
  dpBm25?: boolean;
  /** Expected matches, in windows, past which the forward read is skipped (MANY_EXPECTED). */
  manyExpected?: number;
  /** false: all the words as one flat AND, not nested (conjunction); for tests, which compare the two. */
  nest?: boolean;
}

/** Expected matches, in windows, past which relevance reads the newest window at once (manyExpected). */
const MANY_EXPECTED = 2;

/** How many queries `sqliteLexical` remembers to have matched more papers than their window. */
const OVERFLOWED_MAX = 5000;

export function sqliteLexical(db: Kysely<Database>, options: SqliteLexicalOptions = {}): LexicalBackend {
  const frequencies = new TermStats(db, { vocabulary: options.dpBm25 === true });
  const stats = options.dpBm25 ? frequencies : null;
  /**
   * `forwards`: FTS5 reads a posting list two to four times faster in rowid order than backwards
   * (a page read backwards is parsed whole first; 200 queries of the benchmark on a million
   * papers: p50 12.5 ms forwards-first vs 34 ms backwards), and most searches of several words
   * match fewer papers than the rank window. So relevance reads the matches forwards first,
   * window + 1 at most, in no particular order: when they fit, they are every match, ranked here
   * by score then date. When they do not, the newest window is read backwards, and the query is
   * remembered here (it will not match fewer papers later) so that it skips the first read.
   */
  const overflowed = new Set<string>();
  /**
   * A search that far more papers than its window are expected to match skips the forward read,
   * which would stop at the window with no answer. Expected: the papers times each word's share
   * (expectedWithAll), times each phrase's rarest word's share (a phrase is in no more papers than
   * that word), times the share of its categories, code or featured tags. Not guessed with an
   * author, an exclusion or a date. Only with dp_bm25, whose IDFs need the same counts: without it,
   * counting would be a cost of its own. A wrong guess costs time, not results: both reads give the
   * same window.
   */
  const manyExpected = async (query: ParsedQuery, window: number): Promise<boolean> => {
    if (!stats || query.authors.length || query.excluded.length || query.after || query.before || query.featured === false) return false;
    const words = contentWords(query);
    const phrases = query.phrases.filter((p) => p.length > 0);
    if (words.length === 0 && phrases.length === 0) return false;
    const tags = [...query.categories.map(categoryTag), ...(query.hasCode ? ['xhascode'] : []), ...(query.featured ? ['xfeatured'] : [])];
    const terms = [...new Set([...words, ...phrases.flat(), ...tags])];
    const [papers, dfs] = await Promise.all([stats.total(), stats.frequencies(terms.map((w) => quote([w])))]);
    const df = new Map(terms.map((w, i) => [w, dfs[i] ?? 0]));
    const share = (w: string) => (papers > 0 ? (df.get(w) ?? 0) / papers : 0);
    let expected = expectedWithAll(
      papers,
      words.map((w) => df.get(w) ?? 0),
    );
    for (const p of phrases) expected *= Math.min(...p.map(share));
    if (query.categories.length)
      expected *= Math.min(
        1,
        query.categories.map(categoryTag).reduce((n, t) => n + share(t), 0),
      );
    if (query.hasCode) expected *= share('xhascode');
    if (query.featured === true) expected *= share('xfeatured');
    return expected > (options.manyExpected ?? MANY_EXPECTED) * window;
  };
  return {
    async search({ query, sort, limit, offset, words = 'all' }: LexicalRequest): Promise<LexicalResult> {
      const conditions = filterConditions(query, 'sqlite');
      const excl = exclusionsOnly(query);
      if (excl) conditions.push(excl);
      let most: MostWords | undefined;
      /** The required words' papers add up to no more than MOST_WINDOW: every one is a candidate. */
      let fits = false;
      const content = contentWords(query);
      if (words === 'most') {
        const dfs = await frequencies.frequencies(content.map((w) => quote([w])));
        const required = mostWords(content, dfs);
        // A word in more than half the papers adds nothing to bm25 (FTS5 floors its IDF at 1e-6),
        // but reading its long posting list at every candidate costs much of this query's time: such
        // words are left out of the ranking OR, unless required (the candidates are theirs anyway).
        const papers = await frequencies.total();
        const ranking = rankingWords(
          content,
          dfs.map((df) => (df * 2 > papers ? 0 : df)),
        );
        most = { required, ranking: [...new Set([...ranking, ...required])] };
        if (most.required.length === 0) return { ids: [], total: 0 };
        fits = required.reduce((n, w) => n + (dfs[content.indexOf(w)] ?? 0), 0) <= MOST_WINDOW;
      }
      // Each word's papers, so that all the words are matched rarest first (conjunction). With
      // dp_bm25's counts only, as manyExpected: without them a common word's count costs more.
      let dfs: Map<string, number> | undefined;
      if (!most && stats && options.nest !== false && content.length >= NEST_MIN) {
        const n = await stats.frequencies(content.map((w) => quote([w])));
        dfs = new Map(content.map((w, i) => [w, n[i] ?? 0]));
      }
      const plan = matchPlan(query, most, dfs);
      if (plan === null) {
        const rows = await sql<{ id: string }>`select p.id from papers p left join featured fe on fe.paper_id = p.id
          where ${whereAll(conditions)} order by ${orderBy(sort, null)} limit ${limit} offset ${offset}`.execute(db);
        const count = await sql<{ n: number }>`select count(*) as n from (select 1 from papers p left join featured fe on fe.paper_id = p.id
          where ${whereAll(conditions)} limit ${COUNT_CAP})`.execute(db);
        return { ids: rows.rows.map((r) => r.id), total: Number(count.rows[0]?.n ?? 0) };
      }
      // The matches are read newest first (FTS5 walks its doclists by rowid, which follows the
      // publication date) and only a window of them is ranked or sorted: bm25 costs microseconds a
      // row, and a common word matches a tenth of a million papers. CROSS JOIN keeps the FTS table
      // the outer loop, so the remaining checks are made on the way and the scan stops at the window.
      const window = sort === 'relevance' ? Math.max(RANK_WINDOW, offset + limit) : offset + limit + DATE_SLACK;
      const match = plan.expr;
      const score =
        sort !== 'relevance'
          ? sql`0`
          : stats
            ? sql`dp_bm25(papers_fts, ${WEIGHTS}, ${sql.join((await stats.idfs(plan.ranked)).map((x) => sql`${x}`))})`
            : sql`bm25(papers_fts, ${WEIGHTS})`;
      const range = dateRange(query);
      const text = sql`papers_fts match ${match} and ${whereAll(range)}`;
      if (most) {
        // Most of the words: the candidates are few (lexical-most.ts), so SQLite ranks them all
        // (the newest MOST_WINDOW at most) and hands over only the page. When the required words'
        // papers add up to no more than the window, every one is a candidate, and they are read
        // forwards, in no order (see `forwards`): the same rows, ranked the same (0055).
        const from = conditions.length
          ? sql`papers_fts f cross join search_doc d on d.doc_id = f.rowid cross join papers p on p.id = d.paper_id
            left join featured fe on fe.paper_id = p.id`
          : sql`papers_fts f`;
        const r = await sql<{ id: string; n: number }>`with c as (select f.rowid as rowid, ${score} as score from ${from}
            where ${text} and ${whereAll(conditions)} ${fits ? sql`` : sql`order by f.rowid desc`} limit ${MOST_WINDOW}),
          top as (select rowid, score, count(*) over () as n from c order by score, rowid desc limit ${limit} offset ${offset})
          select d.paper_id as id, top.n as n from top join search_doc d on d.doc_id = top.rowid order by top.score, top.rowid desc`.execute(db);
        return { ids: r.rows.map((x) => x.id), total: Math.min(Number(r.rows[0]?.n ?? 0), COUNT_CAP) };
      }
      /** Matches below rowid `last` (past a window; all of them from MAX_SAFE_INTEGER), up to COUNT_CAP in all. */
      const countPast = async (from: RawBuilder<unknown>, where: RawBuilder<unknown>, last: number, seen: number) => {
        const r = await sql<{ n: number }>`select count(*) as n from (select 1 from ${from} where ${where} and f.rowid < ${last}
          limit ${COUNT_CAP - seen})`.execute(db);
        return seen + Number(r.rows[0]?.n ?? 0);
      };
      // Relevance: the matches are first read forwards, window + 1 at most (see `forwards`).
      const key = sort === 'relevance' ? `${window} ${JSON.stringify(query)}` : '';
      const firstForwards = sort === 'relevance' && !overflowed.has(key) && !(await manyExpected(query, window));
      /**
       * The count of every match, up to COUNT_CAP, started beside the window's read (on the other
       * reader thread) when the window will most likely not hold them all: relevance read newest
       * first at once, and date order, whose window is a page. Counting needs no order, so FTS5
       * reads forwards; past the window, the count would wait for it and then read backwards. A
       * window that holds every match after all makes it a wasted count of few papers.
       */
      const countBeside = (from: RawBuilder<unknown>, where: RawBuilder<unknown>) => {
        if (!(sort === 'date' || (sort === 'relevance' && !firstForwards))) return null;
        const count = countPast(from, where, Number.MAX_SAFE_INTEGER, 0);
        count.catch(() => {}); // heard when awaited; unheard when the window held every match
        return count;
      };
      /** The window's rows, and whether they are every match (then their number is the count). */
      const readWindow = async <R>(read: (order: RawBuilder<unknown>, n: number) => Promise<{ rows: R[] }>) => {
        if (firstForwards) {
          const rows = (await read(sql``, window + 1)).rows;
          if (rows.length <= window) return { rows, all: true };
          overflowed.add(key);
          if (overflowed.size > OVERFLOWED_MAX) overflowed.delete(overflowed.values().next().value!);
        }
        const rows = (await read(sql`order by f.rowid desc`, window)).rows;
        return { rows, all: rows.length < window };
      };
      if (sort === 'relevance' && conditions.length === 0) {
        // Nothing to check row by row: the window is read from FTS5 alone, ties by rowid (date),
        // and only the page's papers are looked up.
        const read = (order: RawBuilder<unknown>, n: number) =>
          sql<{ rowid: number; score: number }>`select f.rowid as rowid, ${score} as score
          from papers_fts f where ${text} ${order} limit ${n}`.execute(db);
        const count = countBeside(sql`papers_fts f`, text);
        const rows = await readWindow(read);
        const last = rows.rows.at(-1)?.rowid ?? 0;
        const page = rows.rows
          .sort((x, y) => x.score - y.score || y.rowid - x.rowid)
          .slice(offset, offset + limit)
          .map((r) => r.rowid);
        const docs = page.length
          ? await sql<{ doc_id: number; paper_id: string }>`select doc_id, paper_id from search_doc
          where doc_id in (${sql.join(page)})`.execute(db)
          : { rows: [] };
        const idOf = new Map(docs.rows.map((d) => [d.doc_id, d.paper_id]));
        const ids = page.flatMap((r) => idOf.get(r) ?? []);
        if (rows.all) return { ids, total: Math.min(rows.rows.length, COUNT_CAP) };
        return { ids, total: await (count ?? countPast(sql`papers_fts f`, text, last, rows.rows.length)) };
      }
      const from = sql`papers_fts f cross join search_doc d on d.doc_id = f.rowid cross join papers p on p.id = d.paper_id
        left join featured fe on fe.paper_id = p.id`;
      const where = sql`${text} and ${whereAll(conditions)}`;
      const joined = query.authors.some((a) => wordsOf(a).length > 1) || excl !== null;
      if (sort === 'upvotes') {
        // Only featured papers have upvotes: every matching one with upvotes (the xfeatured tag
        // keeps them few), by upvotes; then the others, newest first as for sort=date. Exact at
        // any depth, where a window of the newest matches would miss an old, much upvoted paper.
        const voted = await sql<WindowRow>`select p.id, p.published_at, fe.upvotes, 0 as score from ${from}
          where papers_fts match ${plan.featured} and ${whereAll([...range, ...conditions])} and fe.upvotes > 0`.execute(db);
        const top = voted.rows.sort(compareWindow('upvotes')).map((r) => r.id);
        const need = offset + limit - top.length;
        let rest: string[] = [];
        let walked = 0;
        if (need > 0) {
          const rows = await sql<WindowRow>`select p.id, p.published_at, fe.upvotes, 0 as score
            from ${from} where ${where} and coalesce(fe.upvotes, 0) <= 0 order by f.rowid desc limit ${need + DATE_SLACK}`.execute(db);
          walked = rows.rows.length;
          rest = rows.rows
            .sort(compareWindow('date'))
            .map((r) => r.id)
            .slice(0, need);
          if (walked < need + DATE_SLACK) {
            const ids = [...top, ...rest].slice(offset, offset + limit);
            return { ids, total: Math.min(top.length + walked, COUNT_CAP) };
          }
        }
        const ids = [...top, ...rest].slice(offset, offset + limit);
        const total = joined ? countPast(from, where, Number.MAX_SAFE_INTEGER, 0) : countPast(sql`papers_fts f`, text, Number.MAX_SAFE_INTEGER, 0);
        return { ids, total: await total };
      }
      const read = (order: RawBuilder<unknown>, n: number) =>
        sql<WindowRow & { rowid: number }>`select f.rowid as rowid, p.id, p.published_at, fe.upvotes, ${score} as score
        from ${from} where ${where} ${order} limit ${n}`.execute(db);
      const count = joined ? countBeside(from, where) : countBeside(sql`papers_fts f`, text);
      const rows = await readWindow(read);
      const last = rows.rows.at(-1)?.rowid ?? 0;
      const ranked = rows.rows
        .sort(compareWindow(sort))
        .slice(offset, offset + limit)
        .map((r) => r.id);
      // A window that did not fill holds every match: its size is the count, no second pass needed.
      if (rows.all) return { ids: ranked, total: Math.min(rows.rows.length, COUNT_CAP) };
      // The count goes on below the window. The index answers every filter but an author: of
      // several words, where the LIKE of filters.ts may refuse what the index took ("Wei Zhang,
      // Li Na" for author:"zhang li"): without one it needs no join, FTS5 counts its own doclists.
      return {
        ids: ranked,
        total: await (count ?? (joined ? countPast(from, where, last, rows.rows.length) : countPast(sql`papers_fts f`, text, last, rows.rows.length))),
      };
    },

    async warm() {
      // dp_bm25 reads the rows' lengths on a connection's first ranking (dp_bm25.c): two at once,
      // so that each reader thread of the pool (sqlite-readers.ts) has them before the first search.
      if (stats) await Promise.all([0, 1].map(() => sql`select dp_bm25(papers_fts, ${WEIGHTS}) from papers_fts limit 1`.execute(db)));
      await frequencies.warm();
    },

    async frequencies(words) {
      const [papers, dfs] = await Promise.all([frequencies.total(), frequencies.frequencies(words.map((w) => quote([w])))]);
      return { papers, dfs };
    },

    async filter(ids, query) {
      if (ids.length === 0) return new Set();
      const conditions = filterConditions(query, 'sqlite');
      if (query.excluded.length) {
        conditions.push(sql`p.id not in (select d.paper_id from search_doc d where d.doc_id in
          (select rowid from papers_fts where papers_fts match ${query.excluded.map(quote).join(' OR ')}))`);
      }
      const rows = await sql<{ id: string }>`select p.id from papers p left join featured fe on fe.paper_id = p.id
        where p.id in (${sql.join(ids)}) and ${whereAll(conditions)}`.execute(db);
      return new Set(rows.rows.map((r) => r.id));
    },
  };
}
