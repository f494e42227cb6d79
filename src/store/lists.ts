// The lists of papers, each one query on the read model of papers.ts (paperQuery, toListedPaper):
// featured papers by day range, submitter or organization in any PAPER_SORTS order (the pages'
// day, week, month and trending, the API's daily_papers, the feeds, the digests), every indexed
// paper newest first with a keyset cursor, and an author's papers; plus the days around a range.
// A page is fetched with one row more than asked, so callers know whether a next page exists
// without counting the whole list.
import { type Kysely, sql } from 'kysely';
import type { Database, Dialect } from '../db/schema.js';
import type { DayRange } from '../papers/dates.js';
import { rankTrending, trendingClock, WINDOW_DAYS } from '../papers/trending.js';
import {
  type FeaturedPaper,
  type FeaturedPaperRow,
  fingerprint,
  type ListedPaper,
  type ListedPaperRow,
  type PaperSort,
  paperQuery,
  toListedPaper,
} from './papers.js';

export interface Paging {
  offset: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Whether another page follows. */
  more: boolean;
}

export interface FeaturedFilter {
  /** Feed days, inclusive; all days when absent. */
  range?: DayRange | undefined;
  /** Exact submitter name (a Hugging Face username carried over by an import, or a local one). */
  submitter?: string | undefined;
  /** Exact organization handle. */
  organization?: string | undefined;
}

export interface FeaturedList extends Page<FeaturedPaper> {
  /** Papers in the whole list; null when not asked for (`count`) and more pages follow. */
  total: number | null;
  /** Changes whenever anything shown about this page's items changes (papers.ts fingerprint). */
  fingerprint: string;
  /** Trending only: the time the scores were measured at. */
  clock: Date | null;
}

const onPage = <T>(rows: T[], limit: number): Page<T> => ({ items: rows.slice(0, limit), more: rows.length > limit });

/**
 * Featured papers matching `filter`, sorted, one page of them. Upvotes and newest sort in SQL and
 * fetch one page (and one row); trending scores every candidate with the pure ranking in
 * papers/trending.ts: within a day range all of its papers (a month is a few hundred), measured at
 * the range's newest feature; over all days the papers of the trending window of the clock (now,
 * or the newest feature time on a stale archive; see trendingClock). `count` asks for the total
 * when more pages follow (the pages show "page 2 of 5"; the API does without).
 */
export async function listFeatured(
  db: Kysely<Database>,
  filter: FeaturedFilter,
  sort: PaperSort,
  paging: Paging & { count?: boolean },
  now = new Date(),
): Promise<FeaturedList> {
  let q = paperQuery(db, 'featured');
  if (filter.range) q = q.where('f.day', '>=', filter.range.from).where('f.day', '<=', filter.range.to);
  if (filter.submitter !== undefined) q = q.where('f.submitted_by_name', '=', filter.submitter);
  if (filter.organization !== undefined) q = q.where('f.organization', '=', filter.organization);

  if (sort === 'trending') {
    // Candidates are ranked from featured's own columns (every featured row has its paper), then
    // only the page's rows are read whole: abstracts of a window's hundreds of papers are not.
    let c = db.selectFrom('featured as f').select(['f.paper_id', 'f.upvotes', 'f.featured_at']);
    if (filter.range) c = c.where('f.day', '>=', filter.range.from).where('f.day', '<=', filter.range.to);
    if (filter.submitter !== undefined) c = c.where('f.submitted_by_name', '=', filter.submitter);
    if (filter.organization !== undefined) c = c.where('f.organization', '=', filter.organization);
    let clock: Date;
    let candidates: Array<{ paper_id: string; upvotes: number; featured_at: string }>;
    if (filter.range) {
      candidates = await c.execute();
      clock = trendingClock(
        now,
        candidates.reduce<string | null>((m, r) => (m === null || r.featured_at > m ? r.featured_at : m), null),
      );
    } else {
      const newest = await db
        .selectFrom('featured')
        .select((eb) => eb.fn.max('featured_at').as('t'))
        .executeTakeFirst();
      clock = trendingClock(now, newest?.t ?? null);
      candidates = await c.where('f.featured_at', '>=', new Date(clock.getTime() - WINDOW_DAYS * 86_400_000).toISOString()).execute();
    }
    const ranked = rankTrending(
      candidates.map((r) => ({ upvotes: r.upvotes, featuredAt: r.featured_at, id: r.paper_id })),
      clock,
    );
    const ids = ranked.slice(paging.offset, paging.offset + paging.limit + 1).map((x) => x.id);
    const rows = ids.length ? await q.where('f.paper_id', 'in', ids).execute() : [];
    const at = new Map(ids.map((id, i) => [id, i]));
    rows.sort((a, b) => at.get(a.paper_id)! - at.get(b.paper_id)!);
    return { ...listOf(rows, paging.limit), total: candidates.length, clock };
  }

  q = sort === 'newest' ? q.orderBy('f.featured_at', 'desc').orderBy('f.upvotes', 'desc') : q.orderBy('f.upvotes', 'desc').orderBy('f.featured_at', 'desc');
  const rows = await q
    .orderBy('f.paper_id', 'desc')
    .limit(paging.limit + 1)
    .offset(paging.offset)
    .execute();
  const list = listOf(rows, paging.limit);
  // The last page (a day, usually the only one) knows its total. Otherwise count on featured's
  // indexes alone; a window count(*) over () would make SQLite materialise every joined row of
  // the range, abstracts included, which measured 3x slower for a day.
  let total: number | null = list.more || (rows.length === 0 && paging.offset > 0) ? null : paging.offset + rows.length;
  if (total === null && paging.count) {
    let c = db.selectFrom('featured as f').select((eb) => eb.fn.countAll<number>().as('n'));
    if (filter.range) c = c.where('f.day', '>=', filter.range.from).where('f.day', '<=', filter.range.to);
    if (filter.submitter !== undefined) c = c.where('f.submitted_by_name', '=', filter.submitter);
    if (filter.organization !== undefined) c = c.where('f.organization', '=', filter.organization);
    total = Number((await c.executeTakeFirstOrThrow()).n);
  }
  return { ...list, total, clock: null };
}

