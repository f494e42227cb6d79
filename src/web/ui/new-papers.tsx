// /papers/new and /papers/new/YYYY-MM-DD: a day's new arXiv papers in the instance's categories,
// as arXiv's own /new pages group them (new submissions, cross-lists, replacements), with a
// category filter that includes and excludes, sort by arrival or upvotes, paging, and the days
// around. The day is arXiv's announcement day in TIMEZONE (papers/announce.ts, decision 0035).
import type { Context } from 'hono';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { dayBoundsInZone } from '../../papers/announce.js';
import { type CategoryFilter, formatCategoryFilter, parseCategoryFilter } from '../../papers/categories.js';
import { dayInZone, formatDay, parseDay } from '../../papers/dates.js';
import {
  announcementSpan,
  announcementsAround,
  listNewPapers,
  NEW_GROUPS,
  NEW_SORTS,
  type NewGroup,
  type NewPapersList,
  type NewSort,
} from '../../store/new-papers.js';
import type { AppDeps } from '../deps.js';
import { Card, cardSummary, plural } from './components/card.js';
import { hasMath } from './components/math.js';
import { EmptyPage, ErrorPage, type HarvestFacts, HarvestStatus } from './errors.js';
import { getJob } from '../../store/jobs.js';
import { HARVEST_JOB } from '../../jobs/harvest.js';
import { countPapers } from '../../store/papers.js';
import { Layout } from './layout.js';
import { inputTag, notModified, sendPage } from './respond.js';

export const NEW_PAGE_SIZE = 50;
/** New papers /papers shows while nothing is featured. */
export const TOP_NEW = 20;

const GROUP_LABEL: Record<NewGroup, string> = { new: 'New submissions', cross: 'Cross-lists', replaced: 'Replacements' };
const BADGE: Record<NewGroup, string | undefined> = { new: undefined, cross: 'cross-list', replaced: 'replaced' };

/** The query of a /papers/new page, as the API's /api/papers/new reads it too (with `categories`). */
export const NewQuery = z.object({
  sort: z.enum(NEW_SORTS).default('arrival'),
  p: z.coerce.number().int().min(1).max(10_000).default(1),
  /** Groups shown; new submissions and cross-lists by default, as arXiv shows them first. */
  show: z
    .string()
    .default('new,cross')
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(NEW_GROUPS)).min(1)),
});
export type NewQuery = z.infer<typeof NewQuery>;

export interface NewView {
  day: string;
  /** The filter the page shows, and the `cat` values of its links. */
  filter: CategoryFilter;
  /** Whether `cat` was given (else the instance's categories). */
  explicit: boolean;
  query: NewQuery;
  list: NewPapersList;
  prev: string | null;
  next: string | null;
  latest: boolean;
}

/** The latest announcement day in the zone, or null when no paper has an announcement date. */
export async function latestNewDay(deps: Pick<AppDeps, 'db' | 'config'>): Promise<string | null> {
  const span = await announcementSpan(deps.db.db);
  return span ? dayInZone(new Date(span.last), deps.config.timezone) : null;
}

/** The path of a day's page with its query; `cat` stays as given. */
export function newPath(day: string | null, q: { sort?: NewSort; p?: number; show?: readonly NewGroup[]; cat?: string | null }): string {
  const params = new URLSearchParams();
  if (q.cat !== undefined && q.cat !== null) for (const c of q.cat.split(' ')) params.append('cat', c);
  if (q.show && q.show.join(',') !== 'new,cross') params.set('show', q.show.join(','));
  if (q.sort && q.sort !== 'arrival') params.set('sort', q.sort);
  if (q.p && q.p > 1) params.set('p', String(q.p));
  const s = params.toString();
  return `/papers/new${day ? `/${day}` : ''}${s ? `?${s}` : ''}`;
}

