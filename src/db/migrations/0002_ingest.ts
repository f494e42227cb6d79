// Ingestion state: where each OAI-PMH harvest stands (so a killed harvest resumes), and the one
// schedule table every periodic job shares ("the database row is the queue", STYLE.md §10).
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('harvests')
    // One row per (metadata format, set, window): `arXivRaw:cs:2025-01-01:2025-01-31`.
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('set_spec', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text')
    .addColumn('until_date', 'text')
    // running | done | failed
    .addColumn('status', 'text', (c) => c.notNull())
    // The resumptionToken for the next page; null before the first page and after the last.
    .addColumn('token', 'text')
    // Greatest record datestamp stored so far: where a lost token restarts the window.
    .addColumn('last_datestamp', 'text')
    .addColumn('records', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('harvests_set_finished').on('harvests').columns(['set_spec', 'status', 'finished_at']).execute();

  await db.schema
    .createTable('jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    // A lease, not a lock: an instance that dies mid-run lets it expire and another takes over.
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_started_at', 'text')
    .addColumn('last_finished_at', 'text')
    .addColumn('last_success_at', 'text')
    // ok | error
    .addColumn('last_outcome', 'text')
    .addColumn('last_error', 'text')
    // JSON: what the last run did (records, pages, ...), for the status page.
    .addColumn('last_details', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
