// The feeds: a day, an ISO week, a month, and trending. One component renders them all; the
// loaders below turn a URL into a list (one query, store/lists.ts) and the navigation around it.
import type { Context } from 'hono';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../db/connect.js';
import { type DayRange, dayInZone, formatDay, formatMonth, formatWeek, isoWeekOf, monthOf, parseDay, parsePeriod } from '../../papers/dates.js';
import { type FeaturedList, listFeatured, neighbours } from '../../store/lists.js';
import { latestFeaturedDay, PAPER_SORTS, type PaperSort } from '../../store/papers.js';
import { Card, cardSummary, plural } from './components/card.js';
import { hasMath } from './components/math.js';
import { Layout, type Section } from './layout.js';
import { ErrorPage } from './errors.js';
import { renderNothingFeatured } from './new-papers.js';
import { inputTag, notModified, sendPage } from './respond.js';

/** Papers per page. A day is rarely longer; a week or a month pages on. */
export const PAGE_SIZE = 50;

type Kind = 'day' | 'week' | 'month' | 'trending';

const Query = z.object({
  sort: z.enum(PAPER_SORTS).optional(),
  p: z.coerce.number().int().min(1).max(10_000).default(1),
});

interface View {
  kind: Kind;
  /** The day that anchors the tabs (its week, its month) and the date picker. */
  day: string;
  heading: string;
  sub: string;
  path: string;
  sort: PaperSort;
  defaultSort: PaperSort;
  page: number;
  list: FeaturedList & { total: number };
  prev: { href: string; label: string } | null;
  next: { href: string; label: string } | null;
}

/** "20 Aug 2026": short enough for the pager buttons to share a line on a phone. */
const shortDay = (d: string) => formatDay(d, false).replace(/(\d+ )(\w{3})\w*/, '$1$2');

const SECTION: Record<Kind, Section> = { day: 'daily', week: 'weekly', month: 'monthly', trending: 'trending' };
const dayPath = (d: string) => `/papers/date/${d}`;
const weekPath = (d: string) => `/papers/week/${isoWeekOf(d)}`;
const monthPath = (d: string) => `/papers/month/${monthOf(d)}`;