/** The `cat` values of a request: repeated parameters or one separated list; absent: null. */
export function catValues(c: Context): string[] | null {
  const all = c.req.queries('cat');
  return all === undefined ? null : all;
}

/** Loads a day's view; a Response when the request is bad. `day` null: the latest announcement day. */
export async function loadNewView(c: Context, deps: AppDeps, rawDay: string | null): Promise<NewView | Response> {
  const { db, config } = deps;
  const q = NewQuery.safeParse(c.req.query());
  if (!q.success) {
    return sendPage(
      c,
      <ErrorPage
        status={400}
        title="Bad request"
        message={`Bad query: ${q.error.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ')}. sort is arrival or upvotes; show is a list of new, cross, replaced; p is a page number.`}
        latest={null}
      />,
      400,
    );
  }
  const cats = catValues(c);
  const parsedFilter = parseCategoryFilter(cats ?? []);
  if (!parsedFilter.ok) return sendPage(c, <ErrorPage status={400} title="Bad category" message={parsedFilter.error} latest={null} />, 400);
  const explicit = cats !== null && parsedFilter.filter.include.length + parsedFilter.filter.exclude.length > 0;
  const filter: CategoryFilter = explicit ? parsedFilter.filter : { include: config.arxivCategories, exclude: [], uncategorized: true };
  if (explicit && filter.include.length === 0) Object.assign(filter, { include: config.arxivCategories, uncategorized: true });

  let day: string;
  const latestDay = await latestNewDay(deps);
  if (rawDay === null) {
    if (!latestDay) return c.redirect('/papers', 302);
    day = latestDay;
  } else {
    const d = parseDay(rawDay);
    if (!d.ok) return sendPage(c, <ErrorPage status={400} title="Bad date" message={d.error} latest={null} />, 400);
    day = d.value;
  }
  const range = dayBoundsInZone(day, config.timezone);
  const page = q.data.p;
  const [list, around] = await Promise.all([
    listNewPapers(db.db, range, filter, { groups: q.data.show, sort: q.data.sort, paging: { offset: (page - 1) * NEW_PAGE_SIZE, limit: NEW_PAGE_SIZE } }),
    announcementsAround(db.db, range.from, range.to),
  ]);
  return {
    day,
    filter,
    explicit,
    query: q.data,
    list,
    prev: around.prev ? dayInZone(new Date(around.prev), config.timezone) : null,
    next: around.next ? dayInZone(new Date(around.next), config.timezone) : null,
    latest: rawDay === null,
  };
}

export async function renderNew(c: Context, deps: AppDeps, rawDay: string | null) {
  const view = await loadNewView(c, deps, rawDay);
  if (view instanceof Response) return view;
  const { items: _, ...list } = view.list;
  const tag = inputTag(c, [{ ...view, list }, dayInZone(new Date(), deps.config.timezone)]);
  return notModified(c, tag) ?? sendPage(c, <NewPage view={view} config={deps.config} />, 200, tag);
}

