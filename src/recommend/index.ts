// "For you": each member's papers ranked by their own model (model.ts), with a reason per paper.
// The model is trained on demand and kept per member with the signals it learned from (saved,
// upvoted, hidden papers and follows, read on every request: a few index reads); a save, a vote or
// a hide changes them, so the next request retrains (about a hundred milliseconds, in slices that
// never hold the event loop). Candidates: the last days' announcements (read once per announcement
// and shared by every member, vectors and words included), or for the whole corpus the model's
// nearest papers in the vector index (the linear score of unit vectors is an inner product, which
// the HNSW index answers directly), the papers with the profile's words, and the followed authors'.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { followingRange } from '../members/follows.js';
import type { SearchService } from '../search/index.js';
import { emptyQuery, STOP_WORDS } from '../search/query.js';
import { type Follow, listFollows } from '../store/follows.js';
import { announcedTexts, latestAnnouncement, memberSignals, type PaperText, paperTexts, type Signals } from '../store/recommend.js';
import { dot, type Indexed, indexCandidates, learnTaste, normalized, scoreAll, scoreCandidate, type Taste, termsOf } from './model.js';
import { reasonOf } from './reasons.js';

export type Scope = 'new' | 'all';

export interface Recommendation {
  id: string;
  score: number;
  /** Why, in a line: "like “Saved title” (saved) · by Jane Doe (followed) · words: diffusion, sampler". */
  reason: string;
}

export interface ForYou {
  items: Recommendation[];
  /** Candidates ranked. */
  total: number;
  /** Nothing to learn from yet (no saves, upvotes or follows): the page shows the cold start. */
  cold: boolean;
}

export interface RecommendDeps {
  db: Kysely<Database>;
  search: Pick<SearchService, 'embedder' | 'vectors' | 'lexical'>;
}

/** Background papers (negatives) drawn from the window: enough for a stable boundary, few enough to train fast. */
const BACKGROUND = 600;
/** Most papers of a window that are ranked (a week of a busy instance's categories). */
const WINDOW_MAX = 20_000;
/** Candidates asked of the vector index and of the words, for the whole corpus. */
const CORPUS_CANDIDATES = 300;
/** Members whose models are kept in memory (least recently used out). */
const MODELS_KEPT = 2000;

interface Known extends PaperText {
  words: Set<string>;
  vec: Float32Array | null;
}

interface Window {
  key: string;
  papers: Known[];
  index: Indexed;
  /** Document frequency of each word in the window (the profile's idf). */
  df: Map<string, number>;
}

