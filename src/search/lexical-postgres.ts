// Lexical search on PostgreSQL: the weighted tsvector of paper_search (migration 0003),
// websearch_to_tsquery (never raises on user input) and a ranking by relevance that comes from the
// RUM index when there is one (`tsv <=> query`, rum-postgres.ts), otherwise from ts_rank_cd over
// the matches the GIN index finds (https://www.postgresql.org/docs/15/textsearch-controls.html).
//
// At a million papers a common word matches 100k+ of them, and the planner guesses badly on two
// things we ask: rare lexemes and `-exclusions` (no statistics: it assumes hundreds of matches) and
// the ILIKE filters of filters.ts (an expression without statistics: it assumes 0.5 % pass when
// cat:cs.CV lets half through). So the shape of each query is chosen here from the number of text
// matches, which is cheap to know, rather than left to those guesses. Decision 0017.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { filterConditions, orderBy, whereAll } from './filters.js';
import { hasText, type ParsedQuery, type Sort, wordsOf } from './query.js';
import { type RumIndex, rumIndex } from './rum-postgres.js';
import { COUNT_CAP, type LexicalBackend, RANK_WINDOW, type LexicalRequest, type LexicalResult } from './types.js';

/**
 * When the planner expects this many text matches, the count is not run: it would read COUNT_CAP
 * rows (about 100 ms at a million papers) to print "10,000+". Lexemes that common are in the
 * column's most-common-elements statistics, where its estimate is close (at a million papers
 * diffusion: 129,267 matches, 133,700 estimated; language model: 489,103 and 425,596); an AND of
 * correlated words comes out low, the safe side (large language models llms: 204,218 and 54,544).
 */
const ESTIMATE_TRUSTED = 3 * COUNT_CAP;

/**
 * With filters, how many text matches past the offset the RUM walk reads (each a lookup of the
 * paper) before it leaves the page to a plan that takes the filters first.
 */
const WALK = 2_000;

/**
 * Costs per row at a million papers (measured on the 2-core development machine, warm cache) that
 * choose between walking the text matches in rank order and taking estimable filters first:
 * RUM scores each match in the index (RUM_US), the walk then looks up each match's paper (WALK_US)
 * until a page passes; filters-first reads each passing paper's tsvector and scores it (FILTER_US).
 */
const RUM_US = 1.5;
const WALK_US = 15;
const FILTER_US = 25;
/**
 * Scoring a match from its row instead (fetch, detoast, score), the way to rank few matches: RUM
 * reads the whole posting list of every word, so `diffusion generative models` (3 matches) costs it
 * the 840k entries of "model", where GIN finds the 3 and their rows are scored in microseconds.
 */
const ROW_US = 20;

/**
 * A word in a large share of the papers is ranked as on SQLite (lexical-sqlite.ts): among its
 * newest RANK_WINDOW matches, found by walking papers down the published_at index and testing each
 * one's tsvector (PAPER_US a paper, measured at a million papers), instead of RUM scoring every
 * match (RUM_US each). At a million papers "language models" went from 0.4 s to 15-20 ms.
 */
const PAPER_US = 6;

const quote = (words: string[]) => (words.length > 1 ? `"${words.join(' ')}"` : words[0]!);

/** The websearch_to_tsquery input: words, "phrases" and -exclusions, already reduced to words. */
export function websearchText(q: ParsedQuery): string {
  return [...q.words, ...q.phrases.map(quote), ...q.excluded.map((e) => `-${quote(e)}`)].join(' ');
}

/**
 * The query RUM ranks by: the words and the phrases' words, AND-ed. RUM's distance computed inside
 * the index does not evaluate `<->` (a phrase query comes back in no useful order); the phrase
 * itself still filters, in the WHERE clause. Exclusions add nothing to the rank of a paper that
 * passes them.
 */
export function rankText(q: ParsedQuery): string {
  return [...q.words, ...q.phrases.flat()].join(' ');
}

/**
 * author: names as a tsquery on the authors' part of the tsvector (weight B, 'simple'
 * configuration), so that the text index finds them; the ILIKE in filters.ts checks the spelling.
 */
export function authorTsquery(q: ParsedQuery): RawBuilder<unknown> | null {
  const names = q.authors.map(wordsOf).filter((w) => w.length > 0);
  if (names.length === 0) return null;
  const text = names.map((w) => `(${w.map((x) => `${x}:B`).join(' <-> ')})`).join(' & ');
  return sql`to_tsquery('simple', ${text})`;
}

/** Every word of the query as an OR: its estimate is about the posting entries RUM reads. */
function scannedTsquery(q: ParsedQuery): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${[...q.words, ...q.phrases.flat(), ...q.excluded.flat()].join(' or ')})`;
}

function excludedTsquery(q: ParsedQuery): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${q.excluded.map(quote).join(' or ')})`;
}

