// Similar papers: the paper's nearest neighbours by meaning, fused (hybrid.ts, reciprocal rank) with
// a "more like this" search by its words, as Lucene's MoreLikeThis does: its most distinctive words
// (frequent in it, rare in the corpus) searched as "most of the words" (lexical-most.ts). With the
// built-in model, the candidates of both lists are then compared with the paper word by word too
// (tf-idf cosine over title and abstract, the model's IDFs), which adds a third vote: on the
// similar-papers evaluation the neighbours alone fell below plain tf-idf cosine, the two lists
// fused were a little above it, and the three clearly (docs/decisions/0050). Without vectors (the
// model not trained yet, PostgreSQL without pgvector) the words alone answer.
import { paperText } from './embedders/index.js';
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

/** RRF's constant for similar papers: the one of the paper (hybrid.ts). */
const SIMILAR_K = 60;
/** The neighbours by meaning count half as much as the words: alone they were the weakest (0050). */
const MEANING_WEIGHT = 0.5;
/** What the candidate closest in words adds, as a share of a first rank's 1 / (K + 1) (0050). */
const TEXT_WEIGHT = 2;

/** The tf-idf cosine of `paper` with each candidate, by the model's term weights (unit norm). */
export function textCosines(
  weights: (text: string) => Map<number, number>,
  paper: { title: string; abstract: string },
  candidates: Array<{ id: string; title: string; abstract: string }>,
): Map<string, number> {
  const q = weights(paperText(paper));
  const out = new Map<string, number>();
  for (const c of candidates) {
    let s = 0;
    for (const [t, w] of weights(paperText(c))) s += w * (q.get(t) ?? 0);
    out.set(c.id, s);
  }
  return out;
}

/**
 * Neighbours by meaning (null: none to be had) and by words, fused by weighted reciprocal rank;
 * with `byText` (the candidates' tf-idf cosines), each adds TEXT_WEIGHT / (K + 1) times its place
 * between the lowest and the highest cosine. The first `limit`.
 */
export function fuseSimilar(byMeaning: string[] | null, byWords: string[], limit: number, byText?: Map<string, number>): string[] {
  const score = new Map<string, number>();
  const add = (ids: string[], w: number) => {
    ids.forEach((id, i) => {
      score.set(id, (score.get(id) ?? 0) + w / (SIMILAR_K + i + 1));
    });
  };
  if (byMeaning) add(byMeaning, MEANING_WEIGHT);
  add(byWords, 1);
  if (byText?.size) {
    const vals = [...byText.values()];
    const lo = Math.min(...vals);
    const hi = Math.max(...vals);
    for (const [id, c] of byText) if (score.has(id) && hi > lo) score.set(id, score.get(id)! + (TEXT_WEIGHT * (c - lo)) / (hi - lo) / (SIMILAR_K + 1));
  }
  return [...score]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([id]) => id)
    .slice(0, limit);
}
