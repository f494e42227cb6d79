// The feeds' route table: append /feed.rss or /feed.atom to a listing. Each route loads the same
// list as its page (store/lists.ts, search) and renders it with render.ts.
// Mounted before the UI, whose /papers/:id catch-all would otherwise take /papers/.../feed.rss.
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import { z } from 'zod';
import { formatDay, formatMonth, formatWeek, parsePeriod } from '../../papers/dates.js';
import { SORTS } from '../../search/query.js';
import { listByAuthor, listFeatured, organizationName } from '../../store/lists.js';
import { type ListedPaper, listedPapersByIds } from '../../store/papers.js';
import { sha256 } from '../../auth/secrets.js';
import { FOLLOWING_DAYS, followingRange, matchFollows } from '../../members/follows.js';
import { dayBoundsInZone } from '../../papers/announce.js';
import { formatCategoryFilter, parseCategoryFilter } from '../../papers/categories.js';
import { dayInZone, parseDay } from '../../papers/dates.js';
import { listFollows, userOfFeedToken } from '../../store/follows.js';
import { canView } from '../../members/library.js';
import { collectionPaperIds, getCollection } from '../../store/collections.js';
import { member } from '../middleware/context.js';
import { announcementSpan, listNewPapers } from '../../store/new-papers.js';
import type { AppDeps } from '../deps.js';
import { PageCache, shared } from '../cache.js';
import { routes } from '../routing.js';
import { byPeriod, contentOnly } from '../scopes.js';
import type { Scope } from '../../store/versions.js';
import { entryOf, type FeedDoc, type FeedEntry, renderAtom, renderRss } from './render.js';

/** Entries per feed: a reader polling daily misses nothing, and a feed stays under ~100 KB. */
export const FEED_SIZE = 50;
/** Entries of a day's new papers: a busy category announces a few hundred a day. */
export const NEW_FEED_SIZE = 300;
/** Seconds a reader or cache may keep a feed before asking again (with its ETag). */
export const FEED_MAX_AGE = 300;

const FORMATS = ['rss', 'atom'] as const;
type Format = (typeof FORMATS)[number];

const SearchFeedQuery = z.object({
  q: z
    .string({ message: 'q: give a search query, as on /search' })
    .trim()
    .min(1, 'q: give a search query, as on /search')
    .max(500, 'q: at most 500 characters'),
  // Feed readers want new matches first; relevance is there for those who ask.
  sort: z.enum(SORTS, { message: `sort: one of ${SORTS.join(', ')}` }).default('date'),
});

interface Listing {
  title: string;
  description: string;
  /** Path of the HTML page, with its query; the feed paths append /feed.rss|atom to its path. */
  page: string;
  entries: FeedEntry[];
}

type Loader = (c: Context) => Promise<Listing | Response>;

function fail(c: Context, status: 400 | 404, message: string) {
  return c.text(`${message}\n`, status, { 'Cache-Control': 'no-store' });
}

