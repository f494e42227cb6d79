// The per-member recommendation model, pure: a logistic regression over the paper embeddings
// (positives: saved and upvoted papers, papers of followed authors and categories; negatives:
// hidden papers and a background sample, as arxiv-sanity-lite's per-tag SVM treats every
// untagged paper), plus three explicit signals a linear model over embeddings cannot see: the
// authors the member follows or keeps saving, the categories they follow, and the words that
// distinguish what they saved (tf-idf). Every score comes with the parts that made it, so each
// recommendation can say why (reasons.ts). Decision 0042.

/** A training example: a unit vector, its label and weight. */
export interface Example {
  vec: Float32Array;
  label: 0 | 1;
  weight: number;
}

export interface Linear {
  w: Float32Array;
  b: number;
}

/** L2 penalty of the regression: strong, because a member has tens of examples in 256 dimensions. */
export const L2 = 0.01;
/** Gradient steps; a few hundred examples converge well within them (Adam, step 0.05). */
export const STEPS = 120;
/**
 * Steps when starting from the member's previous model (a save, a vote, a hide changes a few
 * examples of hundreds): the update after a save stays well under a second on a busy machine.
 */
export const WARM_STEPS = 40;
/** Steps between two turns of the event loop: about 5 ms of work for 1,500 examples. */
const SLICE = 10;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Weighted logistic regression by full-batch Adam, yielding to the event loop every SLICE steps so
 * that a retrain never holds a request up for more than a few milliseconds. Classes are balanced
 * (each side's weights sum to the same), as sklearn's class_weight='balanced' does.
 */
export async function trainLogistic(
  examples: Example[],
  dim: number,
  opts: { steps?: number; l2?: number; yieldEvery?: number; init?: Linear | null } = {},
): Promise<Linear> {
  const steps = opts.steps ?? STEPS;
  const l2 = opts.l2 ?? L2;
  const w = opts.init && opts.init.w.length === dim ? Float64Array.from(opts.init.w) : new Float64Array(dim);
  let b = opts.init && opts.init.w.length === dim ? opts.init.b : 0;
  const pos = examples.filter((e) => e.label === 1).reduce((s, e) => s + e.weight, 0);
  const neg = examples.filter((e) => e.label === 0).reduce((s, e) => s + e.weight, 0);
  if (pos === 0 || neg === 0) return { w: new Float32Array(dim), b: pos > 0 ? 1 : -1 };
  const scale = examples.map((e) => (e.label === 1 ? e.weight / (2 * pos) : e.weight / (2 * neg)));
  const m = new Float64Array(dim + 1);
  const v = new Float64Array(dim + 1);
  const g = new Float64Array(dim + 1);
  const [lr, b1, b2, eps] = [0.05, 0.9, 0.999, 1e-8];
  for (let t = 1; t <= steps; t++) {
    g.fill(0);
    for (let i = 0; i < examples.length; i++) {
      const { vec, label } = examples[i]!;
      let z = b;
      for (let j = 0; j < dim; j++) z += w[j]! * vec[j]!;
      const err = (1 / (1 + Math.exp(-z)) - label) * scale[i]!;
      for (let j = 0; j < dim; j++) g[j]! += err * vec[j]!;
      g[dim]! += err;
    }
    for (let j = 0; j <= dim; j++) {
      const gj = g[j]! + (j < dim ? l2 * w[j]! : 0);
      m[j] = b1 * m[j]! + (1 - b1) * gj;
      v[j] = b2 * v[j]! + (1 - b2) * gj * gj;
      const step = (lr * (m[j]! / (1 - b1 ** t))) / (Math.sqrt(v[j]! / (1 - b2 ** t)) + eps);
      if (j < dim) w[j] = w[j]! - step;
      else b -= step;
    }
    if (t % (opts.yieldEvery ?? SLICE) === 0) await turn();
  }
  return { w: Float32Array.from(w), b };
}

export const dot = (a: Float32Array, b: Float32Array) => {
  let s = 0;
  const n = Math.min(a.length, b.length);
  for (let j = 0; j < n; j++) s += a[j]! * b[j]!;
  return s;
};

export function normalized(v: Float32Array): Float32Array {
  const n = Math.sqrt(dot(v, v));
  return n > 0 ? v.map((x) => x / n) : v;
}

// ---- words: the tf-idf profile of what the member saved ----

/** Words of the profile: the most distinctive of the member's positives. */
export const PROFILE_WORDS = 30;

/** Lower-case words of 3+ letters that are not stop words or numbers. */
export function termsOf(text: string, stop: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[a-z][a-z0-9-]{2,}/g)) if (!stop.has(m[0])) out.push(m[0]);
  return out;
}

