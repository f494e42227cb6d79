// Rows <-> domain objects for papers and featured records. JSON arrays and 0/1 flags are text and
// integers in the database (see db/schema.ts).
import type { Insertable, Selectable } from 'kysely';
import type { FeaturedTable, PapersTable } from '../db/schema.js';
import { announcements } from '../papers/announce.js';
import type { Featured, Paper } from '../papers/types.js';

export type PaperRow = Selectable<PapersTable>;

/** The featured columns a list selects beside `papers.*` (featured aliased `f`). */
export const FEATURED_COLUMNS = [
  'f.paper_id',
  'f.day',
  'f.featured_at',
  'f.submitted_by_user_id',
  'f.submitted_by_name',
  'f.organization',
  'f.organization_name',
  'f.imported_upvotes',
  'f.imported_comments',
  'f.upvotes',
  'f.comment_count',
  'f.ai_summary',
  'f.ai_keywords',
] as const;
export type FeaturedRow = Selectable<FeaturedTable>;
/** What featuredFromRow reads: a featured row, or the featured columns of a joined row. */
export type FeaturedFields = Pick<FeaturedRow, (typeof FEATURED_COLUMNS)[number] extends `f.${infer C}` ? C & keyof FeaturedRow : never>;

export function paperFromRow(r: PaperRow): Paper {
  return {
    id: r.id,
    version: r.version,
    title: r.title,
    abstract: r.abstract,
    authors: JSON.parse(r.authors) as string[],
    primaryCategory: r.primary_category,
    categories: r.categories ? r.categories.split(' ') : [],
    publishedAt: r.published_at,
    updatedAt: r.updated_at,
    submitter: r.submitter,
    comments: r.comments,
    journalRef: r.journal_ref,
    doi: r.doi,
    reportNo: r.report_no,
    license: r.license,
    codeUrl: r.code_url,
    projectUrl: r.project_url,
    withdrawn: r.withdrawn === 1,
  };
}

export function paperToRow(p: Paper, source: string, hash: string, now: string): Insertable<PapersTable> {
  const a = announcements(p);
  return {
    id: p.id,
    version: p.version,
    title: p.title,
    abstract: p.abstract,
    authors: JSON.stringify(p.authors),
    primary_category: p.primaryCategory,
    categories: p.categories.join(' '),
    published_at: p.publishedAt,
    updated_at: p.updatedAt,
    announced_at: a.announcedAt,
    replaced_at: a.replacedAt,
    submitter: p.submitter,
    comments: p.comments,
    journal_ref: p.journalRef,
    doi: p.doi,
    report_no: p.reportNo,
    license: p.license,
    code_url: p.codeUrl,
    project_url: p.projectUrl,
    withdrawn: p.withdrawn ? 1 : 0,
    source,
    hash,
    created_at: now,
    modified_at: now,
  };
}

export function featuredFromRow(r: FeaturedFields): Featured {
  return {
    paperId: r.paper_id,
    day: r.day,
    featuredAt: r.featured_at,
    submittedByUserId: r.submitted_by_user_id,
    submittedByName: r.submitted_by_name,
    organization: r.organization,
    organizationName: r.organization_name,
    importedUpvotes: r.imported_upvotes,
    importedComments: r.imported_comments,
    aiSummary: r.ai_summary,
    aiKeywords: JSON.parse(r.ai_keywords) as string[],
  };
}

export function featuredToRow(f: Featured, source: string, hash: string, now: string): Insertable<FeaturedTable> {
  return {
    paper_id: f.paperId,
    day: f.day,
    featured_at: f.featuredAt,
    submitted_by_user_id: f.submittedByUserId,
    submitted_by_name: f.submittedByName,
    organization: f.organization,
    organization_name: f.organizationName,
    imported_upvotes: f.importedUpvotes,
    imported_comments: f.importedComments,
    // Local votes and comments are added by their stores; a new row starts from the imported counts.
    upvotes: f.importedUpvotes,
    comment_count: f.importedComments,
    ai_summary: f.aiSummary,
    ai_keywords: JSON.stringify(f.aiKeywords),
    source,
    hash,
    created_at: now,
    modified_at: now,
  };
}
