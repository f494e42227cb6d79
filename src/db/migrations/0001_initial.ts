// Papers and their appearances in the daily feed. Users, votes and comments come later and will
// reference featured.submitted_by_user_id and papers.id.
import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('papers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'integer')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('abstract', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('authors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('primary_category', 'text')
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('published_at', 'text')
    .addColumn('updated_at', 'text')
    .addColumn('submitter', 'text')
    .addColumn('comments', 'text')
    .addColumn('journal_ref', 'text')
    .addColumn('doi', 'text')
    .addColumn('report_no', 'text')
    .addColumn('license', 'text')
    .addColumn('code_url', 'text')
    .addColumn('project_url', 'text')
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  // "Every indexed paper, newest first" and date filters.
  await db.schema.createIndex('papers_published_at').on('papers').columns(['published_at', 'id']).execute();

  await db.schema
    .createTable('featured')
    .addColumn('paper_id', 'text', (c) => c.primaryKey().references('papers.id').onDelete('cascade'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('featured_at', 'text', (c) => c.notNull())
    .addColumn('submitted_by_user_id', 'integer')
    .addColumn('submitted_by_name', 'text')
    .addColumn('organization', 'text')
    .addColumn('organization_name', 'text')
    .addColumn('imported_upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_comments', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('upvotes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('comment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ai_summary', 'text')
    .addColumn('ai_keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'text', (c) => c.notNull())
    .execute();
  // A day's list sorted by upvotes, and the latest featured day.
  await db.schema.createIndex('featured_day_upvotes').on('featured').columns(['day', 'upvotes']).execute();
  await db.schema.createIndex('featured_featured_at').on('featured').column('featured_at').execute();
  await db.schema.createIndex('featured_organization').on('featured').columns(['organization', 'day']).execute();

  await db.schema
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
