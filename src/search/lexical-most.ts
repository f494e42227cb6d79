// Lexical search that degrades gracefully, on both engines: every word must match while enough
// papers match them all; past that ("teaching a robot to fold clothes from a few videos"), the
// papers that match most of the words, by bm25 over the words OR-ed. Phrases, authors, filters
// and exclusions stay required either way, and stop words are never required.
//
// Ranking every paper that has any of the words is what plain OR-ed BM25 does, and at a million
// papers a sentence's common words ("model", "data") match most of them. So the candidates are
// the papers with at least one of the query's rarer words, taken rarest first while their matches
// add up to MOST_BUDGET: a common word adds little to bm25 (its IDF is small), so a paper without
// any of the rare words would rank low anyway. This is the "essential terms" idea of MaxScore
// (Turtle and Flood, 1995), with the threshold set by a budget of postings rather than a score.
import { contentWords } from './query.js';
import type { LexicalBackend, LexicalRequest, LexicalResult } from './types.js';

/** "Enough papers match all the words": a page of results. */
export const ENOUGH = 20;

/**
 * The postings the rarer words may bring as candidates: at the 94k papers of the real data, words
 * in a few per cent of the papers; at a million, in a few per thousand. On 150 paraphrase queries
 * (docs/results/2026-12-04-search-understands.md) 5,000 gave MRR@10 0.760 for 25 ms of CPU a
 * query, 10,000 0.766 for 32 ms, 20,000 (all words ranking) 0.773 for 74 ms.
 */
export const MOST_BUDGET = 5_000;

/** How many candidates of most of the words are ranked (the newest, when there are more). */
export const MOST_WINDOW = MOST_BUDGET;

/** PostgreSQL scores the candidates coarsely (which words each has), then the best this-many finely. */
export const MOST_RERANK = 300;

/**
 * The words whose papers are the candidates: the rarest first (document frequency `dfs[i]` for
 * `words[i]`) while their frequencies add up to at most MOST_BUDGET, and always the rarest one.
 * Words no paper has are left out; none at all when no word is known.
 */
export function mostWords(words: string[], dfs: number[]): string[] {
  const known = words.map((w, i) => ({ w, df: dfs[i] ?? 0 })).filter((x) => x.df > 0);
  known.sort((a, b) => a.df - b.df || (a.w < b.w ? -1 : 1));
  const out: string[] = [];
  let sum = 0;
  for (const { w, df } of known) {
    if (out.length > 0 && sum + df > MOST_BUDGET) break;
    out.push(w);
    sum += df;
  }
  return out;
}

/** How many words rank the candidates: the rarest; the common ones beyond add little and cost a lookup each. */
export const MOST_TERMS = 16;

/** The words that rank the candidates: the MOST_TERMS rarest that some paper has. */
export function rankingWords(words: string[], dfs: number[]): string[] {
  return words
    .map((w, i) => ({ w, df: dfs[i] ?? 0 }))
    .filter((x) => x.df > 0)
    .sort((a, b) => a.df - b.df || (a.w < b.w ? -1 : 1))
    .slice(0, MOST_TERMS)
    .map((x) => x.w);
}

/**
 * Papers expected to have every word, were the words independent: the number of papers times
 * each word's share. Words that go together ("large language models") are in more.
 */
export function expectedWithAll(papers: number, dfs: number[]): number {
  return dfs.reduce((n, df) => n * (papers > 0 ? df / papers : 0), papers);
}

/**
 * `inner` with the fallback: a relevance search of two words or more that fewer than ENOUGH papers
 * match in full lists those first, then the papers that match most of the words, asked once the
 * all-words answer is in. Asking both at once when few papers were expected to have every word
 * cost more than it saved once the all-words match was nested rarest first (match-sqlite.ts): on
 * two cores, the guess's second query slowed the first and the vector side (decision 0061).
 */
export function gracefulLexical(inner: LexicalBackend): LexicalBackend {
  return {
    filter: (ids, query) => inner.filter(ids, query),
    frequencies: (words) => inner.frequencies(words),
    ...(inner.warm ? { warm: () => inner.warm!() } : {}),
    async search(req: LexicalRequest): Promise<LexicalResult> {
      const words = new Set(contentWords(req.query));
      if (req.words === 'most' || req.sort !== 'relevance' || words.size < 2) return inner.search(req);
      const all = await inner.search(req);
      if (all.total >= ENOUGH) return all;
      // Every paper with all the words (fewer than ENOUGH), then the others by most of the words.
      const whole = req.offset === 0 && all.ids.length >= all.total ? all : await inner.search({ ...req, offset: 0, limit: ENOUGH });
      const most = await inner.search({ ...req, words: 'most', offset: 0, limit: req.offset + req.limit + whole.ids.length });
      const first = new Set(whole.ids);
      const ids = [...whole.ids, ...most.ids.filter((id) => !first.has(id))];
      return {
        ids: ids.slice(req.offset, req.offset + req.limit),
        total: Math.max(all.total, most.total),
        allWords: whole.ids,
        ...(most.approximate ? { approximate: true } : {}),
      };
    },
  };
}
