// SQLite's vector index (an HNSW graph in memory, saved beside the database: search/vectors-sqlite.ts)
// catches up with other processes' writes instead of rebuilding: new and changed vectors by
// paper_embedding.seq, deleted ones by this log, which a delete trigger appends to. It replaces
// 0003's counter of deletes, which made every process reload every vector after any delete.
// PostgreSQL keeps its vectors in pgvector's own index and needs none of this.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create table paper_embedding_gone (seq integer primary key autoincrement, doc_id integer not null)`.execute(db);
  await sql`drop trigger paper_embedding_ad`.execute(db);
  await sql`create trigger paper_embedding_ad after delete on paper_embedding begin
    insert into paper_embedding_gone(doc_id) values (old.doc_id);
  end`.execute(db);
}
