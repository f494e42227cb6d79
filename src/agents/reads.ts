// What the agents' surfaces read: a paper with its discussion, a day, week or month, trending, a
// search. The Markdown pages (web/agents) and the MCP tools (mcp.ts) call these same loaders, which
// use the one read model (store/papers.ts, store/lists.ts) and the search service, and return the
// Listing that markdown.ts renders.
import type { Recommender } from '../recommend/index.js';
import type { Db } from '../db/connect.js';
import { dayInZone, formatDay, formatMonth, formatWeek, isoWeekOf, monthOf, type PeriodKind, parseDay, parsePeriod } from '../papers/dates.js';
import { dayBoundsInZone } from '../papers/announce.js';
import { announcementSpan, announcementsAround, listNewPapers } from '../store/new-papers.js';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { SearchService } from '../search/index.js';
import type { Sort } from '../search/query.js';
import { FOLLOWING_DAYS, followingRange, matchFollows } from '../members/follows.js';
import { listComments } from '../store/comments.js';
import { listFollows } from '../store/follows.js';
import { markedIds } from '../store/member-papers.js';
import { listFeatured, neighbours } from '../store/lists.js';
import { getListedPaper, latestFeaturedDay, listedPapersByIds, type PaperSort } from '../store/papers.js';
import type { User } from '../store/users.js';
import type { Listing } from './markdown.js';
import { paperMarkdown } from './markdown.js';

export interface ReadDeps {
  db: Db;
  search: SearchService;
  baseUrl: string;
  /** The members' For-you models (recommend/): my_feed's `for_you` list. */
  recommender?: Pick<Recommender, 'forYou'> | undefined;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; error: string };

const fail = (status: 400 | 404, error: string): Loaded<never> => ({ ok: false, status, error });

/** A paper as Markdown, by any form of its arXiv id (a version or an arXiv URL included). */
export async function paperDoc(d: ReadDeps, raw: string): Promise<Loaded<{ id: string; markdown: string }>> {
  const ref = parseArxivId(raw);
  if (!ref) return fail(400, `'${raw}' is not an arXiv identifier (they look like 2405.15738 or hep-th/9901001)`);
  const item = await getListedPaper(d.db.db, ref.id);
  if (!item) return fail(404, `no paper ${ref.id} in this instance (${d.baseUrl}); it may be on arXiv: https://arxiv.org/abs/${ref.id}`);
  const comments = item.featured ? await listComments(d.db.db, ref.id) : [];
  return { ok: true, value: { id: ref.id, markdown: paperMarkdown(item, comments, d.baseUrl) } };
}

const SORT_WORDS: Record<PaperSort, string> = { upvotes: 'most upvoted first', trending: 'by trending score', newest: 'newest feature first' };
const PATH: Record<PeriodKind, (day: string) => string> = {
  day: (d) => `/papers/date/${d}`,
  week: (d) => `/papers/week/${isoWeekOf(d)}`,
  month: (d) => `/papers/month/${monthOf(d)}`,
};

export interface PeriodQuery {
  kind: PeriodKind;
  /** YYYY-MM-DD, YYYY-Www or YYYY-MM; null: the latest featured day (or its week, its month). */
  value: string | null;
  sort: PaperSort;
  /** 1-based page. */
  page: number;
  limit: number;
}

/** A day, week or month of featured papers, with links to the periods before and after. */
export async function periodListing(d: ReadDeps, q: PeriodQuery): Promise<Loaded<Listing>> {
  let value = q.value;
  if (value === null) {
    const latest = await latestFeaturedDay(d.db.db);
    if (!latest) return fail(404, 'no papers have been featured on this instance yet');
    value = q.kind === 'day' ? latest : q.kind === 'week' ? isoWeekOf(latest) : monthOf(latest);
  }
  const parsed = parsePeriod(q.kind, value);
  if (!parsed.ok) return fail(400, parsed.error);
  const range = parsed.value;
  const [list, around] = await Promise.all([
    listFeatured(d.db.db, { range }, q.sort, { offset: (q.page - 1) * q.limit, limit: q.limit, count: true }),
    neighbours(d.db.db, range),
  ]);
  const when = q.kind === 'day' ? formatDay(range.from) : q.kind === 'week' ? formatWeek(value, range) : formatMonth(value);
  const path = PATH[q.kind](range.from);
  const md = (p: string) => `${d.baseUrl}${p}.md`;
  const nav: Listing['nav'] = [];
  if (q.page > 1) nav.push({ label: `page ${q.page - 1}`, href: `${md(path)}?p=${q.page - 1}` });
  if (list.more) nav.push({ label: `page ${q.page + 1}`, href: `${md(path)}?p=${q.page + 1}` });
  if (around.prev) nav.push({ label: `earlier: ${around.prev}`, href: md(PATH[q.kind](around.prev)) });
  if (around.next) nav.push({ label: `later: ${around.next}`, href: md(PATH[q.kind](around.next)) });
  const apiKey = q.kind === 'day' ? 'date' : q.kind;
  return {
    ok: true,
    value: {
      title: `${q.kind === 'day' ? 'Daily papers' : q.kind === 'week' ? 'Papers of the week' : 'Papers of the month'}, ${when}`,
      description: `Papers featured ${q.kind === 'day' ? 'on' : 'in'} ${when}, ${SORT_WORDS[q.sort]}.`,
      page: d.baseUrl + path,
      json: `${d.baseUrl}/api/daily_papers?${apiKey}=${value}`,
      items: list.items,
      offset: (q.page - 1) * q.limit,
      total: list.total,
      nav,
    },
  };
}

