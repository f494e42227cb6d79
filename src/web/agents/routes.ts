// The agents' route table: every paper and listing as Markdown (append `.md`), and /llms.txt. The
// loaders are agents/reads.ts (the MCP tools call the same), the text agents/markdown.ts. Each
// answer is the same for everyone who asks, so it is cached and revalidated like the feeds
// (web/cache.ts `shared`: one render per data version, an ETag, 304 on If-None-Match).
// Mounted before the pages, whose /papers/:id catch-all would otherwise take /papers/ID.md.
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { llmsTxt } from '../../agents/llms.js';
import { type Listing, listingMarkdown } from '../../agents/markdown.js';
import { type Loaded, newListing, paperDoc, periodListing, type ReadDeps, searchListing, trendingListing } from '../../agents/reads.js';
import type { PeriodKind } from '../../papers/dates.js';
import { SORTS } from '../../search/query.js';
import { PAPER_SORTS } from '../../store/papers.js';
import { PageCache, shared } from '../cache.js';
import type { AppDeps } from '../deps.js';
import { routes } from '../routing.js';
import { byPeriod, contentOnly, latestDay, paperOf } from '../scopes.js';
import type { Scope } from '../../store/versions.js';

/** Papers per Markdown page: a day fits; an agent reads the next page when it needs it. */
export const MD_PAGE_SIZE = 50;

const MARKDOWN = 'text/markdown; charset=utf-8';

const Paging = z.object({
  sort: z.enum(PAPER_SORTS, { message: `sort: one of ${PAPER_SORTS.join(', ')}` }).default('upvotes'),
  p: z.coerce.number({ message: 'p: a page number' }).int('p: a page number').min(1, 'p: at least 1').max(10_000, 'p: at most 10000').default(1),
});

const SearchQuery = z.object({
  q: z.string({ message: 'q: give a search query' }).trim().min(1, 'q: give a search query').max(500, 'q: at most 500 characters'),
  sort: z.enum(SORTS, { message: `sort: one of ${SORTS.join(', ')}` }).default('relevance'),
  p: Paging.shape.p,
});

const issues = (e: z.ZodError) => e.issues.map((i) => i.message).join('; ');

/** Errors are short Markdown too, never cached. */
const failure = (c: Context, status: 400 | 404, message: string) =>
  c.body(`# ${status === 404 ? 'Not found' : 'Bad request'}\n\n${message}\n`, status, { 'content-type': MARKDOWN, 'cache-control': 'no-store' });

const markdown = (c: Context, text: string) => c.body(text, 200, { 'content-type': MARKDOWN });

/** `:v{.+\.md}` captures the whole segment; the value is the part before `.md`. */
const stripMd = (c: Context, name: string) => (c.req.param(name) ?? '').replace(/\.md$/, '');

export function agentRoutes(deps: AppDeps): Hono {
  const table = new Hono();
  const r = routes(table);
  const reads: ReadDeps = { db: deps.db, search: deps.search, baseUrl: deps.config.baseUrl };
  // Each says what it shows besides content (web/scopes.ts): by default every paper's counts.
  const cache = deps.pageCache ?? new PageCache();
  const everyoneOf = (scope: (c: Context) => Scope) => shared({ db: deps.db.db, cache, sameForAll: true, scope });
  const everyone = everyoneOf(() => 'all');

  const listing = (c: Context, l: Loaded<Listing>) => (l.ok ? markdown(c, listingMarkdown(l.value, reads.baseUrl)) : failure(c, l.status, l.error));

  const period = (kind: PeriodKind, param: string | null) => async (c: Context) => {
    const q = Paging.safeParse(c.req.query());
    if (!q.success) return failure(c, 400, issues(q.error));
    const value = param === null ? null : stripMd(c, param);
    return listing(c, await periodListing(reads, { kind, value, sort: q.data.sort, page: q.data.p, limit: MD_PAGE_SIZE }));
  };

  r.get('/llms.txt', 'anyone', everyoneOf(contentOnly), (c) => c.body(llmsTxt(reads.baseUrl), 200, { 'content-type': 'text/plain; charset=utf-8' }));
  r.get('/papers.md', 'anyone', everyoneOf(latestDay), period('day', null));
  r.get('/papers/trending.md', 'anyone', everyone, async (c) => {
    const q = Paging.safeParse(c.req.query());
    if (!q.success || q.data.sort !== 'upvotes') return failure(c, 400, 'trending is sorted by its score; the one parameter it takes is p, a page number');
    return markdown(c, listingMarkdown(await trendingListing(reads, q.data.p, MD_PAGE_SIZE), reads.baseUrl));
  });
  const newDay = (param: string | null) => async (c: Context) => {
    const q = Paging.safeParse(c.req.query());
    if (!q.success) return failure(c, 400, issues(q.error));
    return listing(c, await newListing(reads, deps.config, { day: param === null ? null : stripMd(c, param), page: q.data.p, limit: MD_PAGE_SIZE }));
  };
  r.get('/papers/new.md', 'anyone', everyone, newDay(null));
  r.get('/papers/new/:day{.+\\.md}', 'anyone', everyone, newDay('day'));
  r.get('/papers/date/:day{.+\\.md}', 'anyone', everyoneOf(byPeriod('day', 'day', '.md')), period('day', 'day'));
  r.get('/papers/week/:week{.+\\.md}', 'anyone', everyoneOf(byPeriod('week', 'week', '.md')), period('week', 'week'));
  r.get('/papers/month/:month{.+\\.md}', 'anyone', everyoneOf(byPeriod('month', 'month', '.md')), period('month', 'month'));
  r.get('/search.md', 'anyone', everyone, async (c) => {
    const q = SearchQuery.safeParse(c.req.query());
    if (!q.success) return failure(c, 400, issues(q.error));
    const l = await searchListing(reads, { q: q.data.q, sort: q.data.sort, page: q.data.p, limit: MD_PAGE_SIZE });
    const res = markdown(c, listingMarkdown(l, reads.baseUrl));
    // Words alone answered while the model loads: right now, but not worth keeping.
    if (l.degraded) res.headers.set('cache-control', 'no-store');
    return res;
  });
  // Old-style ids hold a slash (hep-th/9901001.md), hence the catch-all; after the listings above.
  r.get('/papers/:id{.+\\.md}', 'anyone', everyoneOf(paperOf('.md')), async (c) => {
    const doc = await paperDoc(reads, stripMd(c, 'id'));
    if (!doc.ok) return failure(c, doc.status, doc.error);
    const raw = stripMd(c, 'id');
    if (raw !== doc.value.id) return c.redirect(`/papers/${doc.value.id}.md`, 301);
    return markdown(c, doc.value.markdown);
  });
  return table;
}
