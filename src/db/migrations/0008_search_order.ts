// SQLite's full-text index in publication order, with the filters inside it (decision 0010).
//
// 1. search_doc.doc_id, the FTS5 rowid and the vector key, now grows with papers.published_at:
//    unixepoch(published_at) * 1024 plus a counter for papers of the same second. FTS5 reads its
//    matches in rowid order, so "newest first" is a walk from the end of each posting list, and
//    after:/before: become a rowid range that FTS5 seeks to, instead of a check on every match
//    (with 0003's arrival order, a backfill of old papers came out "newest").
// 2. A fourth FTS5 column, tags, holds a paper's categories and flags as tokens no word of a query
//    can produce (catcscv, catcslg, xhascode, xfeatured), so cat:, has:code and featured: join the
//    posting-list intersection. Queries name the text columns, and bm25 weighs tags 0.
//
// Keys: a paper's key lies in [base, end of its day) with base = unixepoch(published_at) * 1024 (0
// when the date does not parse); within a second the next free key, and when a second's 1024 are
// taken (papers dated only by their day share midnight) the next key after the day's highest, so
// a key never leaves its day and date ranges stay exact. Vectors move with their keys and every
// process rebuilds its vector graph (a new epoch in meta).
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/** Keys a day holds: 86,400 seconds of 1024. */
const DAY = 86_400 * 1024;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  for (const t of ['papers_search_ai', 'papers_search_au', 'papers_search_ad']) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);

  // New keys, assigned in (base, id) order: within a second by id, spilling forward when full.
  await sql`create table search_doc_new (doc_id integer primary key, paper_id text not null unique)`.execute(db);
  const papers = await sql<{ id: string; base: number }>`select id, coalesce(unixepoch(published_at), 0) * 1024 as base
    from papers order by base, id`.execute(db);
  let prev = -1;
  const keyed = papers.rows.map((p) => {
    prev = Math.max(Number(p.base), prev + 1);
    return { doc_id: prev, paper_id: p.id };
  });
  for (let i = 0; i < keyed.length; i += 5000) {
    const chunk = keyed.slice(i, i + 5000);
    await sql`insert into search_doc_new(doc_id, paper_id) values ${sql.join(chunk.map((k) => sql`(${k.doc_id}, ${k.paper_id})`))}`.execute(db);
  }
  // Vectors follow their papers (negated first: old and new keys may overlap), then every
  // process's graph is rebuilt under a new epoch.
  await sql`update paper_embedding set doc_id = -(select n.doc_id from search_doc o join search_doc_new n on n.paper_id = o.paper_id
    where o.doc_id = paper_embedding.doc_id)`.execute(db);
  await sql`delete from paper_embedding where doc_id is null`.execute(db);
  await sql`update paper_embedding set doc_id = -doc_id`.execute(db);
  await sql`delete from paper_embedding_gone`.execute(db);
  await sql`insert into meta(key, value, updated_at) values ('search.vector_epoch', '1', datetime('now'))
    on conflict(key) do update set value = cast(cast(value as integer) + 1 as text)`.execute(db);
  await sql`drop table search_doc`.execute(db);
  await sql`alter table search_doc_new rename to search_doc`.execute(db);

  // The key a paper gets now (for a new paper, or one whose date changed).
  await sql
    .raw(`create view search_doc_next as
    select k.paper_id, case
      when k.top is null then k.base
      when k.top < k.base + 1023 then k.top + 1
      else (select max(d.doc_id) + 1 from search_doc d where d.doc_id >= k.base and d.doc_id < (k.base / ${DAY} + 1) * ${DAY})
    end as doc_id
    from (select b.paper_id, b.base, (select max(d.doc_id) from search_doc d where d.doc_id >= b.base and d.doc_id < b.base + 1024) as top
      from (select p.id as paper_id, coalesce(unixepoch(p.published_at), 0) * 1024 as base from papers p) b) k`)
    .execute(db);
  // What the FTS5 row of a paper holds.
  await sql`create view search_row as
    select d.doc_id, p.title, p.authors, p.abstract,
      'cat' || replace(replace(replace(lower(coalesce(p.categories, '')), '.', ''), '-', ''), ' ', ' cat')
        || case when p.code_url <> '' then ' xhascode' else '' end
        || case when exists (select 1 from featured f where f.paper_id = p.id) then ' xfeatured' else '' end as tags
    from search_doc d join papers p on p.id = d.paper_id`.execute(db);

  await sql`drop table papers_fts`.execute(db);
  await sql`create virtual table papers_fts using fts5(title, authors, abstract, tags,
    content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
  await sql`insert into papers_fts(rowid, title, authors, abstract, tags) select * from search_row order by doc_id`.execute(db);
  await sql`insert into papers_fts(papers_fts) values ('optimize')`.execute(db);

  await sql`create trigger papers_search_ai after insert on papers begin
    insert into search_doc(doc_id, paper_id) select doc_id, paper_id from search_doc_next where paper_id = new.id;
    insert into papers_fts(rowid, title, authors, abstract, tags) select * from search_row where doc_id = (select doc_id from search_doc where paper_id = new.id);
  end`.execute(db);
  await sql`create trigger papers_search_au after update of title, authors, abstract, categories, code_url on papers
    when (old.title is not new.title or old.authors is not new.authors or old.abstract is not new.abstract
      or old.categories is not new.categories or old.code_url is not new.code_url)
      and old.published_at is new.published_at begin
    delete from papers_fts where rowid = (select doc_id from search_doc where paper_id = new.id);
    insert into papers_fts(rowid, title, authors, abstract, tags) select * from search_row where doc_id = (select doc_id from search_doc where paper_id = new.id);
  end`.execute(db);
  // A new date moves the paper: a new key, its vector dropped (the deletion log tells the graphs;
  // the next embedding pass makes it again under the new key).
  await sql`create trigger papers_search_date after update of published_at on papers
    when old.published_at is not new.published_at begin
    delete from papers_fts where rowid = (select doc_id from search_doc where paper_id = new.id);
    delete from paper_embedding where doc_id = (select doc_id from search_doc where paper_id = new.id);
    update search_doc set doc_id = (select doc_id from search_doc_next where paper_id = new.id) where paper_id = new.id;
    insert into papers_fts(rowid, title, authors, abstract, tags) select * from search_row where doc_id = (select doc_id from search_doc where paper_id = new.id);
  end`.execute(db);
  await sql`create trigger papers_search_ad after delete on papers begin
    delete from papers_fts where rowid = (select doc_id from search_doc where paper_id = old.id);
    delete from paper_embedding where doc_id = (select doc_id from search_doc where paper_id = old.id);
    delete from search_doc where paper_id = old.id;
  end`.execute(db);
  // featured: is a tag: its row appears or goes (upvote updates leave the index alone).
  for (const [name, event, row] of [
    ['featured_search_ai', 'insert', 'new'],
    ['featured_search_ad', 'delete', 'old'],
  ] as const) {
    await sql
      .raw(`create trigger ${name} after ${event} on featured begin
      delete from papers_fts where rowid = (select doc_id from search_doc where paper_id = ${row}.paper_id);
      insert into papers_fts(rowid, title, authors, abstract, tags) select * from search_row where doc_id = (select doc_id from search_doc where paper_id = ${row}.paper_id);
    end`)
      .execute(db);
  }
}
