// compose: which papers one subscriber's digest holds. Pure: the period's ranked candidates come in
// (loaded once per run), the subscriber's filters and size pick from them, and the member's
// "picked for you" papers are appended. No I/O, so the selection is tested on plain data.
import { firstSentences } from '../papers/math.js';
import type { ListedPaper } from '../store/papers.js';
import type { Period } from './period.js';

export interface DigestPaper {
  id: string;
  title: string;
  authors: string[];
  /** One or two sentences: the AI summary when there is one, else the abstract's first sentences. */
  summary: string;
  upvotes: number;
  featuredAt: string;
  categories: string[];
  /** Lower-cased title, abstract and keywords, for keyword filters. */
  haystack: string;
  /** "New for you" only: the follows it matches ("author: Jane Doe"). */
  why?: string | undefined;
}

export interface Filters {
  /** arXiv categories or archives: `cs.LG` matches cs.LG, `cs` matches every cs.* category. */
  categories: string[];
  /** Case-insensitive words or phrases, matched in title, abstract and keywords. */
  keywords: string[];
}

export interface Preferences extends Filters {
  maxPapers: number;
}

export interface Digest {
  period: Period;
  papers: DigestPaper[];
  /** Members only: papers close to what they upvoted, not already in `papers`. */
  picked: DigestPaper[];
  /** New papers of the period that match the subscriber's follows, not already in `papers`. */
  newForYou: DigestPaper[];
  /** How many of the period's papers passed the filters (papers holds the first maxPapers). */
  matched: number;
}

/** Most papers a digest may hold; the subscribe form offers up to this. */
export const MAX_PAPERS = 50;
/** Length of "picked for you". */
export const PICKED = 3;
/** Most papers of "New for you". */
export const NEW_FOR_YOU = 20;

/** A listed paper (the period's, or a "picked for you" search hit, maybe never featured) in a digest. */
export function toDigestPaper(item: ListedPaper): DigestPaper {
  const p = item.paper;
  const f = item.featured;
  return {
    id: p.id,
    title: p.title.replace(/\s+/g, ' ').trim(),
    authors: p.authors,
    summary: f?.aiSummary?.trim() || firstSentences(p.abstract, 280),
    upvotes: item.upvotes,
    featuredAt: f?.featuredAt ?? p.publishedAt ?? '',
    categories: p.categories,
    haystack: [p.title, p.abstract, ...(f?.aiKeywords ?? [])].join('\n').toLowerCase().replace(/\s+/g, ' '),
  };
}

/** The ranking: more upvotes first, ties broken by the newer feature time, then by id (total order). */
export function rankPapers(papers: readonly DigestPaper[]): DigestPaper[] {
  return [...papers].sort((a, b) => b.upvotes - a.upvotes || b.featuredAt.localeCompare(a.featuredAt) || a.id.localeCompare(b.id));
}

export function matches(paper: DigestPaper, f: Filters): boolean {
  if (f.categories.length > 0) {
    const ok = paper.categories.some((c) => f.categories.some((want) => c === want || (!want.includes('.') && c.startsWith(`${want}.`))));
    if (!ok) return false;
  }
  if (f.keywords.length > 0) {
    if (!f.keywords.some((k) => paper.haystack.includes(k.toLowerCase().replace(/\s+/g, ' ').trim()))) return false;
  }
  return true;
}

/**
 * One subscriber's digest, or null when nothing passes the filters (an empty period sends no mail).
 * `ranked` must already be in digest order (rankPapers); `picked` are candidates for "picked for
 * you", best first.
 */
export function composeDigest(
  period: Period,
  ranked: readonly DigestPaper[],
  prefs: Preferences,
  picked: readonly DigestPaper[] = [],
  followed: readonly DigestPaper[] = [],
): Digest | null {
  const passing = ranked.filter((p) => matches(p, prefs));
  const papers = passing.slice(0, Math.max(1, Math.min(prefs.maxPapers, MAX_PAPERS)));
  const shown = new Set(papers.map((p) => p.id));
  // Each paper once: a followed paper already among the top ones is not repeated.
  const newForYou = followed.filter((p) => !shown.has(p.id)).slice(0, NEW_FOR_YOU);
  if (papers.length === 0 && newForYou.length === 0) return null;
  for (const p of newForYou) shown.add(p.id);
  const extra = picked.filter((p) => !shown.has(p.id)).slice(0, PICKED);
  return { period, papers, picked: extra, newForYou, matched: passing.length };
}

/** "Ada Example, Bo Sample, Cy Third et al.": the first authors, as in a reference list. */
export function firstAuthors(authors: readonly string[], shown = 3): string {
  if (authors.length === 0) return 'Authors unknown';
  return authors.length <= shown ? authors.join(', ') : `${authors.slice(0, shown).join(', ')} et al.`;
}

/** Filter lists as typed in a form: commas or new lines; trimmed, de-duplicated, bounded. */
export function parseList(input: string | undefined, max = 20): string[] {
  const out: string[] = [];
  for (const raw of (input ?? '').split(/[,\n]/)) {
    const v = raw.trim().replace(/\s+/g, ' ');
    if (v && !out.some((o) => o.toLowerCase() === v.toLowerCase())) out.push(v);
  }
  return out.slice(0, max);
}
