// <link rel="alternate"> for feed autodiscovery (RSS Autodiscovery, rssboard.org; HTML Living
// Standard §4.6.7.1): which feeds a page offers, worked out from its canonical URL so that every
// page gets them through the layout without passing anything. A listing offers its own feeds;
// any other page the site's latest papers.

export interface FeedLink {
  type: 'application/rss+xml' | 'application/atom+xml';
  title: string;
  href: string;
}

const LISTING = /^\/(?:papers(?:\/trending|\/(?:date|week|month)\/[^/]+)?|orgs\/[^/]+|authors\/[^/]+)$/;

function both(path: string, title: string, query = ''): FeedLink[] {
  const q = query ? `?${query}` : '';
  return [
    { type: 'application/rss+xml', title: `${title} (RSS)`, href: `${path}/feed.rss${q}` },
    { type: 'application/atom+xml', title: `${title} (Atom)`, href: `${path}/feed.atom${q}` },
  ];
}

/** The feeds of the page at `canonical` (absolute or a path), or of a search for `query`. */
export function feedLinks(canonical?: string, query?: string): FeedLink[] {
  if (canonical) {
    const u = new URL(canonical, 'http://localhost');
    const path = u.pathname.replace(/\/+$/, '') || '/';
    const origin = /^https?:/.test(canonical) ? u.origin : '';
    if (path === '/search' && u.searchParams.get('q'))
      return both(`${origin}/search`, `Search: ${u.searchParams.get('q')}`, new URLSearchParams({ q: u.searchParams.get('q')! }).toString());
    if (LISTING.test(path)) return both(origin + path, 'This list');
  }
  if (query?.trim()) return both('/search', `Search: ${query.trim()}`, new URLSearchParams({ q: query.trim() }).toString());
  return both('/papers', 'Latest papers');
}