export function feedRoutes(deps: AppDeps): Hono {
  const { db, config } = deps;
  const base = config.baseUrl;
  const feeds = new Hono();
  const r = routes(feeds);
  const entry = (item: ListedPaper) => entryOf(item, base);

  // Middleware goes on each route, not on '*': this table is mounted at '/', beside the pages.
  // A feed is the same for everyone who asks: one render per data version, shared by all.
  // Feeds show no counts: those sorted by date depend on content alone; those sorted by upvotes on
  // their period's counts, trending and search on every paper's (web/scopes.ts).
  const cache = deps.pageCache ?? new PageCache();
  const everyoneOf = (scope: (c: Context) => Scope) => shared({ db: db.db, cache, sameForAll: true, maxAge: FEED_MAX_AGE, scope });
  const tagged = etag();

  const period =
    (kind: 'date' | 'week' | 'month'): Loader =>
    async (c) => {
      const raw = c.req.param('v') ?? '';
      const parsed = parsePeriod(kind === 'date' ? 'day' : kind, raw);
      if (!parsed.ok) return fail(c, 400, parsed.error);
      const range = parsed.value;
      const list = await listFeatured(db.db, { range }, 'upvotes', { offset: 0, limit: FEED_SIZE });
      const when = kind === 'date' ? formatDay(range.from) : kind === 'week' ? formatWeek(raw, range) : formatMonth(raw);
      return {
        title: `${kind === 'date' ? 'Daily papers' : kind === 'week' ? 'Papers of the week' : 'Papers of the month'}, ${when}`,
        description: `Papers featured ${kind === 'date' ? 'on' : 'in'} ${when}, most upvoted first.`,
        page: `/papers/${kind}/${raw}`,
        entries: list.items.map(entry),
      };
    };

  /** A day's new papers (the latest day without `:v`), in the `cat` filter or the instance's categories. */
  const newDay: Loader = async (c) => {
    const raw = c.req.param('v');
    const cats = parseCategoryFilter(c.req.queries('cat') ?? []);
    if (!cats.ok) return fail(c, 400, cats.error);
    const filter = {
      include: cats.filter.include.length ? cats.filter.include : config.arxivCategories,
      exclude: cats.filter.exclude,
      uncategorized: cats.filter.include.length === 0,
    };
    let day: string;
    if (raw === undefined) {
      const span = await announcementSpan(db.db);
      day = span ? dayInZone(new Date(span.last), config.timezone) : dayInZone(new Date(), config.timezone);
    } else {
      const d = parseDay(raw);
      if (!d.ok) return fail(c, 400, d.error);
      day = d.value;
    }
    const list = await listNewPapers(db.db, dayBoundsInZone(day, config.timezone), filter, {
      groups: ['new', 'cross'],
      sort: 'arrival',
      paging: { offset: 0, limit: NEW_FEED_SIZE },
    });
    const named = formatCategoryFilter(filter);
    const query = c.req.queries('cat') ? `?${new URLSearchParams((c.req.queries('cat') ?? []).map((x): [string, string] => ['cat', x]))}` : '';
    return {
      title: `New on arXiv in ${named}${raw === undefined ? '' : `, ${formatDay(day)}`}`,
      description: `The papers arXiv announced ${raw === undefined ? 'on its latest day' : `on ${formatDay(day)}`} in ${named}: new submissions, then cross-lists.`,
      page: `/papers/new${raw === undefined ? '' : `/${day}`}${query}`,
      entries: list.items.map(entry),
    };
  };

  const loaders: Array<[string, Loader, (c: Context) => Scope]> = [
    ['/papers/new', newDay, contentOnly],
    ['/papers/new/:v', newDay, contentOnly],
    [
      '/papers',
      async () => {
        const list = await listFeatured(db.db, {}, 'newest', { offset: 0, limit: FEED_SIZE });
        return { title: 'Daily papers', description: 'The latest featured papers, newest first.', page: '/papers', entries: list.items.map(entry) };
      },
      contentOnly,
    ],
    [
      '/papers/trending',
      async () => {
        const list = await listFeatured(db.db, {}, 'trending', { offset: 0, limit: FEED_SIZE });
        return {
          title: 'Trending papers',
          description: 'Papers ranked by upvotes that fade with age (see /about#trending).',
          page: '/papers/trending',
          entries: list.items.map(entry),
        };
      },
      () => 'all',
    ],
    ['/papers/date/:v', period('date'), byPeriod('day', 'v')],
    ['/papers/week/:v', period('week'), byPeriod('week', 'v')],
    ['/papers/month/:v', period('month'), byPeriod('month', 'v')],
    [
      '/search',
      async (c) => {
        const q = SearchFeedQuery.safeParse(c.req.query());
        if (!q.success) return fail(c, 400, q.error.issues.map((i) => i.message).join('; '));
        const r = await deps.search.search({ q: q.data.q, sort: q.data.sort, limit: FEED_SIZE, page: 1 });
        const query = new URLSearchParams({ q: q.data.q, ...(q.data.sort !== 'date' ? { sort: q.data.sort } : {}) });
        return {
          title: `Search: ${q.data.q}`,
          description: `Papers matching "${q.data.q}", ${q.data.sort === 'date' ? 'newest' : q.data.sort === 'upvotes' ? 'most upvoted' : 'best'} first.`,
          page: `/search?${query}`,
          entries: r.hits.map(entry),
        };
      },
      () => 'all',
    ],
    [
      '/orgs/:v',
      async (c) => {
        const handle = c.req.param('v') ?? '';
        const name = await organizationName(db.db, handle);
        if (name === undefined) return fail(c, 404, `no papers of an organization '${handle}'`);
        const list = await listFeatured(db.db, { organization: handle }, 'newest', { offset: 0, limit: FEED_SIZE });
        return {
          title: `Papers of ${name ?? handle}`,
          description: `Papers featured with ${name ?? handle}, newest first.`,
          page: `/orgs/${encodeURIComponent(handle)}`,
          entries: list.items.map(entry),
        };
      },
      contentOnly,
    ],
    [
      '/authors/:v',
      async (c) => {
        const author = c.req.param('v') ?? '';
        const list = await listByAuthor(db.db, db.dialect, author, { offset: 0, limit: FEED_SIZE });
        if (list.items.length === 0) return fail(c, 404, `no papers by an author named '${author}'`);
        return {
          title: `Papers by ${author}`,
          description: `Papers with ${author} among their authors, newest first.`,
          page: `/authors/${encodeURIComponent(author)}`,
          entries: list.items.map(entry),
        };
      },
      contentOnly,
    ],
  ];

  for (const [path, load, scope] of loaders) {
    for (const format of FORMATS) {
      r.get(`${path}/feed.${format}`, 'anyone', everyoneOf(scope), tagged, async (c) => {
        const listing = await load(c);
        if (listing instanceof Response) return listing;
        return send(c, format, listing);
      });
    }
  }

  // A member's private feed of everything they follow: the token in the URL is the credential
  // (feed readers send no cookies), checked against its hash; never shared or cached publicly.
  for (const format of FORMATS) {
    r.get(`/following/feed.${format}`, 'anyone', tagged, async (c) => {
      const token = c.req.query('token') ?? '';
      const user = token.startsWith('dpf_') ? await userOfFeedToken(db.db, sha256(token)) : null;
      if (!user) return fail(c, 404, 'no feed at this address (the token is unknown or was revoked)');
      const follows = await listFollows(db.db, { userId: user.id });
      const matches = (await matchFollows({ db: db.db, search: deps.search }, follows, await followingRange(db.db))).slice(0, NEW_FEED_SIZE);
      const why = new Map(matches.map((x) => [x.id, x.reasons.join(' · ')]));
      const items = await listedPapersByIds(
        db.db,
        matches.map((x) => x.id),
      );
      const res = send(c, format, {
        title: `Following, for ${user.username}`,
        description: `New papers of the last ${FOLLOWING_DAYS} days matching what ${user.username} follows.`,
        page: '/following',
        entries: items.map((item) => {
          const e = entry(item);
          return { ...e, summary: `${why.get(item.paper.id) ?? ''}\n\n${e.summary}` };
        }),
      });
      res.headers.set('Cache-Control', `private, max-age=${FEED_MAX_AGE}`);
      res.headers.delete('Access-Control-Allow-Origin');
      return res;
    });
  }

  // A collection's feed: the papers added last first. Unlisted and public ones are anyone's (the
  // URL is the secret of an unlisted one); a private one answers 404 to all but its owner's own
  // browser session, like its page. Not in the shared cache: a member's collection edits do not
  // bump the data version that everyone's pages share.
  for (const format of FORMATS) {
    r.get(`/collections/:id/feed.${format}`, 'anyone', tagged, async (c) => {
      const col = await getCollection(db.db, c.req.param('id') ?? '');
      if (!col || !canView(col, member(c).user)) return fail(c, 404, 'no such collection');
      const items = await listedPapersByIds(db.db, await collectionPaperIds(db.db, col.id, { offset: 0, limit: FEED_SIZE }, 'added'));
      const res = send(c, format, {
        title: `${col.title}, a collection by ${col.owner}`,
        description: col.description || `Papers collected by ${col.owner}, the latest added first.`,
        page: `/collections/${col.id}`,
        entries: items.map(entry),
      });
      if (col.visibility === 'private') {
        res.headers.set('Cache-Control', 'private, no-store');
        res.headers.delete('Access-Control-Allow-Origin');
      }
      return res;
    });
  }

  // The member's For-you feed (the New tab of /for-you, with each paper's reason): the same
  // private token as /following's feed.
  for (const format of FORMATS) {
    r.get(`/for-you/feed.${format}`, 'anyone', tagged, async (c) => {
      const token = c.req.query('token') ?? '';
      const user = token.startsWith('dpf_') ? await userOfFeedToken(db.db, sha256(token)) : null;
      if (!user) return fail(c, 404, 'no feed at this address (the token is unknown or was revoked)');
      const r = await deps.recommender.forYou(user.id, { scope: 'new', limit: FEED_SIZE });
      const why = new Map(r.items.map((x) => [x.id, x.reason]));
      const items = await listedPapersByIds(
        db.db,
        r.items.map((x) => x.id),
      );
      const res = send(c, format, {
        title: `For you, ${user.username}`,
        description: `New papers of the last ${FOLLOWING_DAYS} days ranked for ${user.username} by what they saved, upvoted, followed and hid.`,
        page: '/for-you',
        entries: items.map((item) => {
          const e = entry(item);
          return { ...e, summary: `${why.get(item.paper.id) ?? ''}\n\n${e.summary}` };
        }),
      });
      res.headers.set('Cache-Control', 'private, no-store');
      res.headers.delete('Access-Control-Allow-Origin');
      return res;
    });
  }

  function send(c: Context, format: Format, l: Listing) {
    const [path, query] = l.page.split('?') as [string, string | undefined];
    const feedUrl = (f: Format) => `${base}${path === '/' ? '' : path}/feed.${f}${query ? `?${query}` : ''}`;
    const doc: FeedDoc = {
      title: `${l.title} - dailypapers`,
      description: l.description,
      pageUrl: base + l.page,
      rssUrl: feedUrl('rss'),
      atomUrl: feedUrl('atom'),
      entries: l.entries,
    };
    // Any site's reader may fetch a feed (web feed readers run in the browser).
    const headers = { 'Cache-Control': `public, max-age=${FEED_MAX_AGE}`, 'Access-Control-Allow-Origin': '*' };
    return format === 'rss'
      ? c.body(renderRss(doc), 200, { ...headers, 'Content-Type': 'application/rss+xml; charset=utf-8' })
      : c.body(renderAtom(doc), 200, { ...headers, 'Content-Type': 'application/atom+xml; charset=utf-8' });
  }

  return feeds;
}
