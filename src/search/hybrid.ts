// Fusion of ranked lists, in one file. Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR
// 2009): score(d) = sum over lists of 1 / (K + rank), with K = 60 as in the paper and in Hugging
// Face's paper search; it needs no calibration between bm25 and cosine scores. Search fuses its
// lexical and semantic lists with it; the digests' "picked for you" fuses the neighbours of each of
// a member's upvotes (digests/picked.ts).
// About 50 candidates come from each side. The semantic list ranks the union of both sides by
// similarity to the query, so a lexical candidate that is also close in meaning gets a semantic
// rank even when it is not among the 50 nearest of the whole corpus; on the real data this is
// what lifts hybrid above lexical alone (plain RRF of the two top-50 lists fell below it with the
// built-in embedder: docs/decisions/0010). When the embedder does not answer within a second the
// lexical results are served alone, so a slow or dead embedding server never stalls a search;
// only while the model loads (at start) does a search wait longer (LOAD_WAIT_MS).

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

/**
 * The semantic side's list: the nearest neighbours and the lexical candidates together, by
 * similarity to the query, best first. Candidates without a vector are left out.
 */
export function semanticRanking(lexical: string[], neighbours: Array<{ id: string; score: number }>, similarity: Map<string, number>): string[] {
  const score = new Map<string, number>();
  for (const n of neighbours) score.set(n.id, n.score);
  for (const id of lexical) {
    const s = similarity.get(id);
    if (s !== undefined && !score.has(id)) score.set(id, s);
  }
  return [...score].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([id]) => id);
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
