// Search indexes that stay in step with the papers table whatever writes it (importer, harvester,
// submissions): triggers maintain them, so no store needs to know they exist.
//
// SQLite: a contentless FTS5 table (https://sqlite.org/fts5.html#contentless_delete_tables) keyed
// by search_doc.doc_id, an INTEGER PRIMARY KEY, because VACUUM may renumber the implicit rowid of
// papers (https://sqlite.org/lang_vacuum.html) and the FTS rows and vectors must not move.
// Snippets are cut from papers.abstract in JS, so the text is not stored twice.
// PostgreSQL: a weighted tsvector per paper in paper_search, kept by a trigger, with a GIN index;
// a side table rather than a generated column so that `select *` on papers stays lean.
// Vectors: paper_embedding holds each paper's vector with the name of the model that made it; on
// PostgreSQL the pgvector table is created at run time, once the model's dimension is known.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create table search_doc (doc_id integer primary key, paper_id text not null unique)`.execute(db);
    await sql`create virtual table papers_fts using fts5(title, authors, abstract,
      content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2')`.execute(db);
    await sql`create trigger papers_search_ai after insert on papers begin
      insert into search_doc(paper_id) values (new.id);
      insert into papers_fts(rowid, title, authors, abstract)
        values ((select doc_id from search_doc where paper_id = new.id), new.title, new.authors, new.abstract);
    end`.execute(db);
    await sql`create trigger papers_search_au after update of title, authors, abstract on papers
      when old.title is not new.title or old.authors is not new.authors or old.abstract is not new.abstract begin
      delete from papers_fts where rowid = (select doc_id from search_doc where paper_id = new.id);
      insert into papers_fts(rowid, title, authors, abstract)
        values ((select doc_id from search_doc where paper_id = new.id), new.title, new.authors, new.abstract);
    end`.execute(db);
    await sql`create trigger papers_search_ad after delete on papers begin
      delete from papers_fts where rowid = (select doc_id from search_doc where paper_id = old.id);
      delete from paper_embedding where doc_id = (select doc_id from search_doc where paper_id = old.id);
      delete from search_doc where paper_id = old.id;
    end`.execute(db);
    // seq grows with every write so that an in-memory vector index can catch up with what other
    // processes (import, reindex) wrote, reading only the rows it has not seen.
    await sql`create table paper_embedding (doc_id integer primary key, model text not null,
      seq integer not null, vec blob not null)`.execute(db);
    await sql`create index paper_embedding_seq on paper_embedding(seq)`.execute(db);
    await sql`create trigger paper_embedding_ad after delete on paper_embedding begin
      insert into meta(key, value, updated_at) values ('search.vector_deletes', '1', datetime('now'))
        on conflict(key) do update set value = cast(cast(value as integer) + 1 as text);
    end`.execute(db);
    // Papers already stored (a database migrated after an import) get their rows now.
    await sql`insert into search_doc(paper_id) select id from papers`.execute(db);
    await sql`insert into papers_fts(rowid, title, authors, abstract)
      select d.doc_id, p.title, p.authors, p.abstract from papers p join search_doc d on d.paper_id = p.id`.execute(db);
  } else {
    await sql`create table paper_search (paper_id text primary key references papers(id) on delete cascade,
      tsv tsvector not null)`.execute(db);
    // Title weight A, authors B, abstract C: ts_rank_cd's default weights {0.1, 0.2, 0.4, 1.0}
    // then rank title > authors > abstract. Authors use 'simple' (no stemming of names).
    await sql`create function paper_search_tsv(title text, authors text, abstract text) returns tsvector
      language sql immutable as $$
        select setweight(to_tsvector('english', coalesce(title, '')), 'A')
          || setweight(to_tsvector('simple', coalesce(authors, '')), 'B')
          || setweight(to_tsvector('english', coalesce(abstract, '')), 'C')
      $$`.execute(db);
    await sql`create function paper_search_sync() returns trigger language plpgsql as $$
      begin
        insert into paper_search(paper_id, tsv) values (new.id, paper_search_tsv(new.title, new.authors, new.abstract))
          on conflict (paper_id) do update set tsv = excluded.tsv;
        return null;
      end $$`.execute(db);
    await sql`create trigger papers_search_ai after insert on papers for each row execute function paper_search_sync()`.execute(db);
    await sql`create trigger papers_search_au after update of title, authors, abstract on papers for each row
      when (old.title is distinct from new.title or old.authors is distinct from new.authors
        or old.abstract is distinct from new.abstract)
      execute function paper_search_sync()`.execute(db);
    await sql`insert into paper_search(paper_id, tsv)
      select id, paper_search_tsv(title, authors, abstract) from papers`.execute(db);
    await sql`create index paper_search_tsv_gin on paper_search using gin (tsv)`.execute(db);
  }
  await db.schema
    .createTable('search_model')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('papers', 'integer', (c) => c.notNull())
    .addColumn('data', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
