// Lexical search on PostgreSQL: the weighted tsvector of paper_search (migration 0003),
// websearch_to_tsquery (never raises on user input) and a ranking by relevance that comes from the
// RUM index when there is one (`tsv <=> query`, rum-postgres.ts) and otherwise from ts_rank_cd
// over every match found by the GIN index
// (https://www.postgresql.org/docs/15/textsearch-controls.html). Decision 0017.
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import { filterConditions, orderBy, whereAll } from './filters.js';
import { hasText, type ParsedQuery, wordsOf } from './query.js';
import { type RumIndex, rumIndex } from './rum-postgres.js';
import { COUNT_CAP, type LexicalBackend, type LexicalRequest, type LexicalResult } from './types.js';

const quote = (words: string[]) => (words.length > 1 ? `"${words.join(' ')}"` : words[0]!);

/** The websearch_to_tsquery input: words, "phrases" and -exclusions, already reduced to words. */
export function websearchText(q: ParsedQuery): string {
  return [...q.words, ...q.phrases.map(quote), ...q.excluded.map((e) => `-${quote(e)}`)].join(' ');
}

/**
 * author: names as a tsquery on the authors' part of the tsvector (weight B, 'simple'
 * configuration), so that the GIN index finds them; the ILIKE in filters.ts checks the spelling.
 */
export function authorTsquery(q: ParsedQuery): RawBuilder<unknown> | null {
  const names = q.authors.map(wordsOf).filter((w) => w.length > 0);
  if (names.length === 0) return null;
  const text = names.map((w) => `(${w.map((x) => `${x}:B`).join(' <-> ')})`).join(' & ');
  return sql`to_tsquery('simple', ${text})`;
}

/**
 * The query RUM ranks by: the words and the phrases' words, AND-ed. RUM's distance computed inside
 * the index does not evaluate `<->` (it has positions but ranks a phrase query as if nothing
 * matched, so the index returns phrase matches in no useful order); the phrase itself still
 * filters, in the WHERE clause. Exclusions add nothing to the rank of a paper that passes them.
 */
export function rankText(q: ParsedQuery): string {
  return [...q.words, ...q.phrases.flat()].join(' ');
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

export function postgresLexical(db: Kysely<Database>, options: PostgresLexicalOptions = {}): PostgresLexical {
  const rum = options.rum === false ? null : rumIndex(db, options.log);
  return {
    rum,

    async search({ query, sort, limit, offset }: LexicalRequest): Promise<LexicalResult> {
      const conditions = filterConditions(query, 'postgres');
      const authors = authorTsquery(query);
      if (!hasText(query)) {
        if (authors) conditions.push(sql`p.id in (select paper_id from paper_search where tsv @@ ${authors})`);
        if (query.excluded.length) {
          conditions.push(sql`not exists (select 1 from paper_search s where s.paper_id = p.id and s.tsv @@ ${excludedTsquery(query)})`);
        }
        const rows = await sql<{ id: string }>`select p.id from papers p left join featured fe on fe.paper_id = p.id
          where ${whereAll(conditions)} order by ${orderBy(sort, null)} limit ${limit} offset ${offset}`.execute(db);
        const count = await sql<{ n: number }>`select count(*) as n from (select 1 from papers p left join featured fe on fe.paper_id = p.id
          where ${whereAll(conditions)} limit ${COUNT_CAP}) c`.execute(db);
        return { ids: rows.rows.map((r) => r.id), total: Number(count.rows[0]?.n ?? 0) };
      }
      const words = sql`websearch_to_tsquery('english', ${websearchText(query)})`;
      const tsq = authors ? sql`(${words} && ${authors})` : words;
      const from = sql`paper_search s join papers p on p.id = s.paper_id left join featured fe on fe.paper_id = p.id`;
      const where = sql`s.tsv @@ ${tsq} and ${whereAll(conditions)}`;
      // RUM: the index yields matches nearest first (1 / its cover-density rank, with the same
      // A/B/C weights as ts_rank_cd); equal distances come in the index's (storage) order, which
      // is stable, so pages do not overlap. A second sort key would make the planner sort every
      // match instead, so there is none.
      const byRum = sort === 'relevance' && rum !== null && (await rum.ready());
      const rows = byRum
        ? await sql<{ id: string }>`select s.paper_id as id from ${conditions.length ? from : sql`paper_search s`} where ${where}
            order by s.tsv <=> websearch_to_tsquery('english', ${rankText(query)}) limit ${limit} offset ${offset}`.execute(db)
        : await sql<{ id: string }>`select p.id from ${from} where ${where}
            order by ${orderBy(sort, sql`ts_rank_cd(s.tsv, ${tsq}) desc`)} limit ${limit} offset ${offset}`.execute(db);
      const count = conditions.length
        ? await sql<{ n: number }>`select count(*) as n from (select 1 from ${from} where ${where} limit ${COUNT_CAP}) c`.execute(db)
        : await sql<{ n: number }>`select count(*) as n from (select 1 from paper_search s where s.tsv @@ ${tsq} limit ${COUNT_CAP}) c`.execute(db);
      return { ids: rows.rows.map((r) => r.id), total: Number(count.rows[0]?.n ?? 0) };
    },

    async filter(ids, query) {
      if (ids.length === 0) return new Set();
      const conditions = filterConditions(query, 'postgres');
      if (query.excluded.length) {
        conditions.push(sql`not exists (select 1 from paper_search s where s.paper_id = p.id and s.tsv @@ ${excludedTsquery(query)})`);
      }
      const rows = await sql<{ id: string }>`select p.id from papers p left join featured fe on fe.paper_id = p.id
        where p.id = any(${ids}) and ${whereAll(conditions)}`.execute(db);
      return new Set(rows.rows.map((r) => r.id));
    },
  };
}
