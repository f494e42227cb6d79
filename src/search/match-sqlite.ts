// The FTS5 MATCH expression of a parsed query (lexical-sqlite.ts runs it): the words, phrases,
// authors and tags it requires, the exclusions it refuses, and which of its phrases rank.
import { contentWords, type ParsedQuery, wordsOf } from './query.js';

export const quote = (words: string[]) => `"${words.join(' ').replaceAll('"', '""')}"`;

/** The tag of a category in the FTS5 tags column (migration 0008): cs.CV is catcscv. */
export const categoryTag = (c: string) => `cat${c.toLowerCase().replace(/[.-]/g, '')}`;

/** The first doc_id of a day (migration 0008's keys: unixepoch(published_at) * 1024 and up). */
export const dayKey = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) * 1024;

/** Most of the words (lexical-most.ts): the rarer words a candidate needs one of, the words that rank. */
export interface MostWords {
  required: string[];
  ranking: string[];
}

export interface MatchPlan {
  /** The FTS5 MATCH expression. */
  expr: string;
  /**
   * Each phrase of `expr`, in FTS5's numbering (left to right), as a MATCH expression of its own
   * whose matches are the phrase's document frequency; null for the phrases that do not rank
   * (tags, exclusions).
   */
  ranked: Array<string | null>;
  /** `expr` restricted to featured papers (the only ones with upvotes). */
  featured: string;
}

/**
 * A match no paper has, whatever the words: OR-ed with a conjunction, it keeps FTS5 from merging
 * that AND into the AND around it (fts5_expr.c flattens nested ANDs into one).
 */
const NOTHING = '("dpnone" NOT "dpnone")';

/**
 * Words AND-ed rarest first, each AND nested in the next: ((w1 AND w2) AND w3) AND w4. FTS5 joins
 * the children of one AND in lockstep, moving every child to the next candidate at each step, so a
 * flat AND of ten words seeks all ten posting lists at each paper of the rarest word. Nested, the
 * two rarest are joined first and the common words are read only at the papers that have both:
 * at a million papers, the benchmark's queries of six words or more counted their matches in 5.4
 * instead of 14.1 ms (those whose rarest word 10,000 papers have), 1.8 instead of 8.1 ms (1,000 to
 * 10,000). `dfs` gives each word's papers; a word it lacks goes last.
 */
export function conjunction(words: string[], dfs: ReadonlyMap<string, number>): { expr: string; ranked: Array<string | null> } {
  const sorted = [...words].sort((a, b) => (dfs.get(a) ?? Infinity) - (dfs.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0)).map((w) => quote([w]));
  let expr = sorted[0]!;
  const ranked: Array<string | null> = [expr];
  for (const w of sorted.slice(1, -1)) {
    expr = `(${expr} AND ${w} OR ${NOTHING})`;
    ranked.push(w, null, null);
  }
  if (sorted.length > 1) {
    expr = `${expr} AND ${sorted.at(-1)!}`;
    ranked.push(sorted.at(-1)!);
  }
  return { expr, ranked };
}

/** Words from which the all-words match is nested (conjunction): with two, there is nothing to nest. */
export const NEST_MIN = 3;

/**
 * The FTS5 MATCH expression: every word and phrase (AND), the filters the tags column holds, minus
 * the exclusions. Null when nothing positive is left to match (filters and exclusions alone).
 * With `most` (lexical-most.ts): at least one of its required words, ranked by its ranking words
 * OR-ed; phrases, authors, tags and exclusions as before. With `dfs` (each word's papers) and
 * NEST_MIN words or more, every word: the words rarest first, nested (conjunction).
 */
export function matchPlan(q: ParsedQuery, most?: MostWords, dfs?: ReadonlyMap<string, number>): MatchPlan | null {
  // author: names go to the index too (a column filter), so that a common name does not scan
  // every paper; the LIKE in filters.ts still checks the exact spelling.
  const authors = q.authors
    .map(wordsOf)
    .filter((w) => w.length > 0)
    .map((w) => `authors : ${quote(w)}`);
  const content = contentWords(q);
  const words = content.length > 0 || q.phrases.length > 0 || authors.length > 0 ? content : q.words;
  const nested = !most && dfs && words.length >= NEST_MIN ? conjunction(words, dfs) : null;
  let positive = [...(nested ? [nested.expr] : words.map((w) => quote([w]))), ...q.phrases.map(quote), ...authors];
  if (positive.length === 0) return null;
  let ranked: Array<string | null> = [...(nested ? nested.ranked : words.map((w) => quote([w]))), ...q.phrases.map(quote), ...authors];
  if (most) {
    // Some of the rarer words (each counted once, in the OR that ranks), then the ranking words OR-ed.
    const any = `(${most.ranking.map((w) => quote([w])).join(' OR ')})`;
    positive = [`(${most.required.map((w) => quote([w])).join(' OR ')})`, any, ...q.phrases.map(quote), ...authors];
    ranked = [...most.required.map(() => null), ...most.ranking.map((w) => quote([w])), ...q.phrases.map(quote), ...authors];
  }
  if (q.categories.length) {
    positive.push(`(${q.categories.map((c) => quote([categoryTag(c)])).join(' OR ')})`);
    ranked.push(...q.categories.map(() => null));
  }
  if (q.hasCode) positive.push('"xhascode"');
  if (q.featured === true) positive.push('"xfeatured"');
  const negative = q.excluded.map(quote);
  if (q.featured === false) negative.push('"xfeatured"');
  ranked.push(...[q.hasCode, q.featured === true].filter(Boolean).map(() => null), ...negative.map(() => null));
  // Explicit ANDs: FTS5 joins bare phrases implicitly, but not a phrase and a parenthesis.
  const build = (pos: string[]) => (negative.length ? `${pos.join(' AND ')} NOT (${negative.join(' OR ')})` : pos.join(' AND '));
  return { expr: build(positive), ranked, featured: build([...positive, '"xfeatured"']) };
}

export const matchExpression = (q: ParsedQuery): string | null => matchPlan(q)?.expr ?? null;