export function NewPage(props: { view: NewView; config: Config }) {
  const v = props.view;
  const { items, counts, total } = v.list;
  const pages = Math.max(1, Math.ceil(total / NEW_PAGE_SIZE));
  const cat = v.explicit ? formatCategoryFilter(v.filter) : null;
  const here = (changes: Parameters<typeof newPath>[1]) => newPath(v.latest ? null : v.day, { sort: v.query.sort, show: v.query.show, cat, ...changes });
  const toggle = (g: NewGroup) => {
    const shown = v.query.show.includes(g) ? v.query.show.filter((x) => x !== g) : NEW_GROUPS.filter((x) => x === g || v.query.show.includes(x));
    return shown.length ? here({ show: shown }) : null;
  };
  const math = items.some((i) => hasMath(i.paper.title) || hasMath(cardSummary(i)));
  const sub = formatDay(v.day);
  let group: NewGroup | null = null;
  return (
    <Layout
      title={`New on arXiv, ${sub}${v.query.p > 1 ? ` (page ${v.query.p})` : ''} - dailypapers`}
      description={`${plural(counts.new, 'new paper')} announced by arXiv on ${sub} in ${formatCategoryFilter(v.filter)}.`}
      section="new"
      canonical={props.config.baseUrl + newPath(v.day, { sort: v.query.sort, show: v.query.show, cat, p: v.query.p })}
      math={math}
    >
      <div class="feed-head">
        <h1>
          New on arXiv
          <small>
            <span class="visually-hidden">, </span>
            {sub}
          </small>
        </h1>
        <div class="bar">
          <nav class="pager" aria-label="Other days">
            {v.prev ? (
              <a class="btn" rel="prev" href={newPath(v.prev, { sort: v.query.sort, show: v.query.show, cat })}>
                ← {formatDay(v.prev, false)}
              </a>
            ) : (
              <span class="btn disabled">← none earlier</span>
            )}
            {v.next ? (
              <a class="btn" rel="next" href={newPath(v.next, { sort: v.query.sort, show: v.query.show, cat })}>
                {formatDay(v.next, false)} →
              </a>
            ) : (
              <span class="btn disabled">none later →</span>
            )}
          </nav>
          <form class="picker" action="/papers/new" method="get" data-new-filter>
            <label for="cat">Categories</label>
            <input id="cat" name="cat" value={formatCategoryFilter(v.filter)} size={24} aria-describedby="cat-help" />
            {v.query.show.join(',') !== 'new,cross' ? <input type="hidden" name="show" value={v.query.show.join(',')} /> : null}
            <button class="btn" type="submit">
              Filter
            </button>
          </form>
        </div>
        <p class="count" id="cat-help">
          Categories like <code>cs.LG</code> or a whole archive like <code>math</code>; a minus excludes (<code>-cs.CV</code>). Days are arXiv's announcement
          days ({props.config.timezone}).
        </p>
        <div class="bar">
          <p class="count" aria-live="polite">
            {NEW_GROUPS.map((g, i) => {
              const href = toggle(g);
              const on = v.query.show.includes(g);
              const label = `${GROUP_LABEL[g]} (${counts[g]})`;
              return (
                <>
                  {i ? ' · ' : ''}
                  {href ? (
                    <a href={href} title={on ? 'Hide this group' : 'Show this group'}>
                      {on ? <strong>{label}</strong> : label}
                    </a>
                  ) : (
                    <strong>{label}</strong>
                  )}
                </>
              );
            })}
            {pages > 1 ? `; page ${v.query.p} of ${pages}` : ''}
          </p>
          <p class="sort">
            Sort by {NEW_SORTS.map((s) => (s === v.query.sort ? <strong aria-current="true">{s}</strong> : <a href={here({ sort: s })}>{s}</a>))}
          </p>
        </div>
      </div>
      {items.length ? (
        <ol class="cards">
          {items.map((item) => {
            const heading = item.group !== group ? GROUP_LABEL[item.group] : null;
            group = item.group;
            return (
              <>
                {heading ? (
                  <li class="group-head">
                    <h2 id={`group-${item.group}`}>{heading}</h2>
                  </li>
                ) : null}
                <li>
                  <Card item={item} badge={BADGE[item.group]} />
                </li>
              </>
            );
          })}
        </ol>
      ) : (
        <div class="empty">
          <p>
            {v.query.p > 1
              ? `There is no page ${v.query.p}: this day has ${pages}.`
              : `arXiv announced no papers in ${formatCategoryFilter(v.filter)} on ${sub}${total === 0 && counts.new + counts.cross + counts.replaced > 0 ? ' in the groups shown' : ''}.`}
          </p>
          <p>
            {v.prev ? <a href={newPath(v.prev, { cat })}>See {formatDay(v.prev)}</a> : null}
            {v.prev && v.next ? ' or ' : null}
            {v.next ? <a href={newPath(v.next, { cat })}>{formatDay(v.next)}</a> : null}
          </p>
        </div>
      )}
      {pages > 1 ? (
        <nav class="more" aria-label="Pages">
          {v.query.p > 1 ? (
            <a class="btn" rel="prev" href={here({ p: v.query.p - 1 })}>
              ← Page {v.query.p - 1}
            </a>
          ) : null}
          {v.query.p < pages ? (
            <a class="btn btn-primary" rel="next" href={here({ p: v.query.p + 1 })}>
              Page {v.query.p + 1} →
            </a>
          ) : null}
        </nav>
      ) : null}
      <form class="remember" method="post" action="/papers/new/filter">
        <input type="hidden" name="csrf" value="" />
        <input type="hidden" name="cat" value={cat ?? ''} />
        <button class="btn" type="submit" title="Open /papers/new with this filter from now on (members)">
          Remember this filter
        </button>
      </form>
    </Layout>
  );
}

