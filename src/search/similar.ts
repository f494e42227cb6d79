// Similar papers: the paper's nearest neighbours by meaning, fused (hybrid.ts, reciprocal rank) with
// a "more like this" search by its words, as Lucene's MoreLikeThis does: its most distinctive words
// (frequent in it, rare in the corpus) searched as "most of the words" (lexical-most.ts). On the
// similar-papers evaluation the built-in model's neighbours alone fell below plain tf-idf cosine;
// the fusion is above both (docs/results/2026-12-04-search-understands.md). Without vectors (the
// model not trained yet, PostgreSQL without pgvector) the words alone answer.
import { reciprocalRankFusion } from './hybrid.js';
import { emptyQuery, STOP_WORDS, wordsOf } from './query.js';
import type { LexicalBackend } from './types.js';

/** Words of the paper that make the "more like this" query. */
export const MLT_TERMS = 16;
/** A title word counts as this many words of the abstract. */
const TITLE_WEIGHT = 3;

/**
 * The paper's most distinctive words: each word's count in the paper (title words weighted) times
 * its IDF, the MLT_TERMS best; words in one paper only (its own) or in none are left out.
 */
export function distinctiveWords(paper: { title: string; abstract: string }, counts: { papers: number; dfs: Map<string, number> }): string[] {
  const tf = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const w of wordsOf(text)) if (w.length > 2 && !STOP_WORDS.has(w) && !/^\d+$/.test(w)) tf.set(w, (tf.get(w) ?? 0) + weight);
  };
  add(paper.title, TITLE_WEIGHT);
  add(paper.abstract, 1);
  return [...tf]
    .map(([w, f]) => ({ w, df: counts.dfs.get(w) ?? 0, f }))
    .filter((x) => x.df > 1)
    .map((x) => ({ w: x.w, s: (1 + Math.log(x.f)) * Math.log(counts.papers / x.df) }))
    .sort((a, b) => b.s - a.s || (a.w < b.w ? -1 : 1))
    .slice(0, MLT_TERMS)
    .map((x) => x.w);
}

/** The words of `paper` that the lexical side is asked about (distinct, stop words out). */
export function candidateWords(paper: { title: string; abstract: string }): string[] {
  return [...new Set(wordsOf(`${paper.title} ${paper.abstract}`))].filter((w) => w.length > 2 && !STOP_WORDS.has(w) && !/^\d+$/.test(w));
}

/** Papers like `paper` by its words, best first, without itself. */
export async function moreLikeThis(lexical: LexicalBackend, paper: { id: string; title: string; abstract: string }, k: number): Promise<string[]> {
  const words = candidateWords(paper);
  const { papers, dfs } = await lexical.frequencies(words);
  const picked = distinctiveWords(paper, { papers, dfs: new Map(words.map((w, i) => [w, dfs[i] ?? 0])) });
  if (picked.length === 0) return [];
  const r = await lexical.search({ query: { ...emptyQuery(), words: picked }, sort: 'relevance', limit: k + 1, offset: 0, words: 'most' });
  return r.ids.filter((id) => id !== paper.id).slice(0, k);
}

/** Neighbours by meaning (null: none to be had) and by words, fused; the first `limit`. */
export function fuseSimilar(byMeaning: string[] | null, byWords: string[], limit: number): string[] {
  return reciprocalRankFusion(byMeaning ? [byMeaning, byWords] : [byWords])
    .map((f) => f.id)
    .slice(0, limit);
}
