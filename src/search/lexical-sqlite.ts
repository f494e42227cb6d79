// Lexical search on SQLite: FTS5 (migration 0003) ranked by bm25 with column weights, title over
// authors over abstract (https://sqlite.org/fts5.html#the_bm25_function).
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { filterConditions, orderBy, whereAll } from './filters.js';
import { hasText, type ParsedQuery, wordsOf } from './query.js';
import { COUNT_CAP, type LexicalBackend, type LexicalRequest, type LexicalResult } from './types.js';

/** Column weights for bm25(): title, authors, abstract. A title hit counts as ten abstract hits. */
const WEIGHTS = sql`10.0, 4.0, 1.0`;

/**
 * Relevance ranks the newest RANK_WINDOW matches by bm25 (all of them when there are fewer, as
 * for nearly every query of two or more words); date and upvote sorts take the newest COUNT_CAP.
 * Measured at a million papers: docs/decisions/0010.
 */
export const RANK_WINDOW = 1000;

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

const quote = (words: string[]) => `"${words.join(' ').replaceAll('"', '""')}"`;

/** The FTS5 MATCH expression: every word and phrase (AND), minus the exclusions. */
export function matchExpression(q: ParsedQuery): string | null {
  // author: names go to the index too (a column filter), so that a common name does not scan
  // every paper; the LIKE in filters.ts still checks the exact spelling.
  const authors = q.authors.map(wordsOf).filter((w) => w.length > 0).map((w) => `authors : ${quote(w)}`);
  const positive = [...q.words.map((w) => quote([w])), ...q.phrases.map(quote), ...authors];
  if (positive.length === 0) return null;
  const negative = q.excluded.map(quote);
  return negative.length ? `${positive.join(' ')} NOT (${negative.join(' OR ')})` : positive.join(' ');
}

function exclusionsOnly(q: ParsedQuery): RawBuilder<unknown> | null {
  if (hasText(q) || q.excluded.length === 0) return null;
  const expr = q.excluded.map(quote).join(' OR ');
  return sql`p.id not in (select d.paper_id from search_doc d where d.doc_id in
    (select rowid from papers_fts where papers_fts match ${expr}))`;
}

export function sqliteLexical(db: Kysely<Database>): LexicalBackend {
  return {
    async search({ query, sort, limit, offset }: LexicalRequest): Promise<LexicalResult> {
      const conditions = filterConditions(query, 'sqlite');
      const excl = exclusionsOnly(query);
      if (excl) conditions.push(excl);
      const match = matchExpression(query);
      if (match === null) {
        const rows = await sql<{ id: string }>`select p.id from papers p left join featured fe on fe.paper_id = p.id
          where ${whereAll(conditions)} order by ${orderBy(sort, null)} limit ${limit} offset ${offset}`.execute(db);
        const count = await sql<{ n: number }>`select count(*) as n from (select 1 from papers p left join featured fe on fe.paper_id = p.id
          where ${whereAll(conditions)} limit ${COUNT_CAP})`.execute(db);
        return { ids: rows.rows.map((r) => r.id), total: Number(count.rows[0]?.n ?? 0) };
      }
      // The matches are read newest first (FTS5 walks its doclists by rowid, which grows as papers
      // arrive) and only a window of them is ranked or sorted: bm25 costs several microseconds a
      // row, and a common word matches a tenth of a million papers. CROSS JOIN keeps the FTS table
      // the outer loop, so filters are checked on the way and the scan stops at the window.
      const window = Math.max(sort === 'relevance' ? RANK_WINDOW : COUNT_CAP, offset + limit);
      const score = sort === 'relevance' ? sql`bm25(papers_fts, ${WEIGHTS})` : sql`0`;
      const from = sql`papers_fts f cross join search_doc d on d.doc_id = f.rowid cross join papers p on p.id = d.paper_id
        left join featured fe on fe.paper_id = p.id`;
      const where = sql`papers_fts match ${match} and ${whereAll(conditions)}`;
      const rows = await sql<WindowRow>`select p.id, p.published_at, fe.upvotes, ${score} as score
        from ${from} where ${where} order by f.rowid desc limit ${window}`.execute(db);
      const ranked = rows.rows.sort(compareWindow(sort)).slice(offset, offset + limit).map((r) => r.id);
      // A window that did not fill holds every match: its size is the count, no second pass needed.
      if (rows.rows.length < window) return { ids: ranked, total: Math.min(rows.rows.length, COUNT_CAP) };
      // Without filters the count needs no join: FTS5 counts its own doclists.
      const count = conditions.length
        ? await sql<{ n: number }>`select count(*) as n from (select 1 from ${from} where ${where} limit ${COUNT_CAP})`.execute(db)
        : await sql<{ n: number }>`select count(*) as n from (select rowid from papers_fts where papers_fts match ${match} limit ${COUNT_CAP})`.execute(db);
      return { ids: ranked, total: Number(count.rows[0]?.n ?? 0) };
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
