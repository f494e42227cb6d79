// "New for you": the period's new arXiv papers that match a subscriber's follows (and, for a
// member, theirs), for the digest run in send.ts. What a run learns once (the period's featured
// ids, a batch's follows, the new papers already read) is kept per run and reused by every
// subscriber.
import type { Db } from '../db/connect.js';
import { matchFollows } from '../members/follows.js';
import { dayBoundsInZone } from '../papers/announce.js';
import type { SearchService } from '../search/index.js';
import { type Follow, followsOfSubscriptions, listFollows } from '../store/follows.js';
import { listedPapersByIds } from '../store/papers.js';
import type { Subscription } from '../store/subscriptions.js';
import { type DigestPaper, NEW_FOR_YOU, toDigestPaper } from './compose.js';
import type { Period } from './period.js';

/**
 * What one run learns once and every subscriber's "New for you" reuses, keyed by the run's ranked
 * list: the period's featured ids, the follows of the batch's subscriptions (loaded per batch),
 * and the new papers already shown to someone, as digest papers.
 */
interface RunCache {
  featured: Set<string>;
  follows: Map<number, Follow[]>;
  papers: Map<string, DigestPaper>;
}
const runCaches = new WeakMap<readonly DigestPaper[], RunCache>();
const runCache = (ranked: readonly DigestPaper[]) => {
  let c = runCaches.get(ranked);
  if (!c) {
    c = { featured: new Set(ranked.map((p) => p.id)), follows: new Map(), papers: new Map() };
    runCaches.set(ranked, c);
  }
  return c;
};

/** The follows of a batch's subscriptions, in one query, for newForYou. */
export async function prefetchFollows(db: Db, ranked: readonly DigestPaper[], subscriptionIds: number[]): Promise<void> {
  const cache = runCache(ranked);
  cache.follows.clear();
  const found = await followsOfSubscriptions(db.db, subscriptionIds);
  for (const id of subscriptionIds) cache.follows.set(id, found.get(id) ?? []);
}

/**
 * "New for you": the period's new arXiv papers matching the subscription's follows (and, for a
 * member, theirs), each once with its reasons, newest announcement first.
 */
export async function newForYou(
  deps: { db: Db; config: { timezone: string }; search?: Pick<SearchService, 'search'> | undefined },
  period: Period,
  ranked: readonly DigestPaper[],
  sub: Subscription,
): Promise<{ papers: DigestPaper[]; total: number }> {
  const db = deps.db.db;
  const cache = runCache(ranked);
  const follows = [
    ...(cache.follows.get(sub.id) ?? (await listFollows(db, { subscriptionId: sub.id }))),
    ...(sub.userId !== null ? await listFollows(db, { userId: sub.userId }) : []),
  ];
  if (follows.length === 0) return { papers: [], total: 0 };
  const all = await matchFollows({ db, search: deps.search }, follows, instantsOf(period, deps.config.timezone));
  // The first NEW_FOR_YOU that are not featured in the period, and the featured ones met on the
  // way: composeDigest drops those its top papers already show (each paper once).
  const matched: typeof all = [];
  for (let i = 0, fresh = 0; i < all.length && fresh < NEW_FOR_YOU; i++) {
    matched.push(all[i]!);
    if (!cache.featured.has(all[i]!.id)) fresh++;
  }
  const missing = matched.map((m) => m.id).filter((id) => !cache.papers.has(id));
  for (const item of await listedPapersByIds(db, missing)) cache.papers.set(item.paper.id, toDigestPaper(item));
  const papers = matched.flatMap((m) => {
    const p = cache.papers.get(m.id);
    return p ? [{ ...p, why: m.reasons.join(', ') }] : [];
  });
  return { papers, total: all.length };
}

/** A period's days as the instants they cover in the zone (computed once per period). */
const instantsOf = (() => {
  const known = new Map<string, { from: string; to: string }>();
  return (period: Period, timezone: string) => {
    const key = `${period.key} ${timezone}`;
    let r = known.get(key);
    if (!r) {
      r = { from: dayBoundsInZone(period.range.from, timezone).from, to: dayBoundsInZone(period.range.to, timezone).to };
      if (known.size > 100) known.clear();
      known.set(key, r);
    }
    return r;
  };
})();
