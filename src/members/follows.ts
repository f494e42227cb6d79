// Follows and what they bring: a member (or a digest subscriber without an account) follows
// categories, authors, organizations and saved searches; the new papers of a period that match
// any of them, each with the reasons ("author: Jane Doe"), feed /following, the private feed and
// the digests' "New for you". Matching runs here, over the period's announced papers (one range
// read, shared by every member and kept per data version) and, for saved searches, the search
// service's answer to the query restricted to the period (also kept per data version).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { underCategory } from '../papers/categories.js';
import { addDays } from '../papers/dates.js';
import type { SearchService } from '../search/index.js';
import { parseQuery, hasFilters, hasText } from '../search/query.js';
import { type Announced, announcedIn, type Follow, type FollowKind } from '../store/follows.js';
import { announcementSpan } from '../store/new-papers.js';
import { dataVersion } from '../store/versions.js';

export interface FollowDeps {
  db: Kysely<Database>;
  /** Saved searches match nothing without it (a caller with no search service). */
  search?: Pick<SearchService, 'search'> | undefined;
}

/** How far back /following and the private feed look: a week of announcements. */
export const FOLLOWING_DAYS = 7;

/**
 * The window /following and the private feed cover: the last FOLLOWING_DAYS days up to now, or,
 * on an instance whose harvest stopped (an archive), the last such days of announcements it has.
 */
export async function followingRange(db: Kysely<Database>, now = new Date()): Promise<{ from: string; to: string }> {
  const span = await memoOf(spanMemo, db).get(db, '', () => announcementSpan(db));
  const end = span && Date.parse(span.last) < now.getTime() - FOLLOWING_DAYS * 86_400_000 ? Date.parse(span.last) + 1 : now.getTime();
  // Whole 10 minutes, so that requests share the memo of the window's papers (nothing is announced
  // in the future, so rounding the end up adds nothing).
  const step = 600_000;
  return {
    from: new Date(Math.floor((end - FOLLOWING_DAYS * 86_400_000) / step) * step).toISOString(),
    to: new Date(Math.ceil(Math.max(end, now.getTime()) / step) * step).toISOString(),
  };
}

const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;
const HANDLE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,95}$/;

/** A follow's value as stored, or the reason it is refused. */
export function checkFollow(kind: string, raw: string): { ok: true; kind: FollowKind; value: string } | { ok: false; error: string } {
  const value = raw.trim().replace(/\s+/g, ' ');
  switch (kind) {
    case 'category':
      return CATEGORY.test(value) && value.length <= 40
        ? { ok: true, kind, value }
        : { ok: false, error: `'${value.slice(0, 40)}' is not an arXiv category like cs.LG or an archive like math` };
    case 'author':
      return value.length >= 2 && value.length <= 200
        ? { ok: true, kind, value }
        : { ok: false, error: 'an author is a name of 2 to 200 characters, as papers list it' };
    case 'org':
      return HANDLE.test(value) ? { ok: true, kind, value } : { ok: false, error: `'${value.slice(0, 40)}' is not an organization handle` };
    case 'search': {
      if (value.length > 500) return { ok: false, error: 'a saved search has at most 500 characters' };
      const q = parseQuery(value);
      return hasText(q) || hasFilters(q) ? { ok: true, kind, value } : { ok: false, error: 'a saved search needs words or operators, as on /search' };
    }
    default:
      return { ok: false, error: `'${kind.slice(0, 20)}' is not one of category, author, org, search` };
  }
}

/** How a follow is said on a card and in a digest: "author: Jane Doe". */
export const followLabel = (f: Pick<Follow, 'kind' | 'value'>) => `${f.kind === 'org' ? 'organization' : f.kind}: ${f.value}`;

export interface Match {
  id: string;
  announcedAt: string;
  /** The follows it matches, as followLabel says them: categories, authors, organization, searches. */
  reasons: string[];
}

/**
 * Small per-process memo keyed by data version: entries of older versions are dropped. The version
 * is read at most once a second (a digest run asks per subscriber), so a change shows within one.
 */
class Memo<T> {
  private version = -1;
  private checkedAt = 0;
  private map = new Map<string, Promise<T>>();
  async get(db: Kysely<Database>, key: string, load: () => Promise<T>): Promise<T> {
    if (Date.now() - this.checkedAt >= 1000) {
      this.checkedAt = Date.now();
      const v = await dataVersion(db);
      if (v !== this.version) {
        this.version = v;
        this.map.clear();
      }
    }
    let p = this.map.get(key);
    if (!p) {
      if (this.map.size > 500) this.map.clear();
      p = load();
      this.map.set(key, p);
      p.catch(() => this.map.delete(key));
    }
    return p;
  }
}