function withQuery(path: string, sort: PaperSort, defaultSort: PaperSort, page = 1): string {
  const q = new URLSearchParams();
  if (sort !== defaultSort) q.set('sort', sort);
  if (page > 1) q.set('p', String(page));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function FeedPage(props: { view: View; config: Config }) {
  const v = props.view;
  const { items, total } = v.list;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const math = items.some((i) => hasMath(i.paper.title) || hasMath(cardSummary(i)));
  const title = `${v.heading}${v.sub ? `, ${v.sub}` : ''}${v.page > 1 ? ` (page ${v.page})` : ''} - dailypapers`;
  return (
    <Layout
      title={title}
      description={`${plural(total, 'paper')} ${v.kind === 'trending' ? 'trending now' : `featured ${v.kind === 'day' ? 'on' : 'in'} ${v.sub}`} on dailypapers.`}
      section={SECTION[v.kind]}
      canonical={props.config.baseUrl + withQuery(v.path, v.sort, v.defaultSort, v.page)}
      math={math}
    >
      <div class="feed-head">
        <h1>
          {v.heading}
          {v.sub ? (
            <small>
              <span class="visually-hidden">, </span>
              {v.sub}
            </small>
          ) : null}
        </h1>
        <div class="bar">
          <nav class="tabs" aria-label="Period">
            <a href={dayPath(v.day)} aria-current={v.kind === 'day' ? 'page' : undefined}>
              Day
            </a>
            <a href={weekPath(v.day)} aria-current={v.kind === 'week' ? 'page' : undefined}>
              Week
            </a>
            <a href={monthPath(v.day)} aria-current={v.kind === 'month' ? 'page' : undefined}>
              Month
            </a>
            <a href="/papers/trending" aria-current={v.kind === 'trending' ? 'page' : undefined}>
              Trending
            </a>
          </nav>
          {v.kind !== 'trending' ? (
            <nav class="pager" aria-label={`Other ${v.kind}s`}>
              {v.prev ? (
                <a class="btn" rel="prev" href={v.prev.href}>
                  ← {v.prev.label}
                </a>
              ) : (
                <span class="btn disabled">← none earlier</span>
              )}
              {v.next ? (
                <a class="btn" rel="next" href={v.next.href}>
                  {v.next.label} →
                </a>
              ) : (
                <span class="btn disabled">none later →</span>
              )}
            </nav>
          ) : null}
          <form class="picker" action="/papers/date" method="get">
            <label for="date">Go to</label>
            <input type="date" id="date" name="date" value={v.day} max={dayInZone(new Date(), props.config.timezone)} required />
            <input type="hidden" name="view" value={v.kind === 'trending' ? 'day' : v.kind} />
            <button class="btn" type="submit">
              Go
            </button>
          </form>
        </div>
        <div class="bar">
          <p class="count" aria-live="polite">
            {plural(total, 'paper')}
            {pages > 1 ? `, page ${v.page} of ${pages}` : ''}
          </p>
          {v.kind !== 'trending' ? (
            <p class="sort">
              Sort by{' '}
              {PAPER_SORTS.map((s) => (s === v.sort ? <strong aria-current="true">{s}</strong> : <a href={withQuery(v.path, s, v.defaultSort)}>{s}</a>))}
            </p>
          ) : (
            <p class="count">
              Ranked by upvotes that fade with age (<a href="/about#trending">how trending works</a>).
            </p>
          )}
        </div>
      </div>
      {items.length ? (
        <ol class="cards">
          {items.map((item) => (
            <li>
              <Card item={item} />
            </li>
          ))}
        </ol>
      ) : (
        <div class="empty">
          <p>
            {v.page > 1
              ? `There is no page ${v.page}: this list has ${pages}.`
              : `No papers were featured ${v.kind === 'trending' ? 'recently' : `${v.kind === 'day' ? 'on' : 'in'} ${v.sub}`}.`}
          </p>
          <p>
            {v.prev ? <a href={v.prev.href}>See {v.prev.label}</a> : null}
            {v.prev && v.next ? ' or ' : null}
            {v.next ? <a href={v.next.href}>{v.next.label}</a> : null}
          </p>
        </div>
      )}
      {pages > 1 ? (
        <nav class="more" aria-label="Pages">
          {v.page > 1 ? (
            <a class="btn" rel="prev" href={withQuery(v.path, v.sort, v.defaultSort, v.page - 1)}>
              ← Page {v.page - 1}
            </a>
          ) : null}
          {v.page < pages ? (
            <a class="btn btn-primary" rel="next" href={withQuery(v.path, v.sort, v.defaultSort, v.page + 1)}>
              Page {v.page + 1} →
            </a>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

export interface FeedDeps {
  db: Db;
  config: Config;
}

function badRequest(c: Context, latest: string | null, message: string, status: 400 | 404 = 404) {
  return sendPage(c, <ErrorPage status={status} title={status === 404 ? 'No such page' : 'Bad request'} message={message} latest={latest} />, status);
}

/** GET a day, week or month: parse the URL, one list query, one neighbours query, render. */
export async function renderPeriod(c: Context, deps: FeedDeps, kind: 'day' | 'week' | 'month', raw: string | null) {
  const { db, config } = deps;
  const query = Query.safeParse(c.req.query());
  const parsed = raw === null ? null : parsePeriod(kind, raw);
  if (parsed && !parsed.ok) {
    const latest = await latestFeaturedDay(db.db);
    return badRequest(c, latest, parsed.error, 400);
  }
  if (!query.success) {
    const latest = await latestFeaturedDay(db.db);
    return badRequest(
      c,
      latest,
      `Bad query: ${query.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}. Sort is one of ${PAPER_SORTS.join(', ')}; p is a page number.`,
      400,
    );
  }
  let range: DayRange;
  if (parsed === null) {
    // /papers, /papers/week, /papers/month: the period of the latest featured day.
    const latest = await latestFeaturedDay(db.db);
    if (!latest) return kind === 'day' ? renderNothingFeatured(c, deps) : c.redirect('/papers');
    if (kind !== 'day') return c.redirect(kind === 'week' ? weekPath(latest) : monthPath(latest));
    range = { from: latest, to: latest };
  } else {
    range = parsed.value;
  }
  const sort = query.data.sort ?? 'upvotes';
  const page = query.data.p;
  const [list, around] = await Promise.all([
    listFeatured(db.db, { range }, sort, { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE, count: true }),
    neighbours(db.db, range),
  ]);
  if (!around.latest) return renderNothingFeatured(c, deps);
  const label = (d: string) => (kind === 'day' ? shortDay(d) : kind === 'week' ? isoWeekOf(d).replace('-', ' ') : formatMonth(monthOf(d)));
  const path = kind === 'day' ? dayPath : kind === 'week' ? weekPath : monthPath;
  const view: View = {
    kind,
    // The week's or month's latest day on this page anchors the Day tab and the picker.
    day: kind === 'day' ? range.from : list.items.reduce((m, i) => (i.featured.day > m ? i.featured.day : m), range.from),
    heading: kind === 'day' ? 'Daily papers' : kind === 'week' ? 'Papers of the week' : 'Papers of the month',
    sub: kind === 'day' ? formatDay(range.from) : kind === 'week' ? formatWeek(raw ?? isoWeekOf(range.from), range) : formatMonth(monthOf(range.from)),
    path: raw === null ? '/papers' : path(range.from),
    sort,
    defaultSort: 'upvotes',
    page,
    list: counted(list),
    prev: around.prev ? { href: path(around.prev), label: label(around.prev) } : null,
    next: around.next ? { href: path(around.next), label: label(around.next) } : null,
  };
  return sendFeed(c, view, config);
}

/** Pages ask for the count (trending always has it), so the total is known. */
const counted = (list: FeaturedList): FeaturedList & { total: number } => ({ ...list, total: list.total ?? list.items.length });

/**
 * A feed page is a function of its view (rows, counts, navigation) and the visitor, plus today's
 * date (the picker's bound): hash those, and a reload is a 304 without rendering anything.
 */
function sendFeed(c: Context, view: View, config: Config) {
  // The rows stand in by their fingerprint: hashing the items themselves (abstracts and all, ~150 KB
  // for a week) cost more than the rendering it saves.
  const { items: _, ...list } = view.list;
  const tag = inputTag(c, [{ ...view, list }, dayInZone(new Date(), config.timezone)]);
  return notModified(c, tag) ?? sendPage(c, <FeedPage view={view} config={config} />, 200, tag);
}

export async function renderTrending(c: Context, deps: FeedDeps) {
  const query = Query.safeParse(c.req.query());
  if (!query.success || (query.data.sort && query.data.sort !== 'trending')) {
    return badRequest(c, null, 'Trending is sorted by its score only; the one parameter it takes is p, a page number.', 400);
  }
  const page = query.data.p;
  const list = counted(await listFeatured(deps.db.db, {}, 'trending', { offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE }));
  const clock = list.clock ?? new Date();
  if (list.total === 0 && page === 1) {
    const latest = await latestFeaturedDay(deps.db.db);
    if (!latest) return renderNothingFeatured(c, deps);
  }
  const clockDay = clock.toISOString().slice(0, 10);
  const view: View = {
    kind: 'trending',
    day: list.items[0]?.featured.day ?? clockDay,
    heading: 'Trending papers',
    sub: Date.now() - clock.getTime() > 86_400_000 ? `as of ${formatDay(clockDay)}, when the feed last moved` : '',
    path: '/papers/trending',
    sort: 'trending',
    defaultSort: 'trending',
    page,
    list,
    prev: null,
    next: null,
  };
  return sendFeed(c, view, deps.config);
}

/** The date picker's plain GET form: /papers/date?date=D&view=day|week|month -> that page. */
export function pickDate(c: Context) {
  const date = c.req.query('date') ?? '';
  const view = c.req.query('view') ?? 'day';
  const day = parseDay(date);
  if (!day.ok || !['day', 'week', 'month'].includes(view)) return null;
  return view === 'week' ? weekPath(day.value) : view === 'month' ? monthPath(day.value) : dayPath(day.value);
}
