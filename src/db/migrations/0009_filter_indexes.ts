// Indexes for search filters that take few papers (issue 5, measured at a million papers):
// `has:code` (about 0.4 % of the million) had no index, so a query with it read every paper before
// its text was ranked (210-260 ms on PostgreSQL); a partial index in date order holds only the
// papers with code. On PostgreSQL `cat:` is a containment on the categories as an array (filters.ts)
// with a GIN index on that expression, which also gives the planner statistics for it; SQLite
// answers cat: and has:code from its FTS5 tags column (migration 0008) and lists filter-only
// queries from the partial index.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`create index papers_with_code on papers (published_at, id) where code_url <> ''`.execute(db);
  if (dialect === 'postgres') {
    await sql`create index papers_categories on papers using gin (string_to_array(lower(categories), ' '))`.execute(db);
    await sql`analyze papers`.execute(db);
  }
}
