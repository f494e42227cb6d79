// Fusion of ranked lists, in one file. Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR
// 2009): score(d) = sum over lists of 1 / (K + rank), with K = 60 as in the paper and in Hugging
// Face's paper search; it needs no calibration between bm25 and cosine scores. Similar papers fuse
// their two lists with it (similar.ts); the digests' "picked for you" fuses the neighbours of each
// of a member's upvotes (digests/picked.ts).
// Search fuses its lexical and semantic sides differently (fuseHybrid): the lexical list by rank,
// as RRF does, and the semantic side by the cosine itself, scaled to the candidates' range. About
// 50 candidates come from each side; every one of them gets a cosine (the lexical candidates
// are scored against the query vector too), so a paper close in meaning that has the words is
// lifted in proportion to how close it is, not by its rank among papers of similar closeness. On
// the paraphrase set this is above RRF of the two lists with any weight tried, and level with it
// on the keyword set (docs/decisions/0050). When the embedder does not answer within a second the lexical results
// are served alone, so a slow or dead embedding server never stalls a search; only while the
// model loads (at start) does a search wait longer (LOAD_WAIT_MS).

import { STOP_WORDS } from './query.js';

/** RRF's constant: large enough that the first few ranks of either list do not dominate. */
export const RRF_K = 60;
/** Candidates taken from each side before fusion. */
export const CANDIDATES = 50;
/** How long a search waits for the query's embedding before answering with lexical results. */
export const EMBED_TIMEOUT_MS = 1000;
/**
 * How long a search waits for the model and the vector index to load (at start) before answering
 * with words alone: a million papers' saved graph loads in seconds; building one takes minutes.
 */
export const LOAD_WAIT_MS = 15_000;

export interface Fused {
  id: string;
  score: number;
  /** 1-based rank in each list, in the order of the lists; null when absent from that list. */
  ranks: Array<number | null>;
}

/**
 * Fuses ranked lists of ids (best first), best fused score first. A duplicate within one list
 * counts once, at its best rank. Ties (equal scores) go to the better rank in the first list,
 * then in the second, and so on (absent counts as worst), then to the id, so results are stable;
 * put the list to trust most first (search: lexical).
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = RRF_K): Fused[] {
  const byId = new Map<string, Fused>();
  lists.forEach((ids, l) => {
    ids.forEach((id, i) => {
      let f = byId.get(id);
      if (!f) {
        f = { id, score: 0, ranks: lists.map(() => null) };
        byId.set(id, f);
      }
      if (f.ranks[l] !== null) return;
      f.ranks[l] = i + 1;
      f.score += 1 / (k + i + 1);
    });
  });
  const byRanks = (a: Fused, b: Fused) => {
    for (let l = 0; l < lists.length; l++) {
      const d = (a.ranks[l] ?? Infinity) - (b.ranks[l] ?? Infinity);
      if (d) return d;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
  return [...byId.values()].sort((a, b) => b.score - a.score || byRanks(a, b));
}

/** The rank constant of search's fusion: small, so that the first lexical ranks count (0050). */
export const HYBRID_K = 5;
/**
 * What the closest candidate by meaning adds, as a share of a first lexical rank's 1 / (K + 1);
 * the farthest adds nothing, the others in proportion to their cosine between the two (0050).
 */
export const SEMANTIC_WEIGHT = 0.7;

/**
 * What the candidate with the largest share of the query's adjacent word pairs adds, as a share of
 * a first lexical rank's 1 / (K + 1); the others in proportion to their share (0054). bm25 scores
 * each word alone: a paper that has "temporal dynamics" as words of one phrase, as the query has
 * them, is no better to it than one with "temporal" here and "dynamics" there.
 */
export const PAIR_WEIGHT = 1;
/** The lexical candidates whose title and abstract are searched for the query's pairs. */
export const PAIR_DEPTH = CANDIDATES;

/** A letter or digit, as wordsOf (query.ts) counts them. */
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** The next word at or after lastIndex, as wordsOf splits them. */
const NEXT_WORD = /[\p{L}\p{N}]+/gu;

function wordCharAt(s: string, i: number): boolean {
  const c = s.codePointAt(i);
  return c !== undefined && WORD_CHAR.test(String.fromCodePoint(c));
}