/**
 * The profile: words weighted by how often they occur in the positives (each paper once) times
 * their inverse document frequency in the corpus, minus the same over hidden papers; the best
 * PROFILE_WORDS with a positive weight, normalised to sum to 1. Words of a single positive are
 * left out (one paper's vocabulary is not a taste).
 */
export function wordProfile(positives: string[][], negatives: string[][], df: (w: string) => number, papers: number): Map<string, number> {
  const count = (docs: string[][]) => {
    const c = new Map<string, number>();
    for (const d of docs) for (const w of new Set(d)) c.set(w, (c.get(w) ?? 0) + 1);
    return c;
  };
  const pos = count(positives);
  const neg = count(negatives);
  const minDocs = positives.length >= 3 ? 2 : 1;
  const scored: Array<[string, number]> = [];
  for (const [w, n] of pos) {
    if (n < minDocs) continue;
    const idf = Math.log((papers + 1) / (df(w) + 1));
    const s = (n - 0.5 * (neg.get(w) ?? 0)) * idf;
    if (s > 0) scored.push([w, s]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = scored.slice(0, PROFILE_WORDS);
  const sum = top.reduce((s, [, x]) => s + x, 0);
  return new Map(top.map(([w, x]) => [w, x / sum]));
}

/** Share of the profile's weight a paper's words cover (0..1), and the words that matched, best first. */
export function wordMatch(profile: Map<string, number>, words: ReadonlySet<string>): { score: number; words: string[] } {
  let score = 0;
  const hit: string[] = [];
  for (const [w, x] of profile) {
    if (words.has(w)) {
      score += x;
      hit.push(w);
    }
  }
  return { score, words: hit };
}

// ---- the whole model ----

/** How much each explicit signal adds to the regression's logit (tuned on `npm run eval -- recommend`). */
export const WEIGHTS = {
  /** A followed author: close to certain interest. */
  followedAuthor: 3,
  /** An author of the member's positives, per positive, up to 3 of them. */
  knownAuthor: 1.2,
  /** A followed category. */
  followedCategory: 0.5,
  /** The profile words a paper covers (0..1). */
  words: 4,
};

export type Candidate = Known;

export interface Taste {
  linear: Linear | null;
  profile: Map<string, number>;
  followedAuthors: Set<string>;
  followedCategories: Set<string>;
  /** Author name -> how many of the positives they wrote. */
  knownAuthors: Map<string, number>;
}

export interface Scored {
  id: string;
  score: number;
  /** The parts, for the reason line. */
  parts: { meaning: number; author: string | null; authorFollowed: boolean; authorCount: number; category: string | null; words: string[] };
}

/** A candidate's score under the member's taste, with its parts. */
export function scoreCandidate(t: Taste, c: Candidate): Scored {
  const meaning = t.linear && c.vec ? dot(t.linear.w, c.vec) + t.linear.b : 0;
  let author: string | null = null;
  let authorFollowed = false;
  let authorCount = 0;
  for (const a of c.authors) {
    if (t.followedAuthors.has(a)) {
      author = a;
      authorFollowed = true;
      break;
    }
    const n = t.knownAuthors.get(a) ?? 0;
    if (n > authorCount) {
      author = a;
      authorCount = n;
    }
  }
  const category = c.categories.find((x) => t.followedCategories.has(x) || t.followedCategories.has(x.split('.')[0]!)) ?? null;
  const wm = wordMatch(t.profile, c.words);
  const score =
    meaning +
    (authorFollowed ? WEIGHTS.followedAuthor : WEIGHTS.knownAuthor * Math.min(3, authorCount)) +
    (category ? WEIGHTS.followedCategory : 0) +
    WEIGHTS.words * wm.score;
  return { id: c.id, score, parts: { meaning, author, authorFollowed, authorCount, category, words: wm.words.slice(0, 4) } };
}

/** A paper as the model learns from it: its vector (if embedded), authors and words. */
export interface Known {
  id: string;
  vec: Float32Array | null;
  authors: string[];
  categories: string[];
  words: ReadonlySet<string>;
}

/** Example weights: a hidden paper says more than a paper merely not saved; a followed category's paper less than a save. */
export const EXAMPLE_WEIGHTS = { positive: 1, followedCategory: 0.3, hidden: 3, background: 1 };

/**
 * The member's taste from what they kept (saved, upvoted), hid, and follow, against a background
 * of papers they did not keep (the service's: a sample of the window's announcements), with
 * `corpus` (the window) giving the words' document frequencies.
 */
export async function learnTaste(
  p: { positives: Known[]; hidden: Known[]; background: Known[]; inFollowedCategories: Known[]; followedAuthors: Set<string>; followedCategories: Set<string> },
  corpus: { df: (w: string) => number; papers: number },
  previous: Linear | null = null,
): Promise<Taste> {
  const examples: Example[] = [];
  const add = (xs: Known[], label: 0 | 1, weight: number) => {
    for (const x of xs) if (x.vec) examples.push({ vec: x.vec, label, weight });
  };
  add(p.positives, 1, EXAMPLE_WEIGHTS.positive);
  add(p.inFollowedCategories, 1, EXAMPLE_WEIGHTS.followedCategory);
  add(p.hidden, 0, EXAMPLE_WEIGHTS.hidden);
  add(p.background, 0, EXAMPLE_WEIGHTS.background);
  const dim = examples[0]?.vec.length ?? 0;
  const linear =
    dim && examples.some((e) => e.label === 1)
      ? await trainLogistic(examples, dim, previous && previous.w.length === dim ? { init: previous, steps: WARM_STEPS } : {})
      : null;
  const knownAuthors = new Map<string, number>();
  for (const x of p.positives) for (const a of x.authors) knownAuthors.set(a, (knownAuthors.get(a) ?? 0) + 1);
  const profile = wordProfile(
    p.positives.map((x) => [...x.words]),
    p.hidden.map((x) => [...x.words]),
    corpus.df,
    corpus.papers,
  );
  return { linear, profile, followedAuthors: p.followedAuthors, followedCategories: p.followedCategories, knownAuthors };
}

/**
 * A set of candidates indexed for scoring all at once: vectors in one row-major array, and
 * inverted lists from each author, category (and archive) and word to the candidates that have it.
 * Built once per window (shared by every member); scoring then touches only the member's profile
 * words, authors and categories, instead of every candidate's.
 */
export interface Indexed {
  papers: Known[];
  dim: number;
  /** Row i is papers[i]'s vector (zeros when it has none). */
  vecs: Float32Array;
  hasVec: Uint8Array;
  byAuthor: Map<string, number[]>;
  byCategory: Map<string, number[]>;
  byWord: Map<string, number[]>;
}

export function indexCandidates(papers: Known[]): Indexed {
  const dim = papers.find((p) => p.vec)?.vec?.length ?? 0;
  const vecs = new Float32Array(papers.length * dim);
  const hasVec = new Uint8Array(papers.length);
  const byAuthor = new Map<string, number[]>();
  const byCategory = new Map<string, number[]>();
  const byWord = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, k: string, i: number) => {
    const l = m.get(k);
    if (!l) m.set(k, [i]);
    else if (l[l.length - 1] !== i) l.push(i);
  };
  papers.forEach((p, i) => {
    if (p.vec && p.vec.length === dim) {
      vecs.set(p.vec, i * dim);
      hasVec[i] = 1;
    }
    for (const a of p.authors) add(byAuthor, a, i);
    for (const c of p.categories) {
      add(byCategory, c, i);
      add(byCategory, c.split('.')[0]!, i);
    }
    for (const w of p.words) add(byWord, w, i);
  });
  return { papers, dim, vecs, hasVec, byAuthor, byCategory, byWord };
}

/** Every candidate's score under the taste: the same sum as scoreCandidate, computed column-wise. */
export function scoreAll(t: Taste, ix: Indexed): Float32Array {
  const n = ix.papers.length;
  const out = new Float32Array(n);
  const { linear } = t;
  if (linear && linear.w.length === ix.dim) {
    const { w, b } = linear;
    const d = ix.dim;
    for (let i = 0; i < n; i++) {
      if (!ix.hasVec[i]) continue;
      let s = b;
      const o = i * d;
      for (let j = 0; j < d; j++) s += w[j]! * ix.vecs[o + j]!;
      out[i] = s;
    }
  }
  const followed = new Uint8Array(n);
  for (const a of t.followedAuthors) for (const i of ix.byAuthor.get(a) ?? []) followed[i] = 1;
  const known = new Float32Array(n);
  for (const [a, count] of t.knownAuthors) for (const i of ix.byAuthor.get(a) ?? []) if (count > known[i]!) known[i] = count;
  const inCategory = new Uint8Array(n);
  for (const c of t.followedCategories) for (const i of ix.byCategory.get(c) ?? []) inCategory[i] = 1;
  for (const [w, x] of t.profile) for (const i of ix.byWord.get(w) ?? []) out[i]! += WEIGHTS.words * x;
  for (let i = 0; i < n; i++) {
    out[i]! += followed[i] ? WEIGHTS.followedAuthor : WEIGHTS.knownAuthor * Math.min(3, known[i]!);
    if (inCategory[i]) out[i]! += WEIGHTS.followedCategory;
  }
  return out;
}
