// The query sets of `npm run eval -- search`, built from the Hugging Face papers' own fields (seeded,
// so every run and every engine asks the same questions), and the scores they are judged by.
//
// - keywords: three of a paper's ai_keywords; the answer is that paper. Favours lexical search (the
//   keywords were extracted from the abstract).
// - paraphrase: the paper's ai_summary with the words of its title, acronyms and numbers removed;
//   the answer is that paper. A stand-in for a person describing a paper in their own words.
// - similar: for a featured paper, the other featured papers that share at least two of its
//   ai_keywords are relevant, graded by how many they share. Only featured papers have keywords, so
//   a ranked list is judged on its featured papers alone (the "condensed list" of Sakai, SIGIR 2007:
//   unjudged papers are skipped, not counted as misses), the same way for every method.
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { gaussian } from '../src/search/embedders/linalg.js';
import { terms } from '../src/search/embedders/lsa.js';
import { wordsOf } from '../src/search/query.js';

export interface KnownItem {
  q: string;
  id: string;
}

interface Featured {
  id: string;
  title: string;
  abstract: string;
  summary: string | null;
  keywords: string[];
}

export async function featuredPapers(db: Kysely<Database>): Promise<Featured[]> {
  const rows = await db
    .selectFrom('featured as f')
    .innerJoin('papers as p', 'p.id', 'f.paper_id')
    .select(['f.paper_id', 'f.ai_keywords', 'f.ai_summary', 'p.title', 'p.abstract'])
    .orderBy('f.paper_id')
    .execute();
  return rows.map((r) => ({
    id: r.paper_id,
    title: r.title,
    abstract: r.abstract,
    summary: r.ai_summary,
    keywords: JSON.parse(r.ai_keywords) as string[],
  }));
}

/** A seeded stream in (0, 1); the keyword set's, unchanged, so that its figures stay comparable. */
function seeded(seed: number): () => number {
  const rnd = gaussian(seed);
  return () => 0.5 * (1 + Math.tanh(rnd()));
}

/** `n` distinct indexes below `size`, in the order drawn. */
function draw(size: number, n: number, uniform: () => number): number[] {
  const used = new Set<number>();
  const out: number[] = [];
  while (out.length < Math.min(n, size)) {
    const i = Math.floor(uniform() * size);
    if (used.has(i)) continue;
    used.add(i);
    out.push(i);
  }
  return out;
}

export function keywordQueries(papers: Featured[], n: number, seed = 7): KnownItem[] {
  const candidates = papers.filter((p) => p.keywords.length >= 3);
  const uniform = seeded(seed);
  const used = new Set<number>();
  const out: KnownItem[] = [];
  while (out.length < Math.min(n, candidates.length)) {
    const i = Math.floor(uniform() * candidates.length);
    if (used.has(i)) continue;
    used.add(i);
    const kw = [...candidates[i]!.keywords];
    const pick: string[] = [];
    while (pick.length < 3) pick.push(kw.splice(Math.floor(uniform() * kw.length), 1)[0]!);
    out.push({ q: pick.join(' '), id: candidates[i]!.id });
  }
  return out;
}

/** The summary's words less the title's words, acronyms (two capitals or more) and numbers. */
export function paraphrase(summary: string, title: string): string {
  const titleWords = new Set(wordsOf(title));
  const words = summary.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((w) => !titleWords.has(w.toLowerCase()) && !/\p{N}/u.test(w) && (w.match(/\p{Lu}/gu)?.length ?? 0) < 2)
    .join(' ')
    .toLowerCase();
}

export function paraphraseQueries(papers: Featured[], n: number, seed = 21): KnownItem[] {
  const candidates = papers.filter((p) => (p.summary ?? '').length > 40);
  return draw(candidates.length, n, seeded(seed)).map((i) => ({ q: paraphrase(candidates[i]!.summary!, candidates[i]!.title), id: candidates[i]!.id }));
}

export interface SimilarCase {
  id: string;
  /** Featured paper id -> gain (shared keywords). */
  relevant: Map<string, number>;
}

const normalise = (k: string) => wordsOf(k).join(' ');

/** Query papers with at least three relevant featured papers; `n` of them, seeded. */
export function similarCases(papers: Featured[], n: number, seed = 35): SimilarCase[] {
  const byKeyword = new Map<string, string[]>();
  for (const p of papers) for (const k of new Set(p.keywords.map(normalise))) byKeyword.set(k, [...(byKeyword.get(k) ?? []), p.id]);
  const cases: SimilarCase[] = [];
  for (const p of papers) {
    const shared = new Map<string, number>();
    for (const k of new Set(p.keywords.map(normalise))) {
      const holders = byKeyword.get(k)!;
      if (holders.length > 200) continue; // "large language models": shared by too many to mean anything
      for (const other of holders) if (other !== p.id) shared.set(other, (shared.get(other) ?? 0) + 1);
    }
    const relevant = new Map([...shared].filter(([, s]) => s >= 2));
    if (relevant.size >= 3) cases.push({ id: p.id, relevant });
  }
  return draw(cases.length, n, seeded(seed)).map((i) => cases[i]!);
}

export interface Scores {
  mrr: number;
  recall: number;
  ndcg: number;
}

/** MRR@10, recall@10 and NDCG@10 of a ranked list against graded judgments (gain 0: not relevant). */
export function score(ranked: string[], relevant: Map<string, number>): Scores {
  const top = ranked.slice(0, 10);
  const first = top.findIndex((id) => relevant.has(id));
  const found = top.filter((id) => relevant.has(id)).length;
  const dcg = top.reduce((s, id, i) => s + (2 ** (relevant.get(id) ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = [...relevant.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return { mrr: first >= 0 ? 1 / (first + 1) : 0, recall: found / Math.min(10, relevant.size), ndcg: ideal > 0 ? dcg / ideal : 0 };
}

export function mean(xs: Scores[]): Scores {
  const n = Math.max(1, xs.length);
  return { mrr: xs.reduce((s, x) => s + x.mrr, 0) / n, recall: xs.reduce((s, x) => s + x.recall, 0) / n, ndcg: xs.reduce((s, x) => s + x.ndcg, 0) / n };
}

/**
 * The baseline the issue names: tf-idf cosine over title and abstract (sublinear tf, the built-in
 * model's terms), among the featured papers. Returns a function ranking the featured papers by
 * similarity to one of them.
 */
export function tfidfNeighbours(papers: Featured[]): (id: string) => string[] {
  const docs = papers.map((p) => terms(`${p.title}. ${p.abstract}`));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  const vectors = docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, f] of tf) {
      const w = (1 + Math.log(f)) * Math.log(papers.length / df.get(t)!);
      v.set(t, w);
      norm += w * w;
    }
    for (const [t, w] of v) v.set(t, w / (Math.sqrt(norm) || 1));
    return v;
  });
  const index = new Map(papers.map((p, i) => [p.id, i]));
  return (id) => {
    const q = vectors[index.get(id)!]!;
    const sims = vectors.map((v, i) => {
      let s = 0;
      for (const [t, w] of q) s += w * (v.get(t) ?? 0);
      return [i, s] as const;
    });
    return sims
      .filter(([i]) => papers[i]!.id !== id)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 50)
      .map(([i]) => papers[i]!.id);
  };
}
