// PostgreSQL's tsvector gets what SQLite's FTS5 tags column holds (migration 0008), plus the
// publication month, as lexemes no word of a query can produce (they contain a space; the parser
// splits on spaces): 'cat cs.cv' per category, 'has code', 'is featured', 'ym 2026-11'. Filters
// then join the GIN intersection instead of being checked paper by paper after it, and a search can
// walk back month by month through the newest matches (lexical-postgres.ts, decision 0019): an AND
// with one month's lexeme is driven by that short posting list, where the words alone may have
// hundreds of thousands. paper_search also keeps published_at, so the matches a month walk finds
// are put in date order from the rows already read.
//
// The rebuild reuses each paper's tsvector (to_tsvector is most of the cost) and is a new table
// swapped in, not an update of every row under its GIN (and RUM) index: about two minutes at a
// million papers, most of it the GIN build. The RUM index of decision 0017, if there was one, goes
// with the old table: the month walk ranks a bounded window from the rows, RUM is no longer used.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`drop trigger if exists papers_search_ai on papers`.execute(db);
  await sql`drop trigger if exists papers_search_au on papers`.execute(db);
  await sql`create function paper_search_tags(categories text, code_url text, published_at text, featured boolean) returns tsvector
    language sql immutable as $$
      select array_to_tsvector(array_remove(
        array(select distinct 'cat ' || c from unnest(string_to_array(lower(coalesce(categories, '')), ' ')) c where c <> '')
          || ('ym ' || substr(published_at, 1, 7))
          || case when code_url <> '' then 'has code' end
          || case when featured then 'is featured' end,
        null))
    $$`.execute(db);
  // One paper's row, as the trigger and reindex write it.
  await sql`create view paper_search_source as
    select p.id as paper_id, p.published_at,
      paper_search_tsv(p.title, p.authors, p.abstract)
        || paper_search_tags(p.categories, p.code_url, p.published_at, fe.paper_id is not null) as tsv
    from papers p left join featured fe on fe.paper_id = p.id`.execute(db);

  await sql`create table paper_search_new as
    select s.paper_id, p.published_at, s.tsv || paper_search_tags(p.categories, p.code_url, p.published_at, fe.paper_id is not null) as tsv
    from paper_search s join papers p on p.id = s.paper_id left join featured fe on fe.paper_id = p.id`.execute(db);
  await sql`drop table paper_search`.execute(db);
  await sql`alter table paper_search_new rename to paper_search`.execute(db);
  await sql`alter table paper_search alter column paper_id set not null, alter column tsv set not null,
    add primary key (paper_id), add foreign key (paper_id) references papers(id) on delete cascade`.execute(db);
  await sql`set local maintenance_work_mem = '256MB'`.execute(db);
  await sql`create index paper_search_tsv_gin on paper_search using gin (tsv)`.execute(db);

  await sql`create or replace function paper_search_sync() returns trigger language plpgsql as $$
    begin
      insert into paper_search(paper_id, published_at, tsv) select paper_id, published_at, tsv from paper_search_source where paper_id = new.id
        on conflict (paper_id) do update set published_at = excluded.published_at, tsv = excluded.tsv;
      return null;
    end $$`.execute(db);
  await sql`create trigger papers_search_ai after insert on papers for each row execute function paper_search_sync()`.execute(db);
  await sql`create trigger papers_search_au after update of title, authors, abstract, categories, code_url, published_at on papers for each row
    when (old.title is distinct from new.title or old.authors is distinct from new.authors or old.abstract is distinct from new.abstract
      or old.categories is distinct from new.categories or old.code_url is distinct from new.code_url
      or old.published_at is distinct from new.published_at)
    execute function paper_search_sync()`.execute(db);
  // Featuring a paper adds or removes one lexeme; the text is not parsed again.
  await sql`create function paper_search_featured() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        update paper_search set tsv = tsv || array_to_tsvector('{is featured}') where paper_id = new.paper_id;
      else
        update paper_search set tsv = ts_delete(tsv, 'is featured'::text) where paper_id = old.paper_id;
      end if;
      return null;
    end $$`.execute(db);
  await sql`create trigger featured_search_ai after insert on featured for each row execute function paper_search_featured()`.execute(db);
  await sql`create trigger featured_search_ad after delete on featured for each row execute function paper_search_featured()`.execute(db);
  await sql`analyze paper_search`.execute(db);
}
