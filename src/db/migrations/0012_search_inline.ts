// PostgreSQL: each paper's tsvector is kept in its row of paper_search, not in the TOAST table
// (decision 0025). A row over ~2 KB (about half of them: a tsvector with positions, tags and word
// pairs is 2.2 KB on average) had its tsvector moved out of line, uncompressed (pglz gives up on
// tsvectors), and every use of it cost a TOAST index probe and one or two more pages: ranking the
// 1,000 newest matches, and the recheck of each candidate of a phrase (positions) or an author
// (weights). With toast_tuple_target at its maximum, a row is only compressed or moved out of line
// when it exceeds a page; the table is the same size (2.3 GB of rows at a million papers, where it
// was 0.7 GB of rows + 1.7 GB of TOAST) and the tsvector is on the page the scan reads anyway.
//
// The existing rows are rewritten into a new table swapped in, as 0010 and 0011 did (rows moved
// out of line stay there until rewritten): 2 min 44 s at a million papers, most of it the GIN
// build.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/** The largest toast_tuple_target PostgreSQL accepts (BLCKSZ - the page header, 8 KB pages). */
export const INLINE_TARGET = 8160;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create table paper_search_new (paper_id text not null, published_at text, tsv tsvector not null)
    with (toast_tuple_target = ${sql.raw(String(INLINE_TARGET))})`.execute(db);
  await sql`insert into paper_search_new select paper_id, published_at, tsv from paper_search`.execute(db);
  await sql`drop table paper_search`.execute(db);
  await sql`alter table paper_search_new rename to paper_search`.execute(db);
  await sql`alter table paper_search add primary key (paper_id), add foreign key (paper_id) references papers(id) on delete cascade`.execute(db);
  await sql`set local maintenance_work_mem = '512MB'`.execute(db);
  await sql`create index paper_search_tsv_gin on paper_search using gin (tsv)`.execute(db);
  await sql`analyze paper_search`.execute(db);
}
