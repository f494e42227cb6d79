// `npm run eval -- recommend [--cases N] [--window-days D]`: the For-you model on the real data.
// An author's papers before a cutoff stand for a member's saves; every method ranks the papers
// announced in the following D days (14); a paper by that author counts 2, one by a co-author of
// their earlier papers 1. NDCG@10 (graded) and AUC (relevant or not) over N author-cutoff cases
// (at least 300), at five cutoffs a month apart. Methods: newest first, most upvoted, the tf-idf
// SVM as arxiv-sanity-lite trains it (_svm.ts), and our model (src/recommend/model.ts, the
// functions and constants the service uses, with the window as its background as the service
// does), with two ablations. The database is bench/_rec-prep.ts's.
import { parseArgs } from 'node:util';
import { learnTaste, type Known, scoreCandidate, termsOf } from '../src/recommend/model.js';
import { STOP_WORDS } from '../src/search/query.js';
import { mean, type Scores, score } from './_eval-sets.js';
import { evalDatabase } from './_rec-prep.js';
import { linearSvc, type Sparse, tfidf } from './_svm.js';

const DIR = '/tmp/dp-rec-eval';
const CUTOFFS = ['2026-02-02', '2026-03-02', '2026-04-06', '2026-05-04', '2026-06-01'];
/** A member's saves: the author's latest this-many earlier papers. */
const SAVES_MAX = 50;
/** Earlier papers an author needs to stand for a member. */
const SAVES_MIN = 3;
/** Papers from before the cutoff the SVM also trains on (arxiv-sanity-lite trains on all). */
const SVM_BACKGROUND = 4000;
/** The service's background sample (recommend/index.ts BACKGROUND). */
const BACKGROUND = 600;

interface P extends Known {
  title: string;
  day: string;
  upvotes: number;
  x: Sparse;
}

function auc(ranked: string[], relevant: Map<string, number>): number {
  let pos = 0;
  let neg = 0;
  let good = 0;
  // Walking best to worst: each negative is outranked by every positive met so far.
  for (const id of ranked) {
    if (relevant.has(id)) pos++;
    else {
      neg++;
      good += pos;
    }
  }
  return pos && neg ? good / (pos * neg) : 0.5;
}

function pick<T>(xs: T[], n: number, seed: number): T[] {
  if (xs.length <= n) return xs;
  const out = [...xs];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = i + (s % (out.length - i));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.slice(0, n);
}