/** Trending now: upvotes that fade with age (papers/trending.ts). */
export async function trendingListing(d: ReadDeps, page: number, limit: number): Promise<Listing> {
  const list = await listFeatured(d.db.db, {}, 'trending', { offset: (page - 1) * limit, limit });
  const nav: Listing['nav'] = [];
  if (page > 1) nav.push({ label: `page ${page - 1}`, href: `${d.baseUrl}/papers/trending.md?p=${page - 1}` });
  if (list.more) nav.push({ label: `page ${page + 1}`, href: `${d.baseUrl}/papers/trending.md?p=${page + 1}` });
  return {
    title: 'Trending papers',
    description: `Papers ranked by upvotes that fade with age (${d.baseUrl}/about#trending).`,
    page: `${d.baseUrl}/papers/trending`,
    json: `${d.baseUrl}/api/daily_papers?sort=trending`,
    items: list.items,
    offset: (page - 1) * limit,
    total: list.total,
    nav,
  };
}

export interface SearchQuery {
  q: string;
  sort: Sort;
  page: number;
  limit: number;
}

/** A hybrid search (words and meaning); `degraded` when words alone answered (not for caching). */
export async function searchListing(d: ReadDeps, q: SearchQuery): Promise<Listing & { degraded: boolean }> {
  const r = await d.search.search({ q: q.q, sort: q.sort, page: q.page, limit: q.limit });
  const query = new URLSearchParams({ q: q.q, ...(q.sort !== 'relevance' ? { sort: q.sort } : {}) });
  const nav: Listing['nav'] = [];
  if (q.page > 1) nav.push({ label: `page ${q.page - 1}`, href: `${d.baseUrl}/search.md?${query}&p=${q.page - 1}` });
  if (q.page * q.limit < r.total) nav.push({ label: `page ${q.page + 1}`, href: `${d.baseUrl}/search.md?${query}&p=${q.page + 1}` });
  return {
    title: `Search: ${q.q}`,
    description: `Papers matching "${q.q}" (words and meaning), ${q.sort === 'relevance' ? 'best match first' : q.sort === 'date' ? 'newest first' : 'most upvoted first'}.`,
    page: `${d.baseUrl}/search?${query}`,
    json: `${d.baseUrl}/api/papers/search?${query}`,
    items: r.hits,
    offset: (q.page - 1) * q.limit,
    total: r.total,
    nav,
    degraded: r.degraded,
  };
}

/** Papers nearest in meaning to one paper. */
export async function similarListing(d: ReadDeps, raw: string, limit: number): Promise<Loaded<Listing>> {
  const ref = parseArxivId(raw);
  if (!ref) return fail(400, `'${raw}' is not an arXiv identifier`);
  const s = await d.search.similar(ref.id, limit);
  if (s.hits.length === 0 && s.reason) return fail(s.reason.endsWith('not found') ? 404 : 400, s.reason);
  return {
    ok: true,
    value: {
      title: `Papers similar to ${ref.id}`,
      description: `The papers nearest in meaning to ${d.baseUrl}/papers/${ref.id}, nearest first.`,
      page: `${d.baseUrl}/papers/${ref.id}#similar`,
      json: `${d.baseUrl}/api/papers/${ref.id}/similar`,
      items: s.hits,
    },
  };
}

/**
 * A member's feed: the new papers of the last days matching what they follow (members/follows.ts,
 * as /following shows them), newest first, each with the follows it matches; papers they marked
 * "not interested" are left out.
 */