/**
 * A window's announced papers, in output order (newest announcement first, then by id), indexed
 * by category, lower-cased author and organization: matching a member's follows reads the lists
 * of what they follow instead of testing every paper.
 */
interface WindowIndex {
  papers: Announced[];
  position: Map<string, number>;
  byCategory: Map<string, number[]>;
  byAuthor: Map<string, number[]>;
  byOrg: Map<string, number[]>;
}

function indexWindow(list: Announced[]): WindowIndex {
  const papers = [...list].sort((a, b) => (a.announcedAt < b.announcedAt ? 1 : a.announcedAt > b.announcedAt ? -1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const idx: WindowIndex = { papers, position: new Map(), byCategory: new Map(), byAuthor: new Map(), byOrg: new Map() };
  const add = (m: Map<string, number[]>, key: string, i: number) => {
    const l = m.get(key);
    if (l) {
      if (l.at(-1) !== i) l.push(i);
    } else m.set(key, [i]);
  };
  papers.forEach((p, i) => {
    idx.position.set(p.id, i);
    for (const c of p.categories) add(idx.byCategory, c, i);
    for (const a of p.authors) add(idx.byAuthor, lower(a), i);
    if (p.organization !== null) add(idx.byOrg, p.organization, i);
  });
  return idx;
}

const announcedMemo = new WeakMap<object, Memo<WindowIndex>>();
const spanMemo = new WeakMap<object, Memo<{ first: string; last: string } | null>>();
const searchMemo = new WeakMap<object, Memo<Set<string>>>();
const memoOf = <T>(map: WeakMap<object, Memo<T>>, db: object) => {
  let m = map.get(db);
  if (!m) {
    m = new Memo<T>();
    map.set(db, m);
  }
  return m;
};

/** Most matches of one saved search considered in a period (its newest). */
const SEARCH_DEPTH = 500;

/**
 * The ids a saved search finds among papers submitted from a few days before the period (an
 * announcement comes at most four days after its submission): the /search answer, by date.
 */
async function searchIds(d: FollowDeps, query: string, from: string): Promise<Set<string>> {
  const search = d.search;
  if (!search) return new Set();
  const after = addDays(from.slice(0, 10), -5);
  return memoOf(searchMemo, d.db).get(d.db, `${query}\u0000${after}`, async () => {
    const r = await search.search({ q: `${query} after:${after}`, sort: 'date', limit: SEARCH_DEPTH, page: 1, mode: 'lexical' });
    return new Set(r.hits.map((h) => h.paper.id));
  });
}

const lower = (s: string) => s.toLowerCase();

/**
 * The papers announced in [from, to) that match any of the follows, newest announcement first
 * (then by id), each once with every reason; `hidden` ids are left out.
 */
export async function matchFollows(
  d: FollowDeps,
  follows: readonly Follow[],
  range: { from: string; to: string },
  hidden?: ReadonlySet<string>,
): Promise<Match[]> {
  if (follows.length === 0) return [];
  const w = await memoOf(announcedMemo, d.db).get(d.db, `${range.from}/${range.to}`, async () => indexWindow(await announcedIn(d.db, range.from, range.to)));
  const searches = await Promise.all(follows.filter((f) => f.kind === 'search').map(async (f) => [f, await searchIds(d, f.value, range.from)] as const));
  // Reasons by paper position, in the order: categories, authors, organizations, searches.
  const reasons = new Map<number, string[]>();
  const mark = (positions: Iterable<number> | undefined, f: Follow) => {
    if (!positions) return;
    const label = followLabel(f);
    for (const i of positions) {
      const r = reasons.get(i);
      if (!r) reasons.set(i, [label]);
      else if (r.at(-1) !== label) r.push(label);
    }
  };
  const categories = follows.filter((f) => f.kind === 'category');
  for (const f of categories) for (const [c, positions] of w.byCategory) if (underCategory(c, f.value)) mark(positions, f);
  for (const f of follows) if (f.kind === 'author') mark(w.byAuthor.get(lower(f.value)), f);
  for (const f of follows) if (f.kind === 'org') mark(w.byOrg.get(f.value), f);
  for (const [f, ids] of searches) {
    const positions: number[] = [];
    for (const id of ids) {
      const i = w.position.get(id);
      if (i !== undefined) positions.push(i);
    }
    mark(positions, f);
  }
  const out: Match[] = [];
  for (const i of [...reasons.keys()].sort((a, b) => a - b)) {
    const p = w.papers[i]!;
    if (!hidden?.has(p.id)) out.push({ id: p.id, announcedAt: p.announcedAt, reasons: reasons.get(i)! });
  }
  return out;
}