export default async function evalRecommend(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { cases: { type: 'string' }, 'window-days': { type: 'string' } } });
  const nCases = Number(values.cases ?? 400);
  const windowDays = Number(values['window-days'] ?? 14);
  const { db, search } = await evalDatabase(DIR);
  const emb = await search.embedder();
  const vectors = await search.vectors();
  if (!emb) throw new Error('no built-in model in the evaluation database');
  let t = Date.now();
  const rows = await db.db
    .selectFrom('papers as p')
    .leftJoin('featured as f', 'f.paper_id', 'p.id')
    .select(['p.id', 'p.title', 'p.abstract', 'p.authors', 'p.categories', 'p.announced_at', 'p.published_at', 'f.upvotes'])
    .execute();
  const vecs = new Map<string, Float32Array>();
  for (let after: string | null = null; ; ) {
    const page = await vectors.scan(emb.model, after, 5000);
    if (!page.length) break;
    for (const r of page) vecs.set(r.id, r.vec);
    after = page.at(-1)!.id;
  }
  const xs = tfidf(rows.map((r) => `${r.title} ${r.abstract}`));
  const papers: P[] = rows
    .map((r, i) => ({
      id: r.id,
      title: r.title,
      vec: vecs.get(r.id) ?? null,
      authors: JSON.parse(r.authors) as string[],
      categories: r.categories ? r.categories.split(' ') : [],
      words: new Set(termsOf(`${r.title} ${r.abstract}`, STOP_WORDS)),
      day: (r.announced_at ?? r.published_at ?? '').slice(0, 10),
      upvotes: Number(r.upvotes ?? 0),
      x: xs[i]!,
    }))
    .filter((p) => p.day)
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.id < b.id ? -1 : 1));
  console.log(`${papers.length} papers, ${vecs.size} with vectors (${emb.model}); features in ${((Date.now() - t) / 1000).toFixed(0)} s`);

  // Cases: (author, cutoff) with SAVES_MIN+ papers in the year before and one in the window.
  interface Case {
    author: string;
    cutoff: string;
    saves: P[];
    window: P[];
    relevant: Map<string, number>;
  }
  // Candidates first (cheap), then the judgments of the sampled ones only.
  const all: Array<{ author: string; cutoff: string; saves: P[]; window: P[] }> = [];
  for (const cutoff of CUTOFFS) {
    const end = new Date(Date.parse(cutoff) + windowDays * 86_400_000).toISOString().slice(0, 10);
    const yearBefore = new Date(Date.parse(cutoff) - 365 * 86_400_000).toISOString().slice(0, 10);
    const window = papers.filter((p) => p.day >= cutoff && p.day < end);
    const before = new Map<string, P[]>();
    for (const p of papers) {
      if (p.day < yearBefore || p.day >= cutoff) continue;
      for (const a of p.authors) {
        const list = before.get(a);
        if (list) list.push(p);
        else before.set(a, [p]);
      }
    }
    const inWindow = new Set(window.flatMap((p) => p.authors));
    for (const [author, earlier] of before) {
      if (earlier.length >= SAVES_MIN && inWindow.has(author)) all.push({ author, cutoff, saves: earlier.slice(-SAVES_MAX), window });
    }
  }
  const judged = (c: (typeof all)[number]): Case => {
    const coauthors = new Set(c.saves.flatMap((p) => p.authors));
    const relevant = new Map<string, number>();
    for (const p of c.window) {
      if (p.authors.includes(c.author)) relevant.set(p.id, 2);
      else if (p.authors.some((a) => coauthors.has(a))) relevant.set(p.id, 1);
    }
    return { ...c, relevant };
  };
  const cases = pick(all, nCases, 42).map(judged);
  console.log(`${all.length} author-cutoff cases at ${CUTOFFS.length} cutoffs (${windowDays}-day windows); evaluating ${cases.length}`);

  const methods: Record<string, { scores: Scores[]; aucs: number[]; ms: number }> = {};
  const run = async (name: string, c: Case, rank: () => Promise<string[]> | string[]) => {
    if (!methods[name]) methods[name] = { scores: [], aucs: [], ms: 0 };
    const m = methods[name];
    const t0 = performance.now();
    const ranked = await rank();
    m.ms += performance.now() - t0;
    m.scores.push(score(ranked, c.relevant));
    m.aucs.push(auc(ranked, c.relevant));
  };
  const svmBackground = new Map<string, P[]>();
  t = Date.now();
  for (const [i, c] of cases.entries()) {
    const byScore = (s: (p: P) => number) =>
      c.window
        .map((p) => [p, s(p)] as const)
        .sort((a, b) => b[1] - a[1] || (a[0].id < b[0].id ? 1 : -1))
        .map(([p]) => p.id);
    await run('newest first', c, () => byScore((p) => Date.parse(p.day)));
    await run('most upvoted', c, () => byScore((p) => p.upvotes * 1e6 + Date.parse(p.day) / 1e8));
    await run('tf-idf SVM (arxiv-sanity-lite)', c, () => {
      let bg = svmBackground.get(c.cutoff);
      if (!bg) {
        bg = pick(
          papers.filter((p) => p.day < c.cutoff),
          SVM_BACKGROUND,
          7,
        );
        svmBackground.set(c.cutoff, bg);
      }
      const saved = new Set(c.saves.map((p) => p.id));
      const train = [...c.saves, ...bg.filter((p) => !saved.has(p.id)), ...c.window];
      const f = linearSvc(
        train.map((p) => p.x),
        train.map((p) => (saved.has(p.id) ? 1 : 0)),
      );
      return byScore((p) => f(p.x));
    });
    const df = new Map<string, number>();
    for (const p of c.window) for (const w of p.words) df.set(w, (df.get(w) ?? 0) + 1);
    const ours = async (opts: { authors: boolean; words: boolean }) => {
      const taste = await learnTaste(
        {
          positives: c.saves,
          hidden: [],
          background: pick(c.window, BACKGROUND, i + 1),
          inFollowedCategories: [],
          followedAuthors: new Set(),
          followedCategories: new Set(),
        },
        { df: (w) => df.get(w) ?? 0, papers: c.window.length },
      );
      if (!opts.authors) taste.knownAuthors.clear();
      if (!opts.words) taste.profile.clear();
      return byScore((p) => scoreCandidate(taste, p).score);
    };
    await run('ours: embeddings only', c, () => ours({ authors: false, words: false }));
    await run('ours: embeddings + tf-idf words', c, () => ours({ authors: false, words: true }));
    await run('ours: + authors of saved papers (shipped)', c, () => ours({ authors: true, words: true }));
    if ((i + 1) % 50 === 0) console.log(`  ${i + 1} cases, ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  const relevantMean = cases.reduce((s, c) => s + c.relevant.size, 0) / cases.length;
  const windowMean = cases.reduce((s, c) => s + c.window.length, 0) / cases.length;
  const lines = [
    `${cases.length} cases; a window holds ${windowMean.toFixed(0)} papers on average, ${relevantMean.toFixed(1)} of them relevant`,
    '',
    '| method | NDCG@10 | AUC | Recall@10 | mean ms/case |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [name, m] of Object.entries(methods)) {
    const s = mean(m.scores);
    lines.push(
      `| ${name} | ${s.ndcg.toFixed(3)} | ${(m.aucs.reduce((a, b) => a + b, 0) / m.aucs.length).toFixed(3)} | ${s.recall.toFixed(3)} | ${(m.ms / m.scores.length).toFixed(1)} |`,
    );
  }
  console.log(`\n${lines.join('\n')}`);
  await db.close();
}