/** The character ending just before `i` is a letter or digit (a surrogate pair read whole). */
function wordCharBefore(s: string, i: number): boolean {
  if (i <= 0) return false;
  const low = s.charCodeAt(i - 1);
  return wordCharAt(s, low >= 0xdc00 && low <= 0xdfff && i >= 2 ? i - 2 : i - 1);
}

/**
 * Each text's share of `pairs` (wordPairs of query.ts: adjacent words, stop words skipped) that it
 * has as adjacent words too, stop words skipped the same way; texts with none are left out. Each
 * pair's first word is found with indexOf and only the word after it is read, so a text is not
 * split into words whole: the same pairs as splitting it with wordsOf, at a tenth of the cost.
 */
export function pairShares(pairs: readonly string[], texts: Map<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  if (pairs.length === 0) return out;
  // The words that may follow each word.
  const next = new Map<string, Set<string>>();
  for (const p of pairs) {
    const [a, b] = p.split(' ') as [string, string];
    next.set(a, (next.get(a) ?? new Set<string>()).add(b));
  }
  for (const [id, text] of texts) {
    const lower = text.toLowerCase();
    const found = new Set<string>();
    for (const [a, after] of next) {
      for (let at = lower.indexOf(a); at !== -1; at = lower.indexOf(a, at + 1)) {
        const end = at + a.length;
        if (wordCharBefore(lower, at) || wordCharAt(lower, end)) continue; // inside a longer word
        NEXT_WORD.lastIndex = end;
        for (let m = NEXT_WORD.exec(lower); m !== null; m = NEXT_WORD.exec(lower)) {
          if (STOP_WORDS.has(m[0])) continue;
          if (after.has(m[0])) found.add(`${a} ${m[0]}`);
          break;
        }
      }
    }
    if (found.size) out.set(id, found.size / pairs.length);
  }
  return out;
}

/**
 * The semantic side's cosines: the nearest neighbours' and the lexical candidates' (those with a
 * vector), together.
 */
export function semanticScores(lexical: string[], neighbours: Array<{ id: string; score: number }>, similarity: Map<string, number>): Map<string, number> {
  const score = new Map<string, number>();
  for (const n of neighbours) score.set(n.id, n.score);
  for (const id of lexical) {
    const s = similarity.get(id);
    if (s !== undefined && !score.has(id)) score.set(id, s);
  }
  return score;
}

/**
 * Search's fusion, best first: each lexical list (the ranked one, then the papers with every word
 * when it went on past them) adds 1 / (K + rank); the cosine adds SEMANTIC_WEIGHT / (K + 1) times
 * its place between the lowest and the highest cosine of the candidates; a candidate's share of
 * the query's word pairs (pairShares) adds `pairWeight` / (K + 1) times its ratio to the largest
 * share. Ties go to the better lexical rank (absent counts as worst), then to the id.
 */
export function fuseHybrid(
  lists: readonly (readonly string[])[],
  cosines: Map<string, number>,
  k = HYBRID_K,
  weight = SEMANTIC_WEIGHT,
  pairs: Map<string, number> = new Map(),
  pairWeight = PAIR_WEIGHT,
): string[] {
  const score = new Map<string, number>();
  const lexRank = new Map<string, number>();
  for (const ids of lists) {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) return;
      seen.add(id);
      score.set(id, (score.get(id) ?? 0) + 1 / (k + i + 1));
      if (!lexRank.has(id)) lexRank.set(id, i);
    });
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of cosines.values()) {
    lo = Math.min(lo, c);
    hi = Math.max(hi, c);
  }
  for (const [id, c] of cosines) score.set(id, (score.get(id) ?? 0) + (hi > lo ? (weight * (c - lo)) / (hi - lo) / (k + 1) : 0));
  let most = 0;
  for (const share of pairs.values()) most = Math.max(most, share);
  if (most > 0) for (const [id, share] of pairs) score.set(id, (score.get(id) ?? 0) + (pairWeight * share) / most / (k + 1));
  const rank = (id: string) => lexRank.get(id) ?? Infinity;
  return [...score].sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0]) || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([id]) => id);
}

export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** Runs `work` with an AbortSignal that fires after `ms`; rejects with TimeoutError then. */
export async function withTimeout<T>(ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Reject before aborting: work that settles on abort must not win the race.
      reject(new TimeoutError(`no answer within ${ms} ms`));
      controller.abort(new TimeoutError(`no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
