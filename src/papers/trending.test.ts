import { describe, expect, it } from 'vitest';
import { AGE_OFFSET_HOURS, GRAVITY, rankTrending, trendingClock, trendingScore, WINDOW_DAYS } from './trending.js';

describe('trendingScore', () => {
  it('follows upvotes / (age_hours + 2)^gravity, computed by hand', () => {
    expect(GRAVITY).toBe(1.8);
    expect(AGE_OFFSET_HOURS).toBe(2);
    // 30 / (0 + 2)^1.8 = 30 / 3.4822022531844965 = 8.615237...
    expect(trendingScore(30, 0)).toBeCloseTo(8.615237, 5);
    // 100 / (22 + 2)^1.8 = 100 / 305.0561... (24^1.8 = e^(1.8 ln 24) = e^5.720497) = 0.327808...
    expect(trendingScore(100, 22)).toBeCloseTo(0.327808, 5);
    // With gravity 1: 10 / (8 + 2) = 1 exactly.
    expect(trendingScore(10, 8, 1)).toBe(1);
    // Gravity 2: 50 / (3 + 2)^2 = 2.
    expect(trendingScore(50, 3, 2)).toBe(2);
  });

  it('never rewards negative counts or ages', () => {
    expect(trendingScore(0, 5)).toBe(0);
    expect(trendingScore(-4, 5)).toBe(0);
    expect(trendingScore(8, -3, 1)).toBe(4); // counted as age 0: 8 / 2
  });

  it("ranks yesterday's 40 upvotes above last week's 200", () => {
    const now = new Date('2025-01-10T12:00:00Z');
    const items = [
      { id: 'old', upvotes: 200, featuredAt: '2025-01-03T12:00:00Z' }, // 168 h: 200 / 170^1.8 = 0.0195
      { id: 'new', upvotes: 40, featuredAt: '2025-01-09T12:00:00Z' }, // 24 h: 40 / 26^1.8 = 0.1133
      { id: 'mid', upvotes: 100, featuredAt: '2025-01-07T12:00:00Z' }, // 72 h: 100 / 74^1.8 = 0.0435
    ];
    expect(rankTrending(items, now).map((i) => i.id)).toEqual(['new', 'mid', 'old']);
  });

  it('breaks ties by upvotes, then recency, then id', () => {
    const now = new Date('2025-01-10T00:00:00Z');
    const t = '2025-01-09T00:00:00Z';
    const zero = [
      { id: 'b', upvotes: 0, featuredAt: t },
      { id: 'a', upvotes: 0, featuredAt: t },
      { id: 'c', upvotes: 0, featuredAt: '2025-01-09T06:00:00Z' },
    ];
    expect(rankTrending(zero, now).map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });
});

describe('trendingClock', () => {
  const now = new Date('2025-03-01T00:00:00Z');
  it('is now while the feed is live', () => {
    expect(trendingClock(now, '2025-02-28T10:00:00Z')).toBe(now);
    expect(trendingClock(now, null)).toBe(now);
  });
  it('falls back to the newest feature time on a stale archive', () => {
    const stale = new Date(now.getTime() - (WINDOW_DAYS + 1) * 86_400_000).toISOString();
    expect(trendingClock(now, stale).toISOString()).toBe(stale);
  });
});
