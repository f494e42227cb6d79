// SQLite: papers_fts_terms, FTS5's vocabulary of the search index (https://sqlite.org/fts5.html#the_fts5vocab_virtual_table_module),
// one row a term with the number of papers that have it. The search service reads the common
// terms' counts from it once (term-stats.ts) instead of counting a common word's
// papers on its first search: "models", in 841,000 of a million papers, took 25-40 ms to count.
// A virtual table over papers_fts: it stores nothing. PostgreSQL has its planner's statistics.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`create virtual table if not exists papers_fts_terms using fts5vocab(papers_fts, 'row')`.execute(db);
}
