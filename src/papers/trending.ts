// Trending: how hot a featured paper is now. The gravity model of Hacker News
// (score = points / (age_hours + 2)^gravity, as in news.arc and lobsters' story.rb hotness): a
// paper's upvotes count for less the longer ago it was featured, so yesterday's 40 upvotes beat
// last month's 200. Pure; the store picks candidates, this ranks them.

/** How fast age wins over votes. Hacker News uses 1.8; higher empties the list faster. */
export const GRAVITY = 1.8;

/**
 * Hours added to every age, so a paper featured a minute ago is not divided by ~0 (which would put
 * any new paper with one vote on top). Hacker News uses 2.
 */
export const AGE_OFFSET_HOURS = 2;

/**
 * Only papers featured within this many days are candidates. At gravity 1.8 a 14-day-old paper
 * needs ~70x the votes of a 1-day-old one to match it, so older papers could not rank anyway; the
 * window keeps the candidate query small.
 */
export const WINDOW_DAYS = 14;

/** Upvotes below zero cannot happen, but a negative count must not turn into a positive score. */
export function trendingScore(upvotes: number, ageHours: number, gravity = GRAVITY): number {
  const age = Math.max(0, ageHours); // a paper featured "in the future" (clock skew) counts as new
  return Math.max(0, upvotes) / (age + AGE_OFFSET_HOURS) ** gravity;
}

export interface TrendingCandidate {
  upvotes: number;
  /** ISO 8601 instant the paper was featured. */
  featuredAt: string;
  /** Tie-breaker: ids are unique, so the order is total and stable across engines. */
  id: string;
}

/** Hours between a feature time and the reference time. */
export function ageHours(featuredAt: string, now: Date): number {
  return (now.getTime() - Date.parse(featuredAt)) / 3_600_000;
}

/** Sorts by score, then by more upvotes, then newer, then id. Returns a new array. */
export function rankTrending<T extends TrendingCandidate>(items: readonly T[], now: Date, gravity = GRAVITY): T[] {
  const scored = items.map((item) => ({ item, score: trendingScore(item.upvotes, ageHours(item.featuredAt, now), gravity) }));
  scored.sort(
    (a, b) => b.score - a.score || b.item.upvotes - a.item.upvotes || b.item.featuredAt.localeCompare(a.item.featuredAt) || a.item.id.localeCompare(b.item.id),
  );
  return scored.map((s) => s.item);
}

/**
 * The clock trending is measured against: now, unless the newest featured paper is older than the
 * window (an archive, or an instance that stopped ingesting), in which case the time of that newest
 * paper, so the page shows what was trending when the feed last moved instead of nothing.
 */
export function trendingClock(now: Date, newestFeaturedAt: string | null): Date {
  if (!newestFeaturedAt) return now;
  const newest = Date.parse(newestFeaturedAt);
  return now.getTime() - newest > WINDOW_DAYS * 86_400_000 ? new Date(newest) : now;
}
