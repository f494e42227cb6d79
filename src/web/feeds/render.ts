// One feed, two formats: RSS 2.0 (https://www.rssboard.org/rss-specification) and Atom (RFC 4287).
// Pure: a FeedDoc in, a document out. Entry ids are the paper's arXiv abstract URL, the same in
// every feed and under any BASE_URL, so a reader that follows several of our feeds, or an instance
// that moves, does not show a paper twice. Dates are the feature time (when the paper entered the
// list), else arXiv's dates.
import { arxivLinks } from '../../papers/types.js';
import type { Paper } from '../../papers/types.js';
import type { ListedPaper } from '../../store/papers.js';
import { el, empty, rfc3339, rfc822 } from './xml.js';

export interface FeedEntry {
  id: string;
  title: string;
  /** Our page of the paper. */
  url: string;
  /** arXiv's abstract page. */
  related: string;
  summary: string;
  authors: string[];
  /** arXiv categories (scheme: arXiv's archive) and keywords (no scheme). */
  categories: string[];
  keywords: string[];
  published: string;
  updated: string;
}

export interface FeedDoc {
  title: string;
  description: string;
  /** The HTML page this feed follows. */
  pageUrl: string;
  /** This feed's own URL, and its twin in the other format. */
  rssUrl: string;
  atomUrl: string;
  entries: FeedEntry[];
}

/** Before 2007 arXiv ids were archive/YYMMNNN; after, YYMM.NNNNN: both start with the month. */
function monthOfId(id: string): string | null {
  const m = /^(?:[a-z-]+(?:\.[A-Z]{2})?\/)?(\d{2})(\d{2})/.exec(id);
  if (!m) return null;
  const yy = Number(m[1]);
  return `${yy >= 91 ? 19 : 20}${m[1]}-${m[2]}-01T00:00:00.000Z`;
}

/** A paper's entry. The feature time dates it when it was featured; otherwise arXiv's dates do. */
export function entryOf(item: Pick<ListedPaper, 'paper' | 'featured'>, baseUrl: string): FeedEntry {
  const p: Paper = item.paper;
  const links = arxivLinks(p.id);
  // A paper with no date at all (a sparse import) still needs one: its id's month is true.
  const arxivDate = p.publishedAt ?? p.updatedAt ?? monthOfId(p.id) ?? '1991-08-01T00:00:00.000Z';
  const published = item.featured?.featuredAt ?? arxivDate;
  const updated = [published, p.updatedAt ?? published].sort().at(-1)!;
  return {
    id: links.abs,
    title: p.title,
    url: `${baseUrl}/papers/${p.id}`,
    related: links.abs,
    summary: p.abstract,
    authors: p.authors,
    categories: p.categories,
    keywords: item.featured?.aiKeywords ?? [],
    published,
    updated,
  };
}

/** The newest entry date, or the epoch for an empty feed (a fixed value keeps its ETag stable). */
function feedUpdated(doc: FeedDoc): string {
  return doc.entries.reduce((m, e) => (e.updated > m ? e.updated : m), '1970-01-01T00:00:00.000Z');
}

export function renderRss(doc: FeedDoc): string {
  const items = doc.entries.map((e) =>
    [
      '<item>',
      el('title', e.title),
      el('link', e.url),
      el('guid', e.id, { isPermaLink: 'false' }),
      el('pubDate', rfc822(e.published)),
      ...e.authors.map((a) => el('dc:creator', a)),
      ...e.categories.map((c) => el('category', c, { domain: 'https://arxiv.org/archive' })),
      ...e.keywords.map((k) => el('category', k)),
      el('description', e.summary),
      el('comments', `${e.url}#comments`),
      '</item>',
    ].join(''),
  );
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    el('title', doc.title),
    el('link', doc.pageUrl),
    el('description', doc.description),
    // RSS Best Practices: a feed names its own URL with atom:link rel="self".
    empty('atom:link', { href: doc.rssUrl, rel: 'self', type: 'application/rss+xml' }),
    empty('atom:link', { href: doc.atomUrl, rel: 'alternate', type: 'application/atom+xml' }),
    el('lastBuildDate', rfc822(feedUpdated(doc))),
    el('generator', 'dailypapers'),
    el('docs', 'https://www.rssboard.org/rss-specification'),
    ...items,
    '</channel></rss>\n',
  ].join('');
}

export function renderAtom(doc: FeedDoc): string {
  const entries = doc.entries.map((e) =>
    [
      '<entry>',
      el('id', e.id),
      el('title', e.title, { type: 'text' }),
      empty('link', { rel: 'alternate', type: 'text/html', href: e.url }),
      empty('link', { rel: 'related', type: 'text/html', href: e.related }),
      el('published', rfc3339(e.published)),
      el('updated', rfc3339(e.updated)),
      ...e.authors.map((a) => `<author>${el('name', a)}</author>`),
      ...e.categories.map((c) => empty('category', { term: c, scheme: 'https://arxiv.org/archive' })),
      ...e.keywords.map((k) => empty('category', { term: k })),
      el('summary', e.summary, { type: 'text' }),
      '</entry>',
    ].join(''),
  );
  // RFC 4287 §4.1.1: a feed without a feed-level author needs one in every entry; ours may have
  // papers with no authors listed, so the feed names its publisher.
  return [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    el('id', doc.atomUrl),
    el('title', doc.title, { type: 'text' }),
    el('subtitle', doc.description, { type: 'text' }),
    el('updated', rfc3339(feedUpdated(doc))),
    `<author>${el('name', 'dailypapers')}</author>`,
    empty('link', { rel: 'self', type: 'application/atom+xml', href: doc.atomUrl }),
    empty('link', { rel: 'alternate', type: 'text/html', href: doc.pageUrl }),
    empty('link', { rel: 'alternate', type: 'application/rss+xml', href: doc.rssUrl }),
    el('generator', 'dailypapers'),
    ...entries,
    '</feed>\n',
  ].join('');
}
