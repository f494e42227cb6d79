// The paper map's layout, pure: papers' embeddings to 2-D points, cheap enough to run over 100,000
// papers in the background in seconds (decision 0043). Landmarks, not UMAP over every point:
// k-means finds k clusters (the landmarks), t-SNE lays the k centroids out in 2-D (k is at most
// 64, so that is instant), and each paper is placed between the centroids it is most similar to
// (a softmax over its top three), then spread inside its cluster along two fixed directions of its
// offset from the centroid, so that close papers stay close. Clusters are labelled by the title
// words most particular to them.

export interface MapInput {
  ids: string[];
  /** Unit vectors, row after row. */
  vecs: Float32Array;
  dim: number;
  titles: string[][];
  categories: string[];
  days: string[];
}

/** What /map/points.json serves: columns of small integers, compact in JSON and quick to draw. */
export interface MapData {
  model: string;
  createdAt: string;
  n: number;
  ids: string[];
  /** 0..GRID-1. */
  x: number[];
  y: number[];
  /** Cluster of each point (an index into labels). */
  c: number[];
  /** Category of each point (an index into cats). */
  k: number[];
  /** Days since day0. */
  d: number[];
  cats: string[];
  day0: string;
  labels: Array<{ x: number; y: number; text: string; n: number }>;
}

export const GRID = 4096;
/** Sharpness of the placement between centroids: higher keeps clusters tighter. */
const BETA = 25;
/** How far papers spread inside their cluster, as a share of the distance to the nearest other centroid. */
const SPREAD = 0.45;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A small repeatable generator (xorshift32). */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const rowDot = (vecs: Float32Array, i: number, c: Float32Array, j: number, dim: number) => {
  let s = 0;
  const a = i * dim;
  const b = j * dim;
  for (let t = 0; t < dim; t++) s += vecs[a + t]! * c[b + t]!;
  return s;
};

/** Spherical k-means on a sample: k centroids (unit vectors), row after row. */
export async function kmeans(vecs: Float32Array, n: number, dim: number, k: number, seed = 1): Promise<Float32Array> {
  const rand = rng(seed);
  const sampleIdx: number[] = [];
  const m = Math.min(n, 5000);
  for (let i = 0; i < m; i++) sampleIdx.push(Math.floor((i * n) / m));
  const cent = new Float32Array(k * dim);
  // k-means++-like seeding: each new centroid the sample point least similar to those chosen.
  const first = sampleIdx[Math.floor(rand() * m)]!;
  cent.set(vecs.subarray(first * dim, first * dim + dim), 0);
  const best = new Float64Array(m).fill(-Infinity);
  for (let c = 1; c < k; c++) {
    let pick = 0;
    let low = Infinity;
    for (let s = 0; s < m; s++) {
      const sim = rowDot(vecs, sampleIdx[s]!, cent, c - 1, dim);
      if (sim > best[s]!) best[s] = sim;
      if (best[s]! < low) {
        low = best[s]!;
        pick = s;
      }
    }
    const i = sampleIdx[pick]!;
    cent.set(vecs.subarray(i * dim, i * dim + dim), c * dim);
  }
  for (let iter = 0; iter < 10; iter++) {
    const sum = new Float64Array(k * dim);
    for (let s = 0; s < m; s++) {
      const i = sampleIdx[s]!;
      let bc = 0;
      let bs = -Infinity;
      for (let c = 0; c < k; c++) {
        const sim = rowDot(vecs, i, cent, c, dim);
        if (sim > bs) {
          bs = sim;
          bc = c;
        }
      }
      for (let t = 0; t < dim; t++) sum[bc * dim + t]! += vecs[i * dim + t]!;
    }
    for (let c = 0; c < k; c++) {
      let norm = 0;
      for (let t = 0; t < dim; t++) norm += sum[c * dim + t]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 0) for (let t = 0; t < dim; t++) cent[c * dim + t] = sum[c * dim + t]! / norm;
    }
    await turn();
  }
  return cent;
}

