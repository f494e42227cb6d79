// The day's new arXiv papers (/papers/new, /api/papers/new, their feeds, /following, the digests'
// "New for you"): papers whose first version arXiv announced in a day, or whose replacement it
// announced then, in three groups as arXiv's own /new pages show them. A day's candidates come
// from one range read per group on papers' announced_at / replaced_at indexes (a few light
// columns), are grouped, filtered and sorted here, and only the page shown is read in full
// through the read model (papers.ts).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import { type CategoryFilter, inCategories } from '../papers/categories.js';
import { type ListedPaper, listedPapersByIds } from './papers.js';
import type { Page, Paging } from './lists.js';

export const NEW_GROUPS = ['new', 'cross', 'replaced'] as const;
export type NewGroup = (typeof NEW_GROUPS)[number];
export const NEW_SORTS = ['arrival', 'upvotes'] as const;
export type NewSort = (typeof NEW_SORTS)[number];

/** An instant range [from, to), ISO 8601: a day of the instance's zone (papers/announce.ts dayBoundsInZone). */
export interface InstantRange {
  from: string;
  to: string;
}

export interface NewPaper extends ListedPaper {
  group: NewGroup;
  /** When arXiv announced this version (the first, or the replacement). */
  announcedAt: string;
}

export interface NewPapersList extends Page<NewPaper> {
  /** Papers in each group, after the filter. */
  counts: Record<NewGroup, number>;
  /** Papers in the groups asked for. */
  total: number;
  /** Changes whenever anything shown on the page changes. */
  fingerprint: string;
}

interface Candidate {
  id: string;
  categories: string;
  at: string;
  group: NewGroup;
  upvotes: number;
  hash: string;
}

/**
 * Upvotes of a paper: its featured count (imported and local) or, not featured yet, its members'
 * votes (FEATURE_MIN_UPVOTES above 1 leaves voted papers unfeatured for a while).
 */
const upvotesOf = sql<number>`coalesce(f.upvotes, (select count(*) from votes v where v.paper_id = p.id))`;

async function candidates(db: Kysely<Database>, range: InstantRange, column: 'announced_at' | 'replaced_at'): Promise<Omit<Candidate, 'group'>[]> {
  const rows = await db
    .selectFrom('papers as p')
    .leftJoin('featured as f', 'f.paper_id', 'p.id')
    .select(['p.id', 'p.categories', `p.${column} as at`, 'p.hash', upvotesOf.as('upvotes'), 'f.hash as fhash'])
    .where(`p.${column}`, '>=', range.from)
    .where(`p.${column}`, '<', range.to)
    .execute();
  return rows.map((r) => ({ id: r.id, categories: r.categories, at: r.at as string, upvotes: Number(r.upvotes), hash: `${r.hash}${r.fhash ?? ''}` }));
}

/**
 * The papers of a day in the filter's categories, grouped: `new` (first version announced in the
 * range, primary category included), `cross` (first version announced, included by another of its
 * categories), `replaced` (a later version announced in the range). A paper with any excluded
 * category is left out, as are `hidden` ids. Items of the groups asked for, in group order, each
 * group sorted by arrival (arXiv id, as arXiv lists them) or upvotes, one page of them.
 */
export async function listNewPapers(
  db: Kysely<Database>,
  range: InstantRange,
  filter: CategoryFilter,
  opts: { groups: readonly NewGroup[]; sort: NewSort; paging: Paging; hidden?: ReadonlySet<string> | undefined },
): Promise<NewPapersList> {
  const [first, replaced] = await Promise.all([candidates(db, range, 'announced_at'), candidates(db, range, 'replaced_at')]);
  const all: Candidate[] = [];
  for (const c of first) {
    if (opts.hidden?.has(c.id)) continue;
    const cats = c.categories.split(' ');
    if (filter.exclude.length && inCategories(cats, filter.exclude)) continue;
    if (filter.include.length === 0 || inCategories(cats.slice(0, 1), filter.include) || (filter.uncategorized && c.categories === ''))
      all.push({ ...c, group: 'new' });
    else if (inCategories(cats, filter.include)) all.push({ ...c, group: 'cross' });
  }
  for (const c of replaced) {
    if (opts.hidden?.has(c.id)) continue;
    const cats = c.categories.split(' ');
    if (filter.exclude.length && inCategories(cats, filter.exclude)) continue;
    if (filter.include.length === 0 || inCategories(cats, filter.include) || (filter.uncategorized && c.categories === ''))
      all.push({ ...c, group: 'replaced' });
  }
  const counts: Record<NewGroup, number> = { new: 0, cross: 0, replaced: 0 };
  for (const c of all) counts[c.group]++;
  const order = (a: Candidate, b: Candidate) =>
    NEW_GROUPS.indexOf(a.group) - NEW_GROUPS.indexOf(b.group) ||
    (opts.sort === 'upvotes' ? b.upvotes - a.upvotes : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const shown = all.filter((c) => opts.groups.includes(c.group)).sort(order);
  const page = shown.slice(opts.paging.offset, opts.paging.offset + opts.paging.limit);
  const byId = new Map(page.map((c) => [c.id, c]));
  const items = (
    await listedPapersByIds(
      db,
      page.map((c) => c.id),
    )
  ).map((item): NewPaper => {
    const c = byId.get(item.paper.id)!;
    return { ...item, upvotes: item.featured ? item.upvotes : c.upvotes, group: c.group, announcedAt: c.at };
  });
  return {
    items,
    more: shown.length > opts.paging.offset + opts.paging.limit,
    counts,
    total: shown.length,
    fingerprint: page.map((c) => `${c.id}:${c.hash}:${c.upvotes}`).join(' '),
  };
}

/** The latest and earliest announcement instants stored, or null on a database without dated papers. */
export async function announcementSpan(db: Kysely<Database>): Promise<{ first: string; last: string } | null> {
  const row = await db
    .selectFrom('papers')
    .select((eb) => [eb.fn.min('announced_at').as('first'), eb.fn.max('announced_at').as('last')])
    .executeTakeFirst();
  return row?.first && row.last ? { first: row.first, last: row.last } : null;
}

/** The latest announcement before `instant` and the earliest at or after `after`: the days around a day. */
export async function announcementsAround(db: Kysely<Database>, before: string, after: string): Promise<{ prev: string | null; next: string | null }> {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('papers')
        .select((e) => e.fn.max('announced_at').as('t'))
        .where('announced_at', '<', before)
        .as('prev'),
      eb
        .selectFrom('papers')
        .select((e) => e.fn.min('announced_at').as('t'))
        .where('announced_at', '>=', after)
        .as('next'),
    ])
    .executeTakeFirstOrThrow();
  return { prev: row.prev ?? null, next: row.next ?? null };
}