function listOf(rows: FeaturedPaperRow[], limit: number): Omit<FeaturedList, 'total' | 'clock'> {
  const page = rows.slice(0, limit);
  return { items: page.map((r) => toListedPaper(r)), more: rows.length > limit, fingerprint: fingerprint(page) };
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
      eb
        .selectFrom('featured')
        .select((e) => e.fn.max('day').as('d'))
        .where('day', '<', range.from)
        .as('prev'),
      eb
        .selectFrom('featured')
        .select((e) => e.fn.min('day').as('d'))
        .where('day', '>', range.to)
        .as('next'),
      eb
        .selectFrom('featured')
        .select((e) => e.fn.max('day').as('d'))
        .as('latest'),
    ])
    .executeTakeFirstOrThrow();
  return { prev: row.prev ?? null, next: row.next ?? null, latest: row.latest ?? null };
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
  let rows: ListedPaperRow[] = [];
  if (cursor === null || cursor.publishedAt !== null) {
    let q = paperQuery(db, 'all').where('p.published_at', 'is not', null);
    if (cursor) {
      const at = cursor.publishedAt!;
      q = q.where((eb) => eb.or([eb('p.published_at', '<', at), eb.and([eb('p.published_at', '=', at), eb('p.id', '<', cursor.id)])]));
    }
    rows = await q
      .orderBy('p.published_at', 'desc')
      .orderBy('p.id', 'desc')
      .limit(limit + 1)
      .execute();
  }
  if (rows.length <= limit) {
    let q = paperQuery(db, 'all').where('p.published_at', 'is', null);
    if (cursor && cursor.publishedAt === null) q = q.where('p.id', '<', cursor.id);
    rows = rows.concat(
      await q
        .orderBy('p.id', 'desc')
        .limit(limit + 1 - rows.length)
        .execute(),
    );
  }
  const result = onPage(
    rows.map((r) => toListedPaper(r)),
    limit,
  );
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
export async function listByAuthor(db: Kysely<Database>, dialect: Dialect, name: string, paging: Paging): Promise<Page<ListedPaper>> {
  const needle = JSON.stringify(name);
  const test = dialect === 'postgres' ? sql<number>`strpos(p.authors, ${needle})` : sql<number>`instr(p.authors, ${needle})`;
  const rows = await paperQuery(db, 'all')
    .where(test, '>', 0)
    .orderBy(sql`coalesce(p.published_at, '')`, 'desc')
    .orderBy('p.id', 'desc')
    .limit(paging.limit + 1)
    .offset(paging.offset)
    .execute();
  return onPage(
    rows.map((r) => toListedPaper(r)),
    paging.limit,
  );
}

/** The display name of an organization handle, if any featured paper carries it. */
export async function organizationName(db: Kysely<Database>, handle: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('featured').select('organization_name').where('organization', '=', handle).limit(1).executeTakeFirst();
  return row === undefined ? undefined : row.organization_name;
}
