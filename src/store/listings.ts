// Listings for the JSON API, the feeds and the CLI that the pages' day/week/month queries
// (store/feeds.ts) do not cover: the daily list filtered by submitter or organization, every
// indexed paper newest first with a keyset cursor, and an author's papers. Each is one query
// (two for the cursor when it crosses into papers without a date). A page is fetched with one row
// more than asked, so callers know whether a next page exists without counting the whole list.
import { type Kysely, sql } from 'kysely';
import type { Database, Dialect } from '../db/schema.js';
import type { DayRange } from '../papers/dates.js';
import { rankTrending, trendingClock, WINDOW_DAYS } from '../papers/trending.js';
import type { Featured } from '../papers/types.js';
import { feedQuery, type FeedRow, toItem } from './feeds.js';
import type { FeaturedPaper } from './papers.js';
import { FEATURED_COLUMNS, featuredFromRow, paperFromRow } from './rows.js';

/** A paper and, when it was featured, its feed record and counts. */
export type ListedPaper = Omit<FeaturedPaper, 'featured'> & { featured: Featured | null };

export interface Page<T> {
  items: T[];
  /** Whether another page follows. */
  more: boolean;
}

export const LISTING_SORTS = ['publishedAt', 'trending', 'upvotes'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

export interface DailyFilter {
  /** Feed days, inclusive; all days when absent. */
  range?: DayRange | undefined;
  /** Exact submitter name (a Hugging Face username carried over by an import, or a local one). */
  submitter?: string | undefined;
  /** Exact organization handle. */
  organization?: string | undefined;
}

function page<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), more: rows.length > limit };
}

/**
 * Featured papers, newest feature first (`publishedAt`, as Hugging Face's daily_papers sorts),
 * most upvoted, or trending. Trending over all days ranks the papers of the trending window (see
 * papers/trending.ts); within a day range it ranks the whole range, measured at its end.
 */
export async function listDaily(
  db: Kysely<Database>,
  filter: DailyFilter,
  sort: ListingSort,
  paging: { offset: number; limit: number },
  now = new Date(),
): Promise<Page<FeaturedPaper>> {
  let q = feedQuery(db);
  if (filter.range) q = q.where('f.day', '>=', filter.range.from).where('f.day', '<=', filter.range.to);
  if (filter.submitter !== undefined) q = q.where('f.submitted_by_name', '=', filter.submitter);
  if (filter.organization !== undefined) q = q.where('f.organization', '=', filter.organization);

  if (sort === 'trending') {
    let clock: Date;
    if (filter.range) {
      const rows = await q.execute();
      clock = trendingClock(now, newestOf(rows));
      return page(rankRows(rows, clock).slice(paging.offset, paging.offset + paging.limit + 1), paging.limit);
    }
    const newest = await db.selectFrom('featured').select((eb) => eb.fn.max('featured_at').as('t')).executeTakeFirst();
    clock = trendingClock(now, newest?.t ?? null);
    const since = new Date(clock.getTime() - WINDOW_DAYS * 86_400_000).toISOString();
    const rows = await q.where('f.featured_at', '>=', since).execute();
    return page(rankRows(rows, clock).slice(paging.offset, paging.offset + paging.limit + 1), paging.limit);
  }
  q = sort === 'upvotes'
    ? q.orderBy('f.upvotes', 'desc').orderBy('f.featured_at', 'desc')
    : q.orderBy('f.featured_at', 'desc');
  const rows = await q.orderBy('f.paper_id', 'desc').limit(paging.limit + 1).offset(paging.offset).execute();
  return page(rows.map(toItem), paging.limit);
}

const newestOf = (rows: FeedRow[]) => rows.reduce<string | null>((m, r) => (m === null || r.featured_at > m ? r.featured_at : m), null);

function rankRows(rows: FeedRow[], clock: Date): FeaturedPaper[] {
  return rankTrending(rows.map((r) => ({ row: r, upvotes: r.upvotes, featuredAt: r.featured_at, id: r.paper_id })), clock).map((x) => toItem(x.row));
}

function listedQuery(db: Kysely<Database>) {
  return db
    .selectFrom('papers as p')
    .leftJoin('featured as f', 'f.paper_id', 'p.id')
    .selectAll('p')
    .select(FEATURED_COLUMNS);
}

