// The built-in embedder: latent semantic analysis trained on the instance's own papers (tf-idf,
// then a truncated SVD by the randomized method of Halko, Martinsson and Tropp, "Finding structure
// with randomness", 2011, algorithm 4.4 with two power iterations). It needs no download, knows the
// instance's vocabulary, and embeds a text by summing its terms' vectors: microseconds a query.
// docs/decisions/0010 records why this and not GloVe word vectors.
import { wordsOf } from '../query.js';
import { stem } from '../snippet.js';
import { type Csr, csrTimesDense, csrTransposeTimesDense, gaussian, gram, orthonormalize, symmetricEigen } from './linalg.js';

export interface LsaModel {
  dim: number;
  terms: Map<string, number>;
  idf: Float32Array;
  /** terms x dim, row-major: each term's coordinates in the latent space. */
  vectors: Float32Array;
}

export interface TrainOptions {
  dim?: number;
  /** Vocabulary cap: the most frequent terms that pass the document-frequency bounds. */
  maxTerms?: number;
  seed?: number;
}

// English function words carry no topic; also the boilerplate of abstracts.
const STOP = new Set(
  `a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having he her
here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves
then there these they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours yourself yourselves via using use used based show shows propose proposed paper results
method methods approach new however thus may well first two one can our existing furthermore moreover additionally
significantly achieve achieves`.split(/\s+/),
);

/** Terms of a text: lower-cased words, stop words and bare numbers dropped, lightly stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of wordsOf(text)) {
    if (w.length < 2 || STOP.has(w) || /^\d+$/.test(w)) continue;
    out.push(stem(w));
  }
  return out;
}

export function trainLsa(docs: string[], opts: TrainOptions = {}): LsaModel {
  const n = docs.length;
  const maxTerms = opts.maxTerms ?? 40_000;
  const tokenized = docs.map(terms);
  const df = new Map<string, number>();
  for (const t of tokenized) for (const term of new Set(t)) df.set(term, (df.get(term) ?? 0) + 1);
  // A term in one paper only cannot relate two papers; one in most papers separates none.
  const minDf = n >= 1000 ? 3 : n >= 20 ? 2 : 1;
  const vocab = [...df]
    .filter(([, f]) => f >= minDf && f <= Math.max(1, 0.5 * n))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, maxTerms)
    .map(([t]) => t);
  const termIndex = new Map(vocab.map((t, i) => [t, i]));
  const m = vocab.length;
  const idf = new Float32Array(m);
  vocab.forEach((t, i) => {
    idf[i] = Math.log((1 + n) / (1 + df.get(t)!)) + 1;
  });

  const x = tfidfMatrix(tokenized, termIndex, idf);
  const l = Math.max(1, Math.min((opts.dim ?? 128) + 10, n, m));
  const k = Math.max(1, Math.min(opts.dim ?? 128, l));
  const rnd = gaussian(opts.seed ?? 42);
  const omega = new Float64Array(m * l);
  for (let i = 0; i < omega.length; i++) omega[i] = rnd();
  let y = csrTimesDense(x, omega, l);
  orthonormalize(y, n, l);
  for (let it = 0; it < 2; it++) {
    const z = csrTransposeTimesDense(x, y, l);
    orthonormalize(z, m, l);
    y = csrTimesDense(x, z, l);
    orthonormalize(y, n, l);
  }
  // B = Q^T X; its right singular vectors are X's. Bt = X^T Q (m x l); B B^T = Bt^T Bt = W S^2 W^T.
  const bt = csrTransposeTimesDense(x, y, l);
  const { values, vectors: w } = symmetricEigen(gram(bt, m, l), l);
  // Term vectors V_k = Bt W_k S_k^-1: a document's embedding x V_k is then its row of U_k S_k.
  const out = new Float32Array(m * k);
  for (let j = 0; j < k; j++) {
    const s = Math.sqrt(Math.max(values[j]!, 1e-12));
    for (let t = 0; t < m; t++) {
      let acc = 0;
      const bo = t * l;
      for (let r = 0; r < l; r++) acc += bt[bo + r]! * w[r * l + j]!;
      out[t * k + j] = acc / s;
    }
  }
  return { dim: k, terms: termIndex, idf, vectors: out };
}

function tfidfMatrix(tokenized: string[][], termIndex: Map<string, number>, idf: Float32Array): Csr {
  const ptr = new Int32Array(tokenized.length + 1);
  const idx: number[] = [];
  const vals: number[] = [];
  tokenized.forEach((toks, i) => {
    const row = weights(toks, termIndex, idf);
    for (const [t, v] of row) {
      idx.push(t);
      vals.push(v);
    }
    ptr[i + 1] = idx.length;
  });
  return { rows: tokenized.length, cols: idf.length, ptr, idx: Int32Array.from(idx), vals: Float32Array.from(vals) };
}

/** Sublinear tf (1 + ln tf) times idf, L2-normalised, so that long abstracts do not dominate. */
function weights(toks: string[], termIndex: Map<string, number>, idf: Float32Array): Map<number, number> {
  const tf = new Map<number, number>();
  for (const tok of toks) {
    const t = termIndex.get(tok);
    if (t !== undefined) tf.set(t, (tf.get(t) ?? 0) + 1);
  }
  let norm = 0;
  for (const [t, f] of tf) {
    const v = (1 + Math.log(f)) * idf[t]!;
    tf.set(t, v);
    norm += v * v;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [t, v] of tf) tf.set(t, v / norm);
  return tf;
}

/** A text's known terms and their weights (sublinear tf times idf, unit norm). */
export function termWeights(model: LsaModel, text: string): Map<number, number> {
  return weights(terms(text), model.terms, model.idf);
}

/** A text's unit-length embedding; the zero vector when none of its terms is known. */
export function embedLsa(model: LsaModel, text: string): Float32Array {
  const out = new Float32Array(model.dim);
  for (const [t, v] of weights(terms(text), model.terms, model.idf)) {
    const o = t * model.dim;
    for (let j = 0; j < model.dim; j++) out[j]! += v * model.vectors[o + j]!;
  }
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let j = 0; j < out.length; j++) out[j]! /= norm;
  return out;
}

/** Bytes: a 4-byte length, a JSON header (dim, terms), padding to 4, then idf and vectors as float32. */
export function serializeLsa(model: LsaModel): Uint8Array {
  const header = Buffer.from(JSON.stringify({ dim: model.dim, terms: [...model.terms.keys()] }));
  const pad = (4 - ((4 + header.length) % 4)) % 4;
  const out = Buffer.alloc(4 + header.length + pad + (model.idf.length + model.vectors.length) * 4);
  out.writeUInt32LE(header.length, 0);
  header.copy(out, 4);
  const off = 4 + header.length + pad;
  Buffer.from(model.idf.buffer, model.idf.byteOffset, model.idf.byteLength).copy(out, off);
  Buffer.from(model.vectors.buffer, model.vectors.byteOffset, model.vectors.byteLength).copy(out, off + model.idf.byteLength);
  return out;
}

export function deserializeLsa(bytes: Uint8Array): LsaModel {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as { dim: number; terms: string[] };
  const off = 4 + len + ((4 - ((4 + len) % 4)) % 4);
  const m = header.terms.length;
  const floats = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + (m + m * header.dim) * 4));
  return {
    dim: header.dim,
    terms: new Map(header.terms.map((t, i) => [t, i])),
    idf: floats.subarray(0, m),
    vectors: floats.subarray(m),
  };
}
