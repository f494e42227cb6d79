// Highlighted snippets, cut in JS for both engines from the stored abstract: the FTS5 table is
// contentless (nothing to cut from) and PostgreSQL's ts_headline re-parses every document, which
// costs more than the search itself on long abstracts.

export interface Segment {
  text: string;
  hit: boolean;
}

/** Crude English stem so that "games" highlights for "game": the porter stemmer's first steps. */
export function stem(word: string): string {
  const w = word.toLowerCase();
  if (w.length <= 4) return w;
  // String tests, not regular expressions: a page's snippets stem every word of 20 abstracts.
  if (w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ing')) return w.slice(0, -3);
  if (w.endsWith('ed')) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

interface Matcher {
  /** Words that may stem to a term, or null when there are no terms. */
  candidates: RegExp | null;
  /** The same for a text that is all ASCII (most abstracts): without Unicode classes, 3x faster. */
  ascii: RegExp | null;
  isHit: (word: string) => boolean;
}

const matchers = new Map<string, Matcher>();
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The words to look at for `terms`, built once per query (a page cuts 20 snippets with the same
 * terms): only words that can stem to a term, since a stem is its word with the ending changed,
 * so such a word starts with the stem less its last letter ("study" for "studies"). Each word is
 * stemmed once (abstracts repeat their words).
 */
function matcherFor(terms: string[]): Matcher {
  const key = terms.join('\u0000');
  let m = matchers.get(key);
  if (m) return m;
  const stems = new Set(terms.map(stem));
  const prefixes = [...stems].map((x) => x.slice(0, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const seen = new Map<string, boolean>();
  const any = prefixes.join('|');
  m = {
    candidates: prefixes.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${any})[\\p{L}\\p{N}]*`, 'giu') : null,
    ascii: prefixes.length && !NON_ASCII.test(any) ? new RegExp(`(?<![A-Za-z0-9])(?:${any})[A-Za-z0-9]*`, 'gi') : null,
    isHit: (word) => {
      let hit = seen.get(word);
      if (hit === undefined) {
        if (seen.size > 10_000) seen.clear();
        hit = stems.has(stem(word));
        seen.set(word, hit);
      }
      return hit;
    },
  };
  if (matchers.size >= 200) matchers.delete(matchers.keys().next().value!);
  matchers.set(key, m);
  return m;
}

/**
 * The window of `text` (about `width` characters, cut at word boundaries) holding the most query
 * terms, split into segments with the matching words marked. Terms are compared by stem.
 */
export function snippet(text: string, terms: string[], width = 240): Segment[] {
  // Only runs other than one space are replaced: most of an abstract's whitespace is single
  // spaces, and rewriting each of them cost more than the rest of the snippet.
  const clean = text.replace(/\s{2,}|[^\S ]/g, ' ').trim();
  const { candidates, ascii, isHit } = matcherFor(terms);
  const words = ascii && !NON_ASCII.test(clean) ? ascii : candidates;
  const found = words ? [...clean.matchAll(words)].filter((m) => isHit(m[0])) : [];
  const hits = found.map((m) => m.index!);
  let start = 0;
  if (clean.length > width && hits.length > 0) {
    // Slide a window over the hits and keep the one that covers the most.
    let best = 0;
    let bestStart = hits[0]!;
    for (let i = 0, j = 0; i < hits.length; i++) {
      while (hits[i]! - hits[j]! > width * 0.8) j++;
      if (i - j + 1 > best) {
        best = i - j + 1;
        bestStart = hits[j]!;
      }
    }
    start = Math.max(0, bestStart - Math.round(width * 0.15));
    const space = clean.lastIndexOf(' ', start);
    start = start === 0 ? 0 : space + 1;
  }
  let end = Math.min(clean.length, start + width);
  if (end < clean.length) {
    const space = clean.lastIndexOf(' ', end);
    if (space > start) end = space;
  }
  const body = clean.slice(start, end);
  const out: Segment[] = [];
  if (start > 0) out.push({ text: '… ', hit: false });
  let pos = 0;
  // The hits inside the window (a word cut by the window's end is not one: it is not in `body` whole).
  for (const m of found) {
    const at = m.index! - start;
    if (at < 0 || at + m[0].length > body.length) continue;
    if (at > pos) out.push({ text: body.slice(pos, at), hit: false });
    out.push({ text: m[0], hit: true });
    pos = at + m[0].length;
  }
  if (pos < body.length) out.push({ text: body.slice(pos), hit: false });
  if (end < clean.length) out.push({ text: ' …', hit: false });
  return mergeAdjacent(out);
}

function mergeAdjacent(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const last = out.at(-1);
    if (last && !last.hit && !s.hit) last.text += s.text;
    else out.push({ ...s });
  }
  return out;
}
