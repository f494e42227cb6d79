// GET /api/daily_papers and GET /api/papers: the two listings of the read API. Parameters are
// parsed by the zod schemas in schemas.ts (which OpenAPI describes), the lists come from
// store/lists.ts, and the presenters in papers.ts shape each item as Hugging Face does.
import type { Context } from 'hono';
import { z } from 'zod';
import { type DayRange, parsePeriod } from '../../papers/dates.js';
import { type FeaturedFilter, listFeatured, listPapers, type Paging, type PaperCursor } from '../../store/lists.js';
import type { PaperSort } from '../../store/papers.js';
import type { Scope } from '../../store/versions.js';
import type { AppDeps } from '../deps.js';
import { badRequest, okJson, urlWith } from './http.js';
import { presentDailyPaper, presentPaper } from './papers.js';
import { type DAILY_SORTS, DailyPapersQuery, NewPapersQuery, PapersQuery } from './schemas.js';
import { dayBoundsInZone } from '../../papers/announce.js';
import { parseCategoryFilter } from '../../papers/categories.js';
import { dayInZone } from '../../papers/dates.js';
import { announcementSpan, listNewPapers } from '../../store/new-papers.js';

/** The day range of a validated daily_papers query (the schema already refused bad dates). */
export function rangeOf(q: Pick<DailyPapersQuery, 'date' | 'week' | 'month'>): DayRange | undefined {
  const r =
    q.date !== undefined
      ? parsePeriod('day', q.date)
      : q.week !== undefined
        ? parsePeriod('week', q.week)
        : q.month !== undefined
          ? parsePeriod('month', q.month)
          : undefined;
  return r?.ok ? r.value : undefined;
}

/** What a daily_papers answer shows besides content: its period's counts, or every paper's. */
export function dailyScope(c: Context): Scope {
  const parsed = DailyPapersQuery.safeParse(c.req.query());
  const range = parsed.success ? rangeOf(parsed.data) : undefined;
  return range ? { days: range } : 'all';
}

const SORT: Record<(typeof DAILY_SORTS)[number], PaperSort> = { publishedAt: 'newest', trending: 'trending', upvotes: 'upvotes' };

/** A validated daily_papers query as store/lists.ts listFeatured's arguments (the CLI's too). */
export function dailyListing(q: DailyPapersQuery): [FeaturedFilter, PaperSort, Paging] {
  return [{ range: rangeOf(q), submitter: q.submitter, organization: q.organization }, SORT[q.sort], { offset: q.p * q.limit, limit: q.limit }];
}

/** RFC 8288 Link header with the next page, as GitHub's and Hugging Face's APIs page. */
const linkNext = (url: string) => `<${url}>; rel="next"`;

export async function dailyPapers(c: Context, deps: AppDeps) {
  const parsed = DailyPapersQuery.safeParse(c.req.query());
  if (!parsed.success) return badRequest(c, parsed.error);
  const q = parsed.data;
  const list = await listFeatured(deps.db.db, ...dailyListing(q));
  if (list.more) c.header('Link', linkNext(urlWith(deps.config.baseUrl, c, { p: String(q.p + 1) })));
  return okJson(c, list.items.map(presentDailyPaper));
}

/** GET /api/papers/new: a day's new arXiv papers, items shaped like daily_papers (see new-papers.tsx). */
export async function newPapers(c: Context, deps: AppDeps) {
  const parsed = NewPapersQuery.safeParse(c.req.query());
  if (!parsed.success) return badRequest(c, parsed.error);
  const q = parsed.data;
  const f = parseCategoryFilter(q.categories === undefined ? [] : [q.categories]);
  if (!f.ok) return badRequest(c, `categories: ${f.error}`);
  const filter = {
    include: f.filter.include.length ? f.filter.include : deps.config.arxivCategories,
    exclude: f.filter.exclude,
    uncategorized: f.filter.include.length === 0,
  };
  let day = q.date;
  if (day === undefined) {
    const span = await announcementSpan(deps.db.db);
    if (!span) return okJson(c, []);
    day = dayInZone(new Date(span.last), deps.config.timezone);
  }
  const list = await listNewPapers(deps.db.db, dayBoundsInZone(day, deps.config.timezone), filter, {
    groups: q.groups,
    sort: q.sort,
    paging: { offset: q.p * q.limit, limit: q.limit },
  });
  if (list.more) c.header('Link', linkNext(urlWith(deps.config.baseUrl, c, { p: String(q.p + 1) })));
  c.header('X-Total-Count', String(list.total));
  return okJson(c, list.items.map(presentDailyPaper));
}

const Cursor = z.tuple([z.string().nullable(), z.string().min(1)]);

/** Cursors are opaque to clients: base64url of [publishedAt, id], decoded and checked here. */
export function encodeCursor(c: PaperCursor): string {
  return Buffer.from(JSON.stringify([c.publishedAt, c.id])).toString('base64url');
}

export function decodeCursor(s: string): PaperCursor | null {
  try {
    const v = Cursor.safeParse(JSON.parse(Buffer.from(s, 'base64url').toString('utf8')));
    return v.success ? { publishedAt: v.data[0], id: v.data[1] } : null;
  } catch {
    return null;
  }
}

export async function allPapers(c: Context, deps: AppDeps) {
  const parsed = PapersQuery.safeParse(c.req.query());
  if (!parsed.success) return badRequest(c, parsed.error);
  const { cursor: raw, limit } = parsed.data;
  const cursor = raw === undefined || raw === '' ? null : decodeCursor(raw);
  if (raw && !cursor) return badRequest(c, 'cursor: not a cursor this API gave out (take it from the Link header of the previous page)');
  const list = await listPapers(deps.db.db, cursor, limit);
  if (list.next) c.header('Link', linkNext(urlWith(deps.config.baseUrl, c, { cursor: encodeCursor(list.next) })));
  return okJson(c, list.items.map(presentPaper));
}
