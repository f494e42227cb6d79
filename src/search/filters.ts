// The query language's filters as SQL over `papers p left join featured fe`, shared by both lexical
// backends and by the check applied to semantic candidates. Values are bound, never spliced.
import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from '../db/schema.js';
import type { ParsedQuery, Sort } from './query.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export function filterConditions(q: ParsedQuery, dialect: Dialect): RawBuilder<unknown>[] {
  const like = dialect === 'postgres' ? sql`ilike` : sql`like`; // SQLite's LIKE ignores ASCII case already
  const out: RawBuilder<unknown>[] = [];
  for (const a of q.authors) out.push(sql`p.authors ${like} ${`%${escapeLike(a)}%`} escape '\\'`);
  if (q.categories.length > 0 && dialect === 'postgres') {
    // The expression of the GIN index papers_categories (migration 0009): the planner estimates
    // it from that index's statistics and can use it.
    out.push(sql`string_to_array(lower(p.categories), ' ') && ${q.categories.map((c) => c.toLowerCase())}::text[]`);
  } else if (q.categories.length > 0) {
    // categories is space-separated ("cs.LG cs.AI"); several cat: operators mean any of them.
    out.push(
      sql`(${sql.join(
        q.categories.map((c) => sql`(' ' || p.categories || ' ') ${like} ${`% ${escapeLike(c)} %`} escape '\\'`),
        sql` or `,
      )})`,
    );
  }
  if (q.after) out.push(sql`p.published_at >= ${q.after}`);
  if (q.before) out.push(sql`p.published_at < ${q.before}`);
  if (q.hasCode) out.push(sql`p.code_url is not null and p.code_url <> ''`);
  if (q.featured === true) out.push(sql`fe.paper_id is not null`);
  if (q.featured === false) out.push(sql`fe.paper_id is null`);
  return out;
}

export function whereAll(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
  return conditions.length ? sql.join(conditions, sql` and `) : sql`1 = 1`;
}

export function orderBy(sort: Sort, relevance: RawBuilder<unknown> | null): RawBuilder<unknown> {
  if (sort === 'upvotes') return sql`coalesce(fe.upvotes, 0) desc, p.published_at desc, p.id desc`;
  if (sort === 'date' || !relevance) return sql`p.published_at desc, p.id desc`;
  return sql`${relevance}, p.published_at desc, p.id desc`;
}