/** t-SNE of a few points (the centroids) from their cosine similarities: 2-D positions. */
export function tsneSmall(sims: number[][], seed = 1): Array<[number, number]> {
  const k = sims.length;
  if (k === 1) return [[0, 0]];
  const perplexity = Math.max(2, Math.min(10, (k - 1) / 3));
  const P = Array.from({ length: k }, () => new Float64Array(k));
  for (let i = 0; i < k; i++) {
    let lo = 1e-3;
    let hi = 1e4;
    for (let it = 0; it < 50; it++) {
      const beta = Math.sqrt(lo * hi);
      let sum = 0;
      let h = 0;
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        const d = 2 - 2 * sims[i]![j]!;
        const p = Math.exp(-beta * d);
        P[i]![j] = p;
        sum += p;
      }
      for (let j = 0; j < k; j++) {
        if (j === i) continue;
        P[i]![j] = P[i]![j]! / (sum || 1);
        if (P[i]![j]! > 1e-12) h -= P[i]![j]! * Math.log(P[i]![j]!);
      }
      if (Math.exp(h) > perplexity) lo = beta;
      else hi = beta;
    }
  }
  const Q = (i: number, j: number) => (P[i]![j]! + P[j]![i]!) / (2 * k);
  const rand = rng(seed);
  const Y = Array.from({ length: k }, () => [rand() * 1e-2, rand() * 1e-2] as [number, number]);
  const V = Array.from({ length: k }, () => [0, 0]);
  for (let it = 0; it < 600; it++) {
    const exag = it < 100 ? 4 : 1;
    let z = 0;
    const num: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const q = 1 / (1 + (Y[i]![0] - Y[j]![0]) ** 2 + (Y[i]![1] - Y[j]![1]) ** 2);
        num[i]![j] = q;
        z += q;
      }
    for (let i = 0; i < k; i++) {
      let gx = 0;
      let gy = 0;
      for (let j = 0; j < k; j++) {
        if (i === j) continue;
        const f = 4 * (exag * Q(i, j) - num[i]![j]! / z) * num[i]![j]!;
        gx += f * (Y[i]![0] - Y[j]![0]);
        gy += f * (Y[i]![1] - Y[j]![1]);
      }
      const mom = it < 250 ? 0.5 : 0.8;
      V[i]![0] = mom * V[i]![0]! - 100 * gx;
      V[i]![1] = mom * V[i]![1]! - 100 * gy;
    }
    for (let i = 0; i < k; i++) {
      Y[i]![0] += V[i]![0]!;
      Y[i]![1] += V[i]![1]!;
    }
  }
  return Y;
}