/** What the harvest has brought and when it runs next (store reads only). */
export async function harvestFacts(deps: Pick<AppDeps, 'db' | 'config'>): Promise<HarvestFacts> {
  const [counts, job, latest] = await Promise.all([countPapers(deps.db.db), getJob(deps.db.db, HARVEST_JOB), latestNewDay(deps)]);
  return {
    papers: counts.papers,
    categories: deps.config.arxivCategories,
    job: job
      ? {
          nextRunAt: job.next_run_at,
          lastSuccessAt: job.last_success_at,
          lastError: job.last_outcome === 'failed' ? job.last_error : null,
          running: job.locked_by !== null && job.locked_until !== null && Date.parse(job.locked_until) > Date.now(),
        }
      : null,
    latestNewDay: latest,
    minUpvotes: deps.config.featureMinUpvotes,
  };
}

/**
 * /papers while nothing is featured: the latest day's most upvoted new papers, with what the
 * harvest is doing and the way to /papers/new; the empty page only when nothing is harvested.
 */
export async function renderNothingFeatured(c: Context, deps: Pick<AppDeps, 'db' | 'config'>) {
  const facts = await harvestFacts(deps);
  if (!facts.latestNewDay) return sendPage(c, <EmptyPage facts={facts} />);
  const day = facts.latestNewDay;
  const list = await listNewPapers(
    deps.db.db,
    dayBoundsInZone(day, deps.config.timezone),
    { include: deps.config.arxivCategories, exclude: [], uncategorized: true },
    {
      groups: ['new', 'cross'],
      sort: 'upvotes',
      paging: { offset: 0, limit: TOP_NEW },
    },
  );
  const math = list.items.some((i) => hasMath(i.paper.title) || hasMath(cardSummary(i)));
  return sendPage(
    c,
    <Layout title="Daily papers - dailypapers" section="daily" canonical={`${deps.config.baseUrl}/papers`} math={math}>
      <div class="feed-head">
        <h1>
          Daily papers
          <small>
            <span class="visually-hidden">, </span>nothing featured yet
          </small>
        </h1>
        <p class="count">
          No paper has been featured yet: one is when a member submits it, a moderator picks it, or it reaches {plural(facts.minUpvotes, 'upvote')} (
          <a href="/about#featuring">how featuring works</a>). Meanwhile, the top new papers of {formatDay(day)}; all{' '}
          {plural(list.counts.new + list.counts.cross, 'paper')} of the day are on <a href="/papers/new">New</a>.
        </p>
        <HarvestStatus facts={facts} />
      </div>
      <ol class="cards">
        {list.items.map((item) => (
          <li>
            <Card item={item} badge={BADGE[item.group] ?? 'new'} />
          </li>
        ))}
      </ol>
      <nav class="more" aria-label="More">
        <a class="btn btn-primary" href="/papers/new">
          All new papers of {formatDay(day, false)} →
        </a>
      </nav>
    </Layout>,
  );
}