export async function followingListing(d: ReadDeps, user: User, limit: number): Promise<Listing> {
  const db = d.db.db;
  const [follows, hidden] = await Promise.all([listFollows(db, { userId: user.id }), markedIds(db, 'hidden', user.id)]);
  const matches = await matchFollows({ db, search: d.search }, follows, await followingRange(db), hidden);
  const shown = matches.slice(0, limit);
  const items = await listedPapersByIds(
    db,
    shown.map((m) => m.id),
  );
  return {
    title: `Following, for ${user.username}`,
    description:
      follows.length === 0
        ? `${user.username} follows nothing yet: follow categories, authors, organizations or searches on ${d.baseUrl}/following.`
        : `New papers of the last ${FOLLOWING_DAYS} days matching what ${user.username} follows, newest first.`,
    page: `${d.baseUrl}/following`,
    items,
    total: matches.length,
    notes: new Map(shown.map((m) => [m.id, `Because you follow ${m.reasons.join(' · ')}`])),
  };
}

/** The member's For-you list (the last days' new papers ranked by their model), each with its reason. */
export async function forYouListing(d: ReadDeps & { recommender: Pick<Recommender, 'forYou'> }, user: User, limit: number): Promise<Listing> {
  const r = await d.recommender.forYou(user.id, { scope: 'new', limit });
  const items = await listedPapersByIds(
    d.db.db,
    r.items.map((i) => i.id),
  );
  return {
    title: `For you, ${user.username}`,
    description: r.cold
      ? `Nothing to learn from yet: save, upvote or follow papers on ${d.baseUrl}/for-you; meanwhile the newest papers.`
      : `New papers of the last ${FOLLOWING_DAYS} days ranked by what ${user.username} saved, upvoted, followed and hid.`,
    page: `${d.baseUrl}/for-you`,
    items,
    total: r.total,
    notes: new Map(r.items.map((i) => [i.id, `Why: ${i.reason}`])),
  };
}

/** A day's new arXiv papers (the latest announcement day when `day` is null), new submissions then cross-lists. */
export async function newListing(
  d: ReadDeps,
  config: { timezone: string; arxivCategories: string[] },
  q: { day: string | null; page: number; limit: number },
): Promise<Loaded<Listing>> {
  let day = q.day;
  if (day === null) {
    const span = await announcementSpan(d.db.db);
    if (!span) return fail(404, 'no arXiv paper has been harvested on this instance yet');
    day = dayInZone(new Date(span.last), config.timezone);
  } else {
    const parsed = parseDay(day);
    if (!parsed.ok) return fail(400, parsed.error);
  }
  const range = dayBoundsInZone(day, config.timezone);
  const filter = { include: config.arxivCategories, exclude: [], uncategorized: true };
  const [list, around] = await Promise.all([
    listNewPapers(d.db.db, range, filter, { groups: ['new', 'cross'], sort: 'arrival', paging: { offset: (q.page - 1) * q.limit, limit: q.limit } }),
    announcementsAround(d.db.db, range.from, range.to),
  ]);
  const md = (p: string) => `${d.baseUrl}${p}.md`;
  const nav: Listing['nav'] = [];
  if (q.page > 1) nav.push({ label: `page ${q.page - 1}`, href: `${md(`/papers/new/${day}`)}?p=${q.page - 1}` });
  if (list.more) nav.push({ label: `page ${q.page + 1}`, href: `${md(`/papers/new/${day}`)}?p=${q.page + 1}` });
  if (around.prev) nav.push({ label: 'earlier day', href: md(`/papers/new/${dayInZone(new Date(around.prev), config.timezone)}`) });
  if (around.next) nav.push({ label: 'later day', href: md(`/papers/new/${dayInZone(new Date(around.next), config.timezone)}`) });
  return {
    ok: true,
    value: {
      title: `New on arXiv, ${formatDay(day)}`,
      description: `The papers arXiv announced on ${formatDay(day)} in ${config.arxivCategories.join(', ')}: ${list.counts.new} new submissions, then ${list.counts.cross} cross-lists, in arXiv's order (${list.counts.replaced} replacements are on the HTML page).`,
      page: `${d.baseUrl}/papers/new/${day}`,
      json: `${d.baseUrl}/api/papers/new?date=${day}`,
      items: list.items,
      offset: (q.page - 1) * q.limit,
      total: list.total,
      nav,
      notes: new Map(
        list.items.filter((i) => i.group === 'cross').map((i) => [i.paper.id, `cross-listed from ${i.paper.categories[0] ?? 'another category'}`]),
      ),
    },
  };
}