/** The layout of every paper, its clusters and their labels. */
export async function layoutMap(input: MapInput, stop: ReadonlySet<string>): Promise<Omit<MapData, 'model' | 'createdAt'>> {
  const { ids, vecs, dim } = input;
  const n = ids.length;
  const k = Math.max(1, Math.min(64, Math.round(Math.sqrt(n / 15))));
  const cent = await kmeans(vecs, n, dim, Math.min(k, n));
  const sims = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => rowDot(cent, i, cent, j, dim)));
  const pos = tsneSmall(sims);
  // The distance in 2-D from each centroid to its nearest other: how far its papers may spread.
  const room = pos.map((p, i) => Math.min(...pos.map((q, j) => (i === j ? Infinity : Math.hypot(p[0] - q[0], p[1] - q[1])))));
  const rand = rng(7);
  const dirs = [0, 1].map(() => {
    const d = new Float32Array(dim);
    for (let t = 0; t < dim; t++) d[t] = rand() - 0.5;
    return d;
  });
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const cluster = new Int32Array(n);
  const offs: Array<[number, number]> = new Array(n);
  const spread = Array.from({ length: k }, () => [0, 0, 0]);
  for (let i = 0; i < n; i++) {
    const top: Array<[number, number]> = [];
    for (let c = 0; c < k; c++) {
      const s = rowDot(vecs, i, cent, c, dim);
      if (top.length < 3 || s > top[2]![1]) {
        top.push([c, s]);
        top.sort((a, b) => b[1] - a[1]);
        if (top.length > 3) top.pop();
      }
    }
    const c0 = top[0]![0];
    cluster[i] = c0;
    let wsum = 0;
    let x = 0;
    let y = 0;
    for (const [c, s] of top) {
      const w = Math.exp(BETA * (s - top[0]![1]));
      wsum += w;
      x += w * pos[c]![0];
      y += w * pos[c]![1];
    }
    px[i] = x / wsum;
    py[i] = y / wsum;
    let ox = 0;
    let oy = 0;
    for (let t = 0; t < dim; t++) {
      const r = vecs[i * dim + t]! - cent[c0 * dim + t]!;
      ox += r * dirs[0]![t]!;
      oy += r * dirs[1]![t]!;
    }
    offs[i] = [ox, oy];
    spread[c0]![0]! += ox * ox;
    spread[c0]![1]! += oy * oy;
    spread[c0]![2]! += 1;
    if (i % 2000 === 1999) await turn();
  }
  for (let i = 0; i < n; i++) {
    const c = cluster[i]!;
    const [sx, sy, cnt] = spread[c]!;
    const r = (room[c] === Infinity ? 1 : room[c]!) * SPREAD;
    px[i]! += (offs[i]![0] / Math.sqrt(sx! / cnt! || 1)) * r * 0.5;
    py[i]! += (offs[i]![1] / Math.sqrt(sy! / cnt! || 1)) * r * 0.5;
  }
  // To the grid, with a margin.
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, px[i]!);
    maxX = Math.max(maxX, px[i]!);
    minY = Math.min(minY, py[i]!);
    maxY = Math.max(maxY, py[i]!);
  }
  const sc = (GRID - 1) / Math.max(maxX - minX, maxY - minY, 1e-9);
  const gx = (v: number) => Math.round((v - minX) * sc);
  const gy = (v: number) => Math.round((v - minY) * sc);
  const cats: string[] = [];
  const catIdx = new Map<string, number>();
  const days = input.days.filter(Boolean).sort();
  const day0 = days[0] ?? '1970-01-01';
  const t0 = Date.parse(day0);
  return {
    n,
    ids,
    x: Array.from(px, gx),
    y: Array.from(py, gy),
    c: Array.from(cluster),
    k: input.categories.map((cat) => {
      let i = catIdx.get(cat);
      if (i === undefined) {
        i = cats.length;
        cats.push(cat);
        catIdx.set(cat, i);
      }
      return i;
    }),
    d: input.days.map((d) => (d ? Math.round((Date.parse(d) - t0) / 86_400_000) : 0)),
    cats,
    day0,
    labels: labels(input.titles, cluster, k, stop).map((text, c) => ({ x: gx(pos[c]![0]), y: gy(pos[c]![1]), text, n: spread[c]![2]! })),
  };
}

/** Each cluster's three title words most particular to it (frequent in it, rare elsewhere). */
export function labels(titles: string[][], cluster: Int32Array, k: number, stop: ReadonlySet<string>): string[] {
  const df = new Map<string, number>();
  const per = Array.from({ length: k }, () => new Map<string, number>());
  const size = new Array<number>(k).fill(0);
  titles.forEach((words, i) => {
    const c = cluster[i]!;
    size[c]!++;
    for (const w of new Set(words)) {
      if (stop.has(w) || w.length < 3) continue;
      df.set(w, (df.get(w) ?? 0) + 1);
      per[c]!.set(w, (per[c]!.get(w) ?? 0) + 1);
    }
  });
  const n = titles.length;
  return per.map((m, c) =>
    [...m]
      .filter(([, f]) => f >= 2)
      .map(([w, f]) => [w, (f / Math.max(1, size[c]!)) * Math.log(n / df.get(w)!)] as const)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([w]) => w)
      .join(' · '),
  );
}
