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
  return w.replace(/ies$/, 'y').replace(/(?:sses|ing|ed|s)$/, (m) => (m === 'sses' ? 'ss' : ''));
}

/**
 * The window of `text` (about `width` characters, cut at word boundaries) holding the most query
 * terms, split into segments with the matching words marked. Terms are compared by stem.
 */
export function snippet(text: string, terms: string[], width = 240): Segment[] {
  const clean = text.replace(/\s+/g, ' ').trim();
  const stems = new Set(terms.map(stem));
  const words = [...clean.matchAll(/[\p{L}\p{N}]+/gu)];
  const hits = words.filter((m) => stems.has(stem(m[0]))).map((m) => m.index!);
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
  for (const m of body.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!stems.has(stem(m[0]))) continue;
    if (m.index! > pos) out.push({ text: body.slice(pos, m.index), hit: false });
    out.push({ text: m[0], hit: true });
    pos = m.index! + m[0].length;
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
