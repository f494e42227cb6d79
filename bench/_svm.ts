// The baseline the issue names, as arxiv-sanity-lite builds it (its compute.py and serve.py):
// sklearn's TfidfVectorizer(ngram_range=(1, 2), max_features=20000, stop_words='english',
// sublinear_tf=True, max_df=0.1, min_df=5, norm='l2', smooth_idf=True) over title + abstract,
// and a LinearSVC(class_weight='balanced', C=0.01, loss='squared_hinge') per tag, trained with
// the tagged papers as positives and every other paper as negatives, which then scores them all.
// LinearSVC is liblinear's dual coordinate descent (Hsieh et al. 2008, algorithm 1), written out
// here with the bias as a constant feature (intercept_scaling=1), as liblinear does.
import { STOP_WORDS } from '../src/search/query.js';

export interface Sparse {
  idx: Int32Array;
  val: Float32Array;
}

const TOKEN = /\b[a-zA-Z_][a-zA-Z0-9_]+\b/g;

const wordsOf = (text: string) => (text.toLowerCase().match(TOKEN) ?? []).filter((w) => !STOP_WORDS.has(w));

/**
 * tf-idf vectors of `texts` as arxiv-sanity-lite's vectorizer makes them. Three passes over the
 * texts rather than sklearn's one, to keep memory small: word frequencies; pairs of words that can
 * both pass min_df (a pair is never in more documents than its rarer word); the vectors.
 */
export function tfidf(texts: string[], opts = { maxFeatures: 20_000, minDf: 5, maxDf: 0.1 }): Sparse[] {
  const n = texts.length;
  const df = new Map<string, number>();
  const cf = new Map<string, number>();
  const count = (grams: string[]) => {
    for (const g of grams) cf.set(g, (cf.get(g) ?? 0) + 1);
    for (const g of new Set(grams)) df.set(g, (df.get(g) ?? 0) + 1);
  };
  for (const t of texts) count(wordsOf(t));
  const common = new Set([...df].filter(([, f]) => f >= opts.minDf).map(([w]) => w));
  const pairsOf = (words: string[]) => {
    const out: string[] = [];
    for (let i = 0; i + 1 < words.length; i++) if (common.has(words[i]!) && common.has(words[i + 1]!)) out.push(`${words[i]} ${words[i + 1]}`);
    return out;
  };
  for (const t of texts) count(pairsOf(wordsOf(t)));
  // max_features keeps the most frequent terms over the corpus, after the df limits.
  const vocab = [...df]
    .filter(([, f]) => f >= opts.minDf && f <= opts.maxDf * n)
    .sort((a, b) => (cf.get(b[0]) ?? 0) - (cf.get(a[0]) ?? 0) || (a[0] < b[0] ? -1 : 1))
    .slice(0, opts.maxFeatures);
  df.clear();
  cf.clear();
  const index = new Map(vocab.map(([g], i) => [g, i]));
  const idf = vocab.map(([, f]) => Math.log((1 + n) / (1 + f)) + 1);
  return texts.map((t) => {
    const words = wordsOf(t);
    const tf = new Map<number, number>();
    for (const g of [...words, ...pairsOf(words)]) {
      const i = index.get(g);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    const entries = [...tf].map(([i, f]) => [i, (1 + Math.log(f)) * idf[i]!] as const).sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0)) || 1;
    return { idx: Int32Array.from(entries, (e) => e[0]), val: Float32Array.from(entries, (e) => e[1] / norm) };
  });
}

/**
 * LinearSVC: L2-regularised squared-hinge loss, dual coordinate descent, class_weight='balanced'
 * (each class's C scaled by n / (2 n_class)). Returns the decision function.
 */
export function linearSvc(xs: Sparse[], ys: Array<0 | 1>, opts = { C: 0.01, epochs: 30, tol: 1e-3, dim: 20_000 }): (x: Sparse) => number {
  const n = xs.length;
  const npos = ys.filter((y) => y === 1).length;
  const cPos = (opts.C * n) / (2 * Math.max(1, npos));
  const cNeg = (opts.C * n) / (2 * Math.max(1, n - npos));
  const w = new Float64Array(opts.dim + 1); // the last is the bias
  const alpha = new Float64Array(n);
  const qii = xs.map((x) => x.val.reduce((s, v) => s + v * v, 0) + 1);
  const order = Array.from({ length: n }, (_, i) => i);
  let seed = 12345;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let maxPg = 0;
    for (const i of order) {
      const x = xs[i]!;
      const y = ys[i] === 1 ? 1 : -1;
      const d = 1 / (2 * (ys[i] === 1 ? cPos : cNeg));
      let wx = w[opts.dim]!;
      for (let t = 0; t < x.idx.length; t++) wx += w[x.idx[t]!]! * x.val[t]!;
      const g = y * wx - 1 + d * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      maxPg = Math.max(maxPg, Math.abs(pg));
      if (pg === 0) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / (qii[i]! + d), 0);
      const delta = (alpha[i]! - old) * y;
      for (let t = 0; t < x.idx.length; t++) w[x.idx[t]!]! += delta * x.val[t]!;
      w[opts.dim]! += delta;
    }
    if (maxPg < opts.tol) break;
  }
  return (x) => {
    let s = w[opts.dim]!;
    for (let t = 0; t < x.idx.length; t++) s += w[x.idx[t]!]! * x.val[t]!;
    return s;
  };
}
