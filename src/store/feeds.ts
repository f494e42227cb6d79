// The feeds' list queries: a day, a week, a month or trending, each in ONE query (papers joined to
// their featured rows), plus the neighbouring days that
// have papers, so navigation skips empty days. Pages and the JSON API share these.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { DayRange } from '../papers/dates.js';
import { rankTrending, trendingClock, WINDOW_DAYS } from '../papers/trending.js';
import type { FeaturedPaper } from './papers.js';
import { FEATURED_COLUMNS, featuredFromRow, paperFromRow } from './rows.js';

export const FEED_SORTS = ['upvotes', 'trending', 'newest'] as const;
export type FeedSort = (typeof FEED_SORTS)[number];

export interface FeedList {
  items: FeaturedPaper[];
  /** Papers in the whole list, not just this page. */
  total: number;
  /**
   * Changes whenever anything shown about these items changes: the content hashes of paper and
   * featured record (papers/merge.ts) and the live counts. Cheap to hash, unlike the items.
   */
  fingerprint: string;
}

const fingerprint = (rows: FeedRow[]) =>
  rows.map((r) => `${r.paper_id}:${r.hash}:${r.featured_hash}:${r.upvotes}:${r.comment_count}`).join(' ');

export interface Paging {
  offset: number;
  limit: number;
}

export function feedQuery(db: Kysely<Database>) {
  return db
    .selectFrom('featured as f')
    .innerJoin('papers as p', 'p.id', 'f.paper_id')
    .selectAll('p')
    .select([...FEATURED_COLUMNS, 'f.hash as featured_hash']);
}

export type FeedRow = Awaited<ReturnType<ReturnType<typeof feedQuery>['executeTakeFirstOrThrow']>>;

export function toItem(r: FeedRow): FeaturedPaper {
  return {
    paper: paperFromRow(r),
    featured: featuredFromRow({ ...r, source: '', hash: '', created_at: '', modified_at: '' }),
    upvotes: r.upvotes,
    commentCount: r.comment_count,
  };
}

/**
 * Featured papers of the days from..to (one day, a week, a month), sorted, one page of them: one
 * query, plus a count when the page is full.
 * Upvotes and newest sort in SQL and fetch one page; trending scores every paper of the range (a
 * month is a few hundred) with the pure ranking in papers/trending.ts, measured at the range's end.
 */
export async function listFeatured(
  db: Kysely<Database>,
  range: DayRange,
  sort: FeedSort,
  paging: Paging,
  now = new Date(),
): Promise<FeedList> {
  const base = feedQuery(db).where('f.day', '>=', range.from).where('f.day', '<=', range.to);
  if (sort === 'trending') {
    const rows = await base.execute();
    const newest = rows.reduce<string | null>((m, r) => (m === null || r.featured_at > m ? r.featured_at : m), null);
    return { ...rankPage(rows, trendingClock(now, newest), paging), total: rows.length };
  }
  const q = sort === 'newest'
    ? base.orderBy('f.featured_at', 'desc').orderBy('f.upvotes', 'desc')
    : base.orderBy('f.upvotes', 'desc').orderBy('f.featured_at', 'desc');
  const rows = await q.orderBy('f.paper_id').limit(paging.limit).offset(paging.offset).execute();
  // A short first page is the whole list (a day, usually): no count needed. Otherwise count on
  // the (day, upvotes) index alone; a window count(*) over () would make SQLite materialise every
  // joined row of the range, abstracts included, which measured 3x slower for a day.
  let total = paging.offset + rows.length;
  if (rows.length === paging.limit || (rows.length === 0 && paging.offset > 0)) {
    const c = await db.selectFrom('featured').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('day', '>=', range.from).where('day', '<=', range.to).executeTakeFirstOrThrow();
    total = Number(c.n);
  }
  return { items: rows.map(toItem), total, fingerprint: fingerprint(rows) };
}

/**
 * Trending across the whole feed: the papers featured within the trending window of the clock
 * (now, or the newest feature time on a stale archive; see trendingClock), ranked by score.
 */
export async function listTrending(db: Kysely<Database>, paging: Paging, now = new Date()): Promise<FeedList & { clock: Date }> {
  const newest = await db.selectFrom('featured').select((eb) => eb.fn.max('featured_at').as('t')).executeTakeFirst();
  const clock = trendingClock(now, newest?.t ?? null);
  const since = new Date(clock.getTime() - WINDOW_DAYS * 86_400_000).toISOString();
  const rows = await feedQuery(db).where('f.featured_at', '>=', since).execute();
  return { ...rankPage(rows, clock, paging), total: rows.length, clock };
}

function rankPage(rows: FeedRow[], clock: Date, paging: Paging): { items: FeaturedPaper[]; fingerprint: string } {
  const ranked = rankTrending(rows.map((r) => ({ row: r, upvotes: r.upvotes, featuredAt: r.featured_at, id: r.paper_id })), clock);
  const page = ranked.slice(paging.offset, paging.offset + paging.limit).map((x) => x.row);
  return { items: page.map(toItem), fingerprint: fingerprint(page) };
}

export interface Neighbours {
  /** The latest day before the range that has featured papers. */
  prev: string | null;
  /** The earliest day after the range that has featured papers. */
  next: string | null;
  /** The latest featured day of all. */
  latest: string | null;
}

/** Days with papers around a range, in one query of three index lookups. */
export async function neighbours(db: Kysely<Database>, range: DayRange): Promise<Neighbours> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('featured').select((e) => e.fn.max('day').as('d')).where('day', '<', range.from).as('prev'),
      eb.selectFrom('featured').select((e) => e.fn.min('day').as('d')).where('day', '>', range.to).as('next'),
      eb.selectFrom('featured').select((e) => e.fn.max('day').as('d')).as('latest'),
    ])
    .executeTakeFirstOrThrow();
  return { prev: row.prev ?? null, next: row.next ?? null, latest: row.latest ?? null };
}

/** A paper and, when it was featured, its feed record: one query (a left join on the primary key). */
export async function getPaperPage(db: Kysely<Database>, id: string): Promise<{ paper: FeaturedPaper['paper']; featured: FeaturedPaper | null } | null> {
  const r = await db
    .selectFrom('papers as p')
    .leftJoin('featured as f', 'f.paper_id', 'p.id')
    .selectAll('p')
    .select([
      'f.paper_id', 'f.day', 'f.featured_at', 'f.submitted_by_user_id', 'f.submitted_by_name', 'f.organization',
      'f.organization_name', 'f.imported_upvotes', 'f.imported_comments', 'f.upvotes', 'f.comment_count',
      'f.ai_summary', 'f.ai_keywords',
    ])
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (!r) return null;
  const paper = paperFromRow(r);
  if (r.paper_id === null || r.day === null || r.featured_at === null) return { paper, featured: null };
  return { paper, featured: toItem(r as FeedRow) };
}
