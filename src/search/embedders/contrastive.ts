// Contrastive fine-tuning of the built-in model's term vectors, as in the static-embedding recipe of
// sentence-transformers (a token-vector table, pooled, trained with in-batch negatives: Tom Aarsen,
// "Train 400x faster Static Embedding Models", 2025) with LSA's vectors as the starting point. A
// pair is two texts about the same paper (its title and its abstract); every other paper of the
// batch is a negative. The embedding stays LSA's (weighted sum of term vectors, unit length), so
// the model is stored and applied as an LSA model (lsa.ts) and only its vectors change.
import { type LsaModel, termWeights } from './lsa.js';

export interface FineTuneOptions {
  epochs?: number;
  batch?: number;
  /** Adagrad's step. */
  rate?: number;
  /** Inverse temperature of the softmax over cosine similarities. */
  scale?: number;
  seed?: number;
}

/** Defaults measured on the real data (docs/decisions/0034): one pass, Adagrad step 0.02. */
export const FINE_TUNE: Required<Omit<FineTuneOptions, 'seed'>> = { epochs: 1, batch: 128, rate: 0.02, scale: 20 };

/**
 * The training pairs of a paper: its title and its abstract, and the two halves of its abstract
 * (by sentences), so that the model learns both short queries and long descriptions.
 */
export function trainingPairs(papers: Array<{ title: string; abstract: string }>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const p of papers) {
    out.push([p.title, p.abstract]);
    const sentences = p.abstract.split(/(?<=[.!?])\s+/);
    if (sentences.length >= 2) {
      const h = Math.ceil(sentences.length / 2);
      out.push([sentences.slice(0, h).join(' '), sentences.slice(h).join(' ')]);
    }
  }
  return out;
}

interface Sparse {
  idx: Int32Array;
  w: Float32Array;
}

/** A text as its terms' weights (sublinear tf times idf, unit norm), or null when it has none known. */
function encode(model: LsaModel, text: string): Sparse | null {
  const row = termWeights(model, text);
  if (row.size === 0) return null;
  return { idx: Int32Array.from(row.keys()), w: Float32Array.from(row.values()) };
}

/** Fine-tunes `model`'s vectors on `pairs` (in place) and returns it. Deterministic for a seed. */
export function fineTune(model: LsaModel, pairs: Array<[string, string]>, opts: FineTuneOptions = {}): LsaModel {
  const d = model.dim;
  const batch = opts.batch ?? FINE_TUNE.batch;
  const rate = opts.rate ?? FINE_TUNE.rate;
  const scale = opts.scale ?? FINE_TUNE.scale;
  const encoded = pairs.flatMap(([a, b]) => {
    const x = encode(model, a);
    const y = encode(model, b);
    return x && y ? [[x, y] as const] : [];
  });
  const E = model.vectors;
  const G = new Float32Array(E.length).fill(1e-6); // Adagrad's sums of squared gradients
  let s = (opts.seed ?? 7) >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const pool = (x: Sparse, out: Float32Array) => {
    out.fill(0);
    for (let k = 0; k < x.idx.length; k++) {
      const o = x.idx[k]! * d;
      const w = x.w[k]!;
      for (let j = 0; j < d; j++) out[j]! += w * E[o + j]!;
    }
    let n = 0;
    for (let j = 0; j < d; j++) n += out[j]! * out[j]!;
    n = Math.sqrt(n) || 1;
    for (let j = 0; j < d; j++) out[j]! /= n;
    return n;
  };
  const order = encoded.map((_, i) => i);
  for (let epoch = 0; epoch < (opts.epochs ?? FINE_TUNE.epochs); epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let start = 0; start + 1 < order.length; start += batch) {
      const ids = order.slice(start, start + batch);
      const b = ids.length;
      const U = ids.map(() => new Float32Array(d));
      const V = ids.map(() => new Float32Array(d));
      const nu = ids.map((p, i) => pool(encoded[p]![0], U[i]!));
      const nv = ids.map((p, i) => pool(encoded[p]![1], V[i]!));
      // Gradients of the mean cross-entropy (each first text against every second text) with
      // respect to the unit vectors, then through the normalisation to the pooled sums.
      const gU = ids.map(() => new Float32Array(d));
      const gV = ids.map(() => new Float32Array(d));
      for (let i = 0; i < b; i++) {
        const logits = new Float64Array(b);
        let max = -Infinity;
        for (let j = 0; j < b; j++) {
          let dot = 0;
          for (let k = 0; k < d; k++) dot += U[i]![k]! * V[j]![k]!;
          logits[j] = scale * dot;
          if (logits[j]! > max) max = logits[j]!;
        }
        let z = 0;
        for (let j = 0; j < b; j++) z += Math.exp(logits[j]! - max);
        for (let j = 0; j < b; j++) {
          const g = ((Math.exp(logits[j]! - max) / z - (i === j ? 1 : 0)) * scale) / b;
          if (g === 0) continue;
          for (let k = 0; k < d; k++) {
            gU[i]![k]! += g * V[j]![k]!;
            gV[j]![k]! += g * U[i]![k]!;
          }
        }
      }
      const apply = (x: Sparse, u: Float32Array, g: Float32Array, norm: number) => {
        let ug = 0;
        for (let k = 0; k < d; k++) ug += u[k]! * g[k]!;
        for (let k = 0; k < d; k++) g[k] = (g[k]! - u[k]! * ug) / norm;
        for (let t = 0; t < x.idx.length; t++) {
          const o = x.idx[t]! * d;
          const w = x.w[t]!;
          for (let k = 0; k < d; k++) {
            const gr = w * g[k]!;
            G[o + k]! += gr * gr;
            E[o + k]! -= (rate * gr) / Math.sqrt(G[o + k]!);
          }
        }
      };
      ids.forEach((p, i) => {
        apply(encoded[p]![0], U[i]!, gU[i]!, nu[i]!);
        apply(encoded[p]![1], V[i]!, gV[i]!, nv[i]!);
      });
    }
  }
  return model;
}
