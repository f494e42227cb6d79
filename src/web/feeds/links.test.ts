import { describe, expect, it } from 'vitest';
import { feedLinks } from './links.js';

describe('feedLinks', () => {
  const hrefs = (canonical?: string, q?: string) => feedLinks(canonical, q).map((f) => f.href);
  it('offers a listing its own feeds, absolute when the canonical URL is', () => {
    expect(hrefs('https://dp.example/papers/week/2026-W02?sort=newest')).toEqual([
      'https://dp.example/papers/week/2026-W02/feed.rss',
      'https://dp.example/papers/week/2026-W02/feed.atom',
    ]);
    expect(hrefs('/papers/trending')).toEqual(['/papers/trending/feed.rss', '/papers/trending/feed.atom']);
    expect(hrefs('/authors/Ada%20Example')[1]).toBe('/authors/Ada%20Example/feed.atom');
    expect(hrefs('https://dp.example/papers')[0]).toBe('https://dp.example/papers/feed.rss');
  });
  it('offers a search its query feed', () => {
    expect(hrefs(undefined, 'graph & nets')).toEqual(['/search/feed.rss?q=graph+%26+nets', '/search/feed.atom?q=graph+%26+nets']);
    expect(hrefs('https://dp.example/search?q=llm&p=2')[0]).toBe('https://dp.example/search/feed.rss?q=llm');
  });
  it('offers any other page the latest papers', () => {
    expect(hrefs('https://dp.example/papers/2501.01234')).toEqual(['/papers/feed.rss', '/papers/feed.atom']);
    expect(hrefs()).toEqual(['/papers/feed.rss', '/papers/feed.atom']);
    expect(feedLinks().map((f) => f.type)).toEqual(['application/rss+xml', 'application/atom+xml']);
  });
});