type ListedRow = Awaited<ReturnType<ReturnType<typeof listedQuery>['executeTakeFirstOrThrow']>>;

function toListed(r: ListedRow): ListedPaper {
  const paper = paperFromRow(r);
  if (r.paper_id === null || r.day === null || r.featured_at === null) return { paper, featured: null, upvotes: 0, commentCount: 0 };
  const featured = featuredFromRow({
    paper_id: r.paper_id, day: r.day, featured_at: r.featured_at, submitted_by_user_id: r.submitted_by_user_id,
    submitted_by_name: r.submitted_by_name, organization: r.organization, organization_name: r.organization_name,
    imported_upvotes: r.imported_upvotes ?? 0, imported_comments: r.imported_comments ?? 0, upvotes: r.upvotes ?? 0,
    comment_count: r.comment_count ?? 0, ai_summary: r.ai_summary, ai_keywords: r.ai_keywords ?? '[]',
    source: '', hash: '', created_at: '', modified_at: '',
  });
  return { paper, featured, upvotes: r.upvotes ?? 0, commentCount: r.comment_count ?? 0 };
}

/** Where a listing of every paper stopped: the last paper's date (null: undated) and id. */
export interface PaperCursor {
  publishedAt: string | null;
  id: string;
}

/**
 * Every indexed paper, newest first (published_at desc, id desc), from after `cursor`. Keyset
 * paging walks the (published_at, id) index on both engines, so page 1,000 costs what page 1 does.
 * The engines sort NULLs differently (SQLite first ascending, PostgreSQL last), so undated papers
 * are listed separately, after all dated ones, by id.
 */
export async function listPapers(db: Kysely<Database>, cursor: PaperCursor | null, limit: number): Promise<Page<ListedPaper> & { next: PaperCursor | null }> {
  let rows: ListedRow[] = [];
  if (cursor === null || cursor.publishedAt !== null) {
    let q = listedQuery(db).where('p.published_at', 'is not', null);
    if (cursor) {
      const at = cursor.publishedAt!;
      q = q.where((eb) => eb.or([eb('p.published_at', '<', at), eb.and([eb('p.published_at', '=', at), eb('p.id', '<', cursor.id)])]));
    }
    rows = await q.orderBy('p.published_at', 'desc').orderBy('p.id', 'desc').limit(limit + 1).execute();
  }
  if (rows.length <= limit) {
    let q = listedQuery(db).where('p.published_at', 'is', null);
    if (cursor && cursor.publishedAt === null) q = q.where('p.id', '<', cursor.id);
    rows = rows.concat(await q.orderBy('p.id', 'desc').limit(limit + 1 - rows.length).execute());
  }
  const result = page(rows.map(toListed), limit);
  const last = result.items.at(-1);
  return { ...result, next: result.more && last ? { publishedAt: last.paper.publishedAt, id: last.paper.id } : null };
}

/**
 * Papers that list `name` among their authors (exact, case-sensitive), newest first. Authors are
 * a JSON array in one text column (decision 0003), so this is a substring test for the quoted
 * name over every paper: a scan, a few tens of milliseconds at 100k papers, fine for a feed that
 * readers poll with ETags. SQLite's instr and PostgreSQL's strpos are both case-sensitive, where
 * LIKE is not on SQLite.
 */
export async function listByAuthor(db: Kysely<Database>, dialect: Dialect, name: string, paging: { offset: number; limit: number }): Promise<Page<ListedPaper>> {
  const needle = JSON.stringify(name);
  const test = dialect === 'postgres' ? sql<number>`strpos(p.authors, ${needle})` : sql<number>`instr(p.authors, ${needle})`;
  const rows = await listedQuery(db)
    .where(test, '>', 0)
    .orderBy(sql`coalesce(p.published_at, '')`, 'desc')
    .orderBy('p.id', 'desc')
    .limit(paging.limit + 1)
    .offset(paging.offset)
    .execute();
  return page(rows.map(toListed), paging.limit);
}

/** The display name of an organization handle, if any featured paper carries it. */
export async function organizationName(db: Kysely<Database>, handle: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('featured').select('organization_name').where('organization', '=', handle).limit(1).executeTakeFirst();
  return row === undefined ? undefined : row.organization_name;
}
