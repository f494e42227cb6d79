// PostgreSQL: each paper's tsvector also holds its word pairs, the lexemes of two adjacent
// positions as one positionless lexeme with two spaces ('reason  model'), so that a "phrase" is
// found by the index instead of by reading every paper that has all its words. GIN keeps no
// positions: `'reason' <-> 'model'` was answered by fetching each paper holding both lexemes
// (at a million papers, tens of thousands for two common words) and checking positions in its
// tsvector, 0.3 to 0.7 s. The pairs are what Elasticsearch's `index_phrases` indexes, for the same
// reason (decision 0020). Two spaces: the parser never puts a space in a lexeme, and the tags of
// migration 0010 have one.
//
// A paper matching a phrase has every adjacent pair of the phrase's lexemes (positions one apart)
// among its pairs, so AND-ing the phrase's pairs (paper_search_phrase_pairs) with the tsquery
// narrows the candidates and never loses a match; the positions are still checked. Words a
// stop word separates (`state <3> art`) make no pair, on either side.
//
// The rebuild reuses each stored tsvector (the tags and months stay, positionless lexemes make no
// pairs) into a new table swapped in, as 0010 did: about twice the tsvector and a longer GIN build.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create function paper_search_pairs(v tsvector) returns tsvector language sql immutable parallel safe as $$
      select coalesce(array_to_tsvector(array_agg(distinct a.lexeme || '  ' || b.lexeme)), ''::tsvector)
      from (select lexeme, unnest(positions) as pos from unnest(v)) a
      join (select lexeme, unnest(positions) as pos from unnest(v)) b on b.pos = a.pos + 1
    $$`.execute(db);
  // The pairs of some phrases as a tsquery AND, quoted (backslash and quote escaped); null when
  // they make none (one word, or words apart).
  await sql`create function paper_search_phrase_pairs(phrases text[]) returns tsquery language sql immutable parallel safe as $$
      select string_agg('''' || replace(replace(x.lexeme, '\\', '\\\\'), '''', '\\''') || '''', ' & ')::tsquery
      from unnest(phrases) ph, unnest(paper_search_pairs(to_tsvector('english', ph))) x
    $$`.execute(db);
  await sql`create or replace view paper_search_source as
    select p.id as paper_id, p.published_at,
      w.tsv || paper_search_pairs(w.tsv) || paper_search_tags(p.categories, p.code_url, p.published_at, fe.paper_id is not null) as tsv
    from papers p left join featured fe on fe.paper_id = p.id
      cross join lateral (select paper_search_tsv(p.title, p.authors, p.abstract) as tsv) w`.execute(db);

  await sql`create table paper_search_new as select paper_id, published_at, tsv || paper_search_pairs(tsv) as tsv from paper_search`.execute(db);
  await sql`drop table paper_search`.execute(db);
  await sql`alter table paper_search_new rename to paper_search`.execute(db);
  await sql`alter table paper_search alter column paper_id set not null, alter column tsv set not null,
    add primary key (paper_id), add foreign key (paper_id) references papers(id) on delete cascade`.execute(db);
  await sql`set local maintenance_work_mem = '512MB'`.execute(db);
  await sql`create index paper_search_tsv_gin on paper_search using gin (tsv)`.execute(db);
  await sql`analyze paper_search`.execute(db);
}
