// The little dense linear algebra that truncated SVD needs, on row-major Float64Arrays. Kept here
// (about a hundred lines) rather than a numeric package: the matrices are at most a few hundred
// columns wide, where these textbook methods are exact enough and fast enough.

/** A sparse matrix in compressed rows (CSR): row i holds cols[ptr[i]..ptr[i+1]) with vals. */
export interface Csr {
  rows: number;
  cols: number;
  ptr: Int32Array;
  idx: Int32Array;
  vals: Float32Array;
}

/** Y (rows x l) = X * D, D dense (cols x l). */
export function csrTimesDense(x: Csr, d: Float64Array, l: number): Float64Array {
  const y = new Float64Array(x.rows * l);
  for (let i = 0; i < x.rows; i++) {
    const yo = i * l;
    for (let p = x.ptr[i]!; p < x.ptr[i + 1]!; p++) {
      const v = x.vals[p]!;
      const doff = x.idx[p]! * l;
      for (let c = 0; c < l; c++) y[yo + c]! += v * d[doff + c]!;
    }
  }
  return y;
}

/** Z (cols x l) = X^T * Q, Q dense (rows x l). */
export function csrTransposeTimesDense(x: Csr, q: Float64Array, l: number): Float64Array {
  const z = new Float64Array(x.cols * l);
  for (let i = 0; i < x.rows; i++) {
    const qo = i * l;
    for (let p = x.ptr[i]!; p < x.ptr[i + 1]!; p++) {
      const v = x.vals[p]!;
      const zo = x.idx[p]! * l;
      for (let c = 0; c < l; c++) z[zo + c]! += v * q[qo + c]!;
    }
  }
  return z;
}

/** G (l x l) = A^T A for A (n x l). */
export function gram(a: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    for (let r = 0; r < l; r++) {
      const ar = a[o + r]!;
      if (ar === 0) continue;
      const go = r * l;
      for (let c = r; c < l; c++) g[go + c]! += ar * a[o + c]!;
    }
  }
  for (let r = 0; r < l; r++) for (let c = 0; c < r; c++) g[r * l + c] = g[c * l + r]!;
  return g;
}

/**
 * Orthonormalises the columns of A (n x l) in place by Cholesky QR, twice (CholeskyQR2, which
 * restores orthogonality lost the first time); a tiny ridge keeps rank-deficient inputs finite.
 */
export function orthonormalize(a: Float64Array, n: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(a, n, l);
    let trace = 0;
    for (let i = 0; i < l; i++) trace += g[i * l + i]!;
    const ridge = (trace / l) * 1e-10 + 1e-300;
    for (let i = 0; i < l; i++) g[i * l + i]! += ridge;
    // Cholesky G = R^T R, R upper triangular (stored in g's upper triangle).
    for (let j = 0; j < l; j++) {
      let s = g[j * l + j]!;
      for (let k = 0; k < j; k++) s -= g[k * l + j]! ** 2;
      const d = Math.sqrt(Math.max(s, ridge));
      g[j * l + j] = d;
      for (let c = j + 1; c < l; c++) {
        let t = g[j * l + c]!;
        for (let k = 0; k < j; k++) t -= g[k * l + j]! * g[k * l + c]!;
        g[j * l + c] = t / d;
      }
    }
    // A <- A R^{-1}, row by row (forward substitution on each row).
    for (let i = 0; i < n; i++) {
      const o = i * l;
      for (let c = 0; c < l; c++) {
        let t = a[o + c]!;
        for (let k = 0; k < c; k++) t -= a[o + k]! * g[k * l + c]!;
        a[o + c] = t / g[c * l + c]!;
      }
    }
  }
}

/** Eigen-decomposition of a symmetric l x l matrix by cyclic Jacobi: values descending, vectors as columns. */
export function symmetricEigen(m: Float64Array, l: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(l * l);
  for (let i = 0; i < l; i++) v[i * l + i] = 1;
  for (let sweep = 0; sweep < 30; sweep++) {
    let off = 0;
    for (let p = 0; p < l; p++) for (let q = p + 1; q < l; q++) off += a[p * l + q]! ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < l; p++) {
      for (let q = p + 1; q < l; q++) {
        const apq = a[p * l + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * l + q]! - a[p * l + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < l; k++) {
          const akp = a[k * l + p]!;
          const akq = a[k * l + q]!;
          a[k * l + p] = c * akp - s * akq;
          a[k * l + q] = s * akp + c * akq;
        }
        for (let k = 0; k < l; k++) {
          const apk = a[p * l + k]!;
          const aqk = a[q * l + k]!;
          a[p * l + k] = c * apk - s * aqk;
          a[q * l + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < l; k++) {
          const vkp = v[k * l + p]!;
          const vkq = v[k * l + q]!;
          v[k * l + p] = c * vkp - s * vkq;
          v[k * l + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [...Array(l).keys()].sort((x, y) => a[y * l + y]! - a[x * l + x]!);
  const values = new Float64Array(l);
  const vectors = new Float64Array(l * l);
  order.forEach((src, dst) => {
    values[dst] = a[src * l + src]!;
    for (let k = 0; k < l; k++) vectors[k * l + dst] = v[k * l + src]!;
  });
  return { values, vectors };
}

/** A deterministic uniform stream in [0, 1) (mulberry32): the same seed, the same numbers everywhere. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A deterministic Gaussian stream (mulberry32 + Box-Muller), so that training is repeatable. */
export function gaussian(seed: number): () => number {
  const uniform = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());
}