export interface PostgresLexicalOptions {
  log?: Logger | undefined;
  /** false: never use RUM, as on a server without the extension (the GIN + ts_rank_cd path). */
  rum?: boolean;
}

export type PostgresLexical = LexicalBackend & {
  /** The RUM index this backend ranks with once it is ready; null when told not to use it. */
  rum: RumIndex | null;
};

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);

export function postgresLexical(db: Kysely<Database>, options: PostgresLexicalOptions = {}): PostgresLexical {
  const rum = options.rum === false ? null : rumIndex(db, options.log);
  const papers = sql`papers p left join featured fe on fe.paper_id = p.id`;

  /** The planner's row estimate for a statement (a plan only: nothing is read). */
  async function estimate(statement: RawBuilder<unknown>): Promise<number> {
    const r = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${statement}`.execute(db);
    const plan = r.rows[0]?.['QUERY PLAN'];
    const doc = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan?: { 'Plan Rows'?: number } }> | undefined;
    return Number(doc?.[0]?.Plan?.['Plan Rows'] ?? 0);
  }

  const textEstimate = (tsq: RawBuilder<unknown>) => estimate(sql`select from paper_search s where s.tsv @@ ${tsq}`);

  /** Text matches up to COUNT_CAP, or the cap at once when the planner expects far more. */
  async function countText(tsq: RawBuilder<unknown>, estimated: number): Promise<number> {
    if (estimated >= ESTIMATE_TRUSTED) return COUNT_CAP;
    const r = await sql<{ n: number }>`select count(*) as n from (select from paper_search s where s.tsv @@ ${tsq} limit ${COUNT_CAP}) c`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * Text and filters, up to COUNT_CAP; `text` is countText's answer. `estimable`: the filters are
   * ones the planner estimates well (dates, has:code, featured:), not the ILIKEs of cat: and author:
   * (an expression without statistics: it assumes 0.5 % pass when cat:cs.CV lets half through).
   */
  async function countAll(tsq: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], text: number, estimable: boolean): Promise<number> {
    if (conditions.length === 0 || text === 0) return text;
    const where = whereAll(conditions);
    if (text < COUNT_CAP) {
      // Every text match is known to be few: take them from the text index, then filter.
      const r = await sql<{ n: number }>`with t as materialized (select s.paper_id from paper_search s where s.tsv @@ ${tsq})
        select count(*) as n from t join ${papers} on p.id = t.paper_id where ${where}`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    }
    if (estimable) {
      // Many text matches, filters it can judge: trust the planner, on the estimate when it is far
      // above the cap, else on the plan.
      if ((await estimate(sql`select from paper_search s join ${papers} on p.id = s.paper_id where s.tsv @@ ${tsq} and ${where}`)) >= ESTIMATE_TRUSTED) {
        return COUNT_CAP;
      }
      const r = await sql<{ n: number }>`select count(*) as n from (select from paper_search s join ${papers} on p.id = s.paper_id
        where s.tsv @@ ${tsq} and ${where} limit ${COUNT_CAP}) c`.execute(db);
      return Number(r.rows[0]?.n ?? 0);
    }
    // An ILIKE: count in the text index's order, each match filtered by a lookup (misled, the
    // planner would rather scan every paper that passes the ILIKE).
    const r = await sql<{ n: number }>`select count(*) as n from (select from paper_search s
      cross join lateral (select from ${papers} where p.id = s.paper_id and ${where} offset 0) f
      where s.tsv @@ ${tsq} limit ${COUNT_CAP}) c`.execute(db);
    return Number(r.rows[0]?.n ?? 0);
  }

  /**
   * By relevance from the RUM index: matches come nearest first (1 / a cover-density rank with
   * ts_rank_cd's A/B/C weights, rum_ts_utils.c), are filtered one by one (a LATERAL lookup by
   * primary key) and the scan stops when the page is full; `window` bounds how many it may walk.
   * Sorting is switched off for the statement so that the planner keeps this plan even when it
   * misjudges a filter, and so that equal distances always come in the index's order (RUM sorts
   * every match, from posting lists in row order: the same order for every page of a query).
   */
  async function rumWalk(tsq: RawBuilder<unknown>, rank: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], limit: number, offset: number, window?: number) {
    return db.transaction().execute(async (trx) => {
      // work_mem: RUM sorts every match by distance; at the default 4 MB a word in 100k+ papers
      // spills that sort to disk (about 20 % of its time); 32 MB holds a million matches.
      await sql`select set_config('enable_sort', 'off', true), set_config('work_mem', '32MB', true)`.execute(trx);
      if (conditions.length === 0) {
        const r = await sql<{ id: string }>`select s.paper_id as id from paper_search s where s.tsv @@ ${tsq}
          order by s.tsv <=> ${rank} limit ${limit} offset ${offset}`.execute(trx);
        return { ids: ids(r.rows), walked: offset + r.rows.length };
      }
      // k: how many matches were walked to reach each row (the filters' pass rate). The rows come
      // in the ordered subquery's order: the nested loop keeps the order of its outer side, and an
      // ORDER BY out here would be a sort of every match (the planner cannot see k ascends).
      const r = await sql<{ id: string; k: number }>`select s.paper_id as id, s.k
        from (select s.paper_id, row_number() over () as k from (select s.paper_id from paper_search s where s.tsv @@ ${tsq}
          order by s.tsv <=> ${rank} ${window === undefined ? sql`` : sql`limit ${window}`}) s) s
        cross join lateral (select from ${papers} where p.id = s.paper_id and ${whereAll(conditions)} offset 0) f
        limit ${limit} offset ${offset}`.execute(trx);
      return { ids: ids(r.rows), walked: Number(r.rows.at(-1)?.k ?? 0) };
    });
  }

  /**
   * By relevance among the newest RANK_WINDOW matches: papers newest first (the published_at
   * index), each tested against the query (a scalar subquery, so the test cannot become a join
   * over every match), then the window ranked by RUM's distance; ties newest first.
   */
  async function newestRanked(tsq: RawBuilder<unknown>, rank: RawBuilder<unknown>, limit: number, offset: number) {
    const r = await sql<{ id: string }>`with w as materialized (select p.id, p.published_at from papers p
        where (select s.tsv @@ ${tsq} from paper_search s where s.paper_id = p.id)
        order by p.published_at desc, p.id desc limit ${RANK_WINDOW})
      select w.id from w join paper_search s on s.paper_id = w.id
      order by (s.tsv <=> ${rank}), w.published_at desc, w.id desc limit ${limit} offset ${offset}`.execute(db);
    return ids(r.rows);
  }

  /**
   * By relevance, filters first: for filters that few papers pass (after: a recent date with
   * has:code), where walking the text matches in rank order would read thousands to fill a page.
   * The distance is computed from each tsvector (the same score the index computes, to the bit);
   * equal distances go by paper id, where the index's own order of ties cannot be had.
   */
  async function rumFiltersFirst(tsq: RawBuilder<unknown>, rank: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], limit: number, offset: number) {
    const r = await sql<{ id: string }>`select s.paper_id as id
      from (select p.id from ${papers} where ${whereAll(conditions)} offset 0) f join paper_search s on s.paper_id = f.id
      where s.tsv @@ ${tsq} order by s.tsv <=> ${rank}, s.paper_id limit ${limit} offset ${offset}`.execute(db);
    return ids(r.rows);
  }

  async function rumRanked(query: ParsedQuery, tsq: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], limit: number, offset: number, checked: ParsedQuery): Promise<LexicalResult> {
    const rank = sql`websearch_to_tsquery('english', ${rankText(query)})`;
    const [estimated, scanned] = await Promise.all([textEstimate(tsq), estimate(sql`select from paper_search s where s.tsv @@ ${scannedTsquery(query)}`)]);
    const m = await countText(tsq, estimated);
    const estimable = checked.authors.length === 0;
    if (m < COUNT_CAP && ROW_US * m < RUM_US * scanned) {
      const [page, total] = await Promise.all([fewSorted(tsq, conditions, 'relevance', limit, offset, rank), countAll(tsq, conditions, m, estimable)]);
      return { ids: page, total };
    }
    if (conditions.length === 0) {
      if (offset + limit <= RANK_WINDOW) {
        const papersNow = await estimate(sql`select from papers`);
        const share = estimated / Math.max(1, papersNow);
        if (share > 0 && (PAPER_US * RANK_WINDOW) / share < RUM_US * scanned) return { ids: await newestRanked(tsq, rank, limit, offset), total: m };
      }
      return { ids: (await rumWalk(tsq, rank, conditions, limit, offset)).ids, total: m };
    }
    if (estimable) {
      const [passing, papersNow] = await Promise.all([estimate(sql`select from ${papers} where ${whereAll(conditions)}`), estimate(sql`select from papers`)]);
      const walk = RUM_US * estimated + WALK_US * Math.min(estimated, ((offset + limit) * papersNow) / Math.max(1, passing));
      if (FILTER_US * passing < walk) {
        const [page, total] = await Promise.all([rumFiltersFirst(tsq, rank, conditions, limit, offset), countAll(tsq, conditions, m, true)]);
        return { ids: page, total };
      }
    }
    const page = await rumWalk(tsq, rank, conditions, limit, offset, offset + WALK);
    // The filters' pass rate on the walk, times the text matches, is the count when far above the cap.
    const many = page.ids.length === limit && (estimated * (offset + limit)) / page.walked >= ESTIMATE_TRUSTED;
    const total = many ? Promise.resolve(COUNT_CAP) : countAll(tsq, conditions, m, estimable);
    // A full page, or a window that held every match, is the answer; otherwise the filters pass
    // few papers: walk all matches when they are few (under COUNT_CAP), else filters first.
    if (page.ids.length === limit || m <= offset + WALK) return { ids: page.ids, total: await total };
    const [rest, n] = await Promise.all([
      m < COUNT_CAP ? rumWalk(tsq, rank, conditions, limit, offset).then((r) => r.ids) : rumFiltersFirst(tsq, rank, conditions, limit, offset),
      total,
    ]);
    return { ids: rest, total: n };
  }

  /**
   * Any sort, when the text matches are few (under COUNT_CAP): all of them from the text index,
   * scored from their rows (RUM's distance when `rum` is its query, else ts_rank_cd), filtered,
   * sorted; equal scores newest first, as filters.ts orders.
   */
  async function fewSorted(tsq: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], sort: Sort, limit: number, offset: number, rum?: RawBuilder<unknown>) {
    const score = sort !== 'relevance' ? sql`0` : rum ? sql`-(s.tsv <=> ${rum})` : sql`ts_rank_cd(s.tsv, ${tsq})`;
    const r = await sql<{ id: string }>`with t as materialized (select s.paper_id, ${score} as r from paper_search s where s.tsv @@ ${tsq})
      select p.id from t join ${papers} on p.id = t.paper_id where ${whereAll(conditions)}
      order by ${orderBy(sort, sql`t.r desc`)} limit ${limit} offset ${offset}`.execute(db);
    return ids(r.rows);
  }

  /**
   * Newest first among many text matches: walk papers down the published_at index and test each
   * one's text (a scalar subquery, so the test cannot become a join over every match); with 1 % or
   * more of the papers matching, a page is full after a few thousand rows at most.
   */
  async function manyByDate(tsq: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], limit: number, offset: number) {
    const r = await sql<{ id: string }>`select p.id from ${papers}
      where ${whereAll(conditions)} and (select s.tsv @@ ${tsq} from paper_search s where s.paper_id = p.id)
      order by p.published_at desc, p.id desc limit ${limit} offset ${offset}`.execute(db);
    return ids(r.rows);
  }

  /** The planner's own plan: ts_rank_cd or upvotes over many matches (slow for common words). */
  async function manySorted(tsq: RawBuilder<unknown>, conditions: RawBuilder<unknown>[], sort: Sort, limit: number, offset: number) {
    const r = await sql<{ id: string }>`select p.id from paper_search s join ${papers} on p.id = s.paper_id
      where s.tsv @@ ${tsq} and ${whereAll(conditions)}
      order by ${orderBy(sort, sql`ts_rank_cd(s.tsv, ${tsq}) desc`)} limit ${limit} offset ${offset}`.execute(db);
    return ids(r.rows);
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

  return {
    rum,

    async search({ query, sort, limit, offset }: LexicalRequest): Promise<LexicalResult> {
      if (!hasText(query)) return filtersOnly(query, sort, limit, offset);
      // An author: of one word is answered by the tsquery alone (the token in the authors' part
      // is also the substring the ILIKE looks for), so only names of several words are checked
      // row by row: a phrase in the tsvector may span two names.
      const checked = { ...query, authors: query.authors.filter((a) => wordsOf(a).length > 1) };
      const conditions = filterConditions(checked, 'postgres');
      const authors = authorTsquery(query);
      const words = sql`websearch_to_tsquery('english', ${websearchText(query)})`;
      const tsq = authors ? sql`(${words} && ${authors})` : words;

      if (sort === 'relevance' && rum !== null && (await rum.ready())) return rumRanked(query, tsq, conditions, limit, offset, checked);
      const text = await countText(tsq, await textEstimate(tsq));
      if (text === 0) return { ids: [], total: 0 };
      const [page, total] = await Promise.all([
        text < COUNT_CAP
          ? fewSorted(tsq, conditions, sort, limit, offset)
          : sort === 'date'
            ? manyByDate(tsq, conditions, limit, offset)
            : manySorted(tsq, conditions, sort, limit, offset),
        countAll(tsq, conditions, text, checked.authors.length === 0),
      ]);
      return { ids: page, total };
    },

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