interface MemberModel {
  sig: string;
  /** The embedding model it was trained on. */
  model: string | null;
  /** The papers it learned from, by id, for the next update to reuse. */
  read: Map<string, Known>;
  taste: Taste;
  positives: Array<{ id: string; title: string; vec: Float32Array | null; how: 'saved' | 'upvoted' }>;
  exclude: Set<string>;
  cold: boolean;
  /** The whole-corpus tab's candidates, found once per model (they depend on nothing else but the data). */
  corpus?: Promise<Indexed>;
  /** The rankings made for this model, by scope and window: a second page or a reload only slices them. */
  ranked: Map<string, number[]>;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createRecommender(deps: RecommendDeps) {
  const { db, search } = deps;
  let window: Promise<Window> | null = null;
  let windowKey = '';
  const models = new Map<number, { sig: string; model: Promise<MemberModel> }>();

  async function modelName(): Promise<string | null> {
    const [emb, vec] = await Promise.all([search.embedder().catch(() => null), search.vectors()]);
    return emb && vec.available ? emb.model : null;
  }

  /** Words and vectors of papers, tokenised in slices. */
  async function known(texts: PaperText[], model: string | null): Promise<Known[]> {
    const vecs = model
      ? await (await search.vectors()).vectorsOf(
          model,
          texts.map((t) => t.id),
        )
      : new Map<string, Float32Array>();
    const out: Known[] = [];
    for (let i = 0; i < texts.length; i++) {
      const t = texts[i]!;
      out.push({ ...t, words: new Set(termsOf(`${t.title} ${t.abstract}`, STOP_WORDS)), vec: vecs.get(t.id) ?? null });
      if (i % 500 === 499) await turn();
    }
    return out;
  }

  /** The window's papers, read once per announcement, range and model. */
  async function windowPapers(model: string | null): Promise<Window> {
    // Not the data version: every upvote bumps it, and the window's papers change only when
    // arXiv announces (the latest announcement moves) or the range moves on (every 10 minutes).
    const [range, last] = await Promise.all([followingRange(db), latestAnnouncement(db)]);
    const key = `${last}|${range.from}|${range.to}|${model}`;
    if (!window || windowKey !== key) {
      windowKey = key;
      const previous = window;
      window = (async () => {
        const papers = await known(await announcedTexts(db, range.from, range.to, WINDOW_MAX), model);
        return { key, papers, index: indexCandidates(papers), df: dfOf(papers) };
      })();
      window.catch(() => {
        if (window && windowKey === key) window = previous;
      });
    }
    return window;
  }

  async function train(
    userId: number,
    signals: Signals,
    follows: Follow[],
    model: string | null,
    win: Window,
    sig: string,
    before: MemberModel | null,
  ): Promise<MemberModel> {
    const followedAuthors = new Set(follows.filter((f) => f.kind === 'author').map((f) => f.value));
    const followedCategories = new Set(follows.filter((f) => f.kind === 'category').map((f) => f.value));
    const how = new Map<string, 'saved' | 'upvoted'>();
    for (const id of signals.upvoted) how.set(id, 'upvoted');
    for (const id of signals.saved) how.set(id, 'saved');
    // Papers the previous model already read are reused: an update reads only what changed.
    const reuse = before?.model === model ? before.read : new Map<string, Known>();
    const read = async (ids: string[]) => {
      const missing = ids.filter((id) => !reuse.has(id));
      const fresh = await known(await paperTexts(db, missing), model);
      const byId = new Map([...fresh.map((p): [string, Known] => [p.id, p])]);
      return ids.flatMap((id) => {
        const p = reuse.get(id) ?? byId.get(id);
        return p ? [p] : [];
      });
    };
    const [pos, neg] = await Promise.all([read([...how.keys()]), read(signals.hidden)]);
    const exclude = new Set([...how.keys(), ...signals.hidden]);
    const df = win.df;
    const taste = await learnTaste(
      {
        positives: pos,
        hidden: neg,
        background: sample(
          win.papers.filter((p) => !exclude.has(p.id)),
          BACKGROUND,
          userId,
        ),
        // Followed categories add their window papers as weak positives: a member who only picked
        // categories still gets a direction in meaning.
        inFollowedCategories: sample(
          win.papers.filter((p) => !exclude.has(p.id) && p.categories.some((c) => followedCategories.has(c))),
          50,
          userId,
        ),
        followedAuthors,
        followedCategories,
      },
      { df: (w) => df.get(w) ?? 0, papers: win.papers.length },
      before?.model === model ? (before.taste.linear ?? null) : null,
    );
    return {
      sig,
      taste,
      model,
      read: new Map([...pos, ...neg].map((p) => [p.id, p])),
      positives: pos.map((p) => ({ id: p.id, title: p.title, vec: p.vec, how: how.get(p.id)! })),
      exclude,
      ranked: new Map(),
      cold: pos.length === 0 && follows.length === 0,
    };
  }

  /** The member's model, retrained when their signals changed since it was made. */
  async function modelOf(userId: number, model: string | null, win: Window): Promise<MemberModel> {
    const [signals, follows] = await Promise.all([memberSignals(db, userId), listFollows(db, { userId })]);
    // The window is not part of it: new announcements change the candidates (rankings are kept per
    // window), not what the member taught the model; its background sample may be a day old.
    const sig = JSON.stringify([signals, follows.map((f) => [f.kind, f.value]), model]);
    const kept = models.get(userId);
    if (kept?.sig === sig) {
      models.delete(userId);
      models.set(userId, kept);
      return kept.model;
    }
    const before = kept ? await kept.model.catch(() => null) : null;
    const made = train(userId, signals, follows, model, win, sig, before);
    models.delete(userId);
    models.set(userId, { sig, model: made });
    made.catch(() => models.delete(userId));
    if (models.size > MODELS_KEPT) models.delete(models.keys().next().value!);
    return made;
  }

  /** Indexes of the candidates, best first (a cold member's: in the window's order, newest first). */
  function ranked(m: MemberModel, ix: Indexed): number[] {
    const order: number[] = [];
    for (let i = 0; i < ix.papers.length; i++) if (!m.exclude.has(ix.papers[i]!.id)) order.push(i);
    if (m.cold) return order;
    const scores = scoreAll(m.taste, ix);
    return order.sort((a, b) => scores[b]! - scores[a]! || (ix.papers[a]!.id < ix.papers[b]!.id ? 1 : -1));
  }

  /** Candidates from the whole corpus: nearest to the model's direction, the profile's words, the followed authors. */
  async function corpusCandidates(m: MemberModel, model: string | null): Promise<Indexed> {
    const ids = new Set<string>();
    const vectors = await search.vectors();
    if (model && m.taste.linear) {
      for (const n of await vectors.nearest(model, normalized(m.taste.linear.w), CORPUS_CANDIDATES)) ids.add(n.id);
    }
    const words = [...m.taste.profile.keys()].slice(0, 12);
    if (words.length) {
      const r = await search.lexical.search({ query: { ...emptyQuery(), words }, sort: 'relevance', limit: CORPUS_CANDIDATES / 3, offset: 0, words: 'most' });
      for (const id of r.ids) ids.add(id);
    }
    for (const a of [...m.taste.followedAuthors].slice(0, 10)) {
      const r = await search.lexical.search({ query: { ...emptyQuery(), authors: [a] }, sort: 'date', limit: 20, offset: 0 });
      for (const id of r.ids) ids.add(id);
    }
    for (const id of m.exclude) ids.delete(id);
    return indexCandidates(await known(await paperTexts(db, [...ids]), model));
  }

  return {
    /** The member's ranked papers: the window's (`new`) or the whole corpus's (`all`). */
    async forYou(userId: number, opts: { scope: Scope; limit: number; offset?: number }): Promise<ForYou> {
      const model = await modelName();
      const win = await windowPapers(model);
      const m = await modelOf(userId, model, win);
      if (opts.scope === 'all' && !m.corpus) m.corpus = corpusCandidates(m, model);
      const ix = opts.scope === 'new' || !m.corpus ? win.index : await m.corpus;
      // A cold member sees the window newest first (the page offers the cold start beside it).
      const key = `${opts.scope}|${win.key}`;
      let list = m.ranked.get(key);
      if (!list) {
        list = ranked(m, ix);
        m.ranked.set(key, list);
      }
      const offset = opts.offset ?? 0;
      const items = list.slice(offset, offset + opts.limit).map((i) => {
        const p = ix.papers[i]!;
        const s = scoreCandidate(m.taste, p);
        return { id: p.id, score: s.score, reason: m.cold ? 'new' : reasonOf(s, nearestPositive(m, p.vec)) };
      });
      return { items, total: list.length, cold: m.cold };
    },
    /** Drops every kept model and window (tests; a model change is seen by its name already). */
    forget() {
      models.clear();
      window = null;
    },
  };
}

export type Recommender = ReturnType<typeof createRecommender>;

/** One recommender per database handle: the window and the members' models are shared by pages, feeds and digests. */
const recommenders = new WeakMap<Kysely<Database>, Recommender>();
export function recommenderFor(deps: RecommendDeps): Recommender {
  let r = recommenders.get(deps.db);
  if (!r) {
    r = createRecommender(deps);
    recommenders.set(deps.db, r);
  }
  return r;
}

/** The window's document frequencies stand for the corpus's (a week is a fair sample of the vocabulary). */
function dfOf(papers: Known[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const p of papers) for (const w of p.words) df.set(w, (df.get(w) ?? 0) + 1);
  return df;
}

/** The positive closest in meaning to a paper (the reason's "like ..."), or null. */
function nearestPositive(m: MemberModel, vec: Float32Array | null): { title: string; how: 'saved' | 'upvoted'; sim: number } | null {
  if (!vec) return null;
  let best: { title: string; how: 'saved' | 'upvoted'; sim: number } | null = null;
  for (const p of m.positives) {
    if (!p.vec) continue;
    const sim = dot(p.vec, vec);
    if (!best || sim > best.sim) best = { title: p.title, how: p.how, sim };
  }
  return best;
}

/** A repeatable sample of `n` (the same for a member between retrains, so rankings do not flicker). */
function sample<T>(xs: T[], n: number, seed: number): T[] {
  if (xs.length <= n) return xs;
  let s = (seed * 2654435761) >>> 0 || 1;
  const idx = xs.map((_, i) => i);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = i + ((s >>> 0) % (idx.length - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, n).map((i) => xs[i]!);
}
