// Search behind one interface: `searchFor(deps)` gives pages, API, CLI and jobs the same service.
// Lexical search (FTS5 | tsvector) and vector search (usearch HNSW | pgvector HNSW) are fused in
// hybrid.ts; embedders live in embedders/. One service per database handle, so the vector copy
// and the loaded model are shared by every request.
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Logger } from '../log.js';
import { getPapers, paperTexts } from '../store/papers.js';
import { loadEmbedder, paperText } from './embedders/index.js';
import type { Embedder } from './embedders/types.js';
import { embedPending, type EmbedProgress, reindex } from './maintenance.js';
import {
  CANDIDATES,
  EMBED_TIMEOUT_MS,
  fuseHybrid,
  HYBRID_K,
  LOAD_WAIT_MS,
  PAIR_DEPTH,
  pairShares,
  SEMANTIC_WEIGHT,
  semanticScores,
  withTimeout,
} from './hybrid.js';
import { type Hit, loadHits } from './hits.js';
import { gracefulLexical } from './lexical-most.js';
import { postgresLexical } from './lexical-postgres.js';
import { sqliteLexical } from './lexical-sqlite.js';
import { hasFilters, hasText, highlightTerms, type ParsedQuery, parseQuery, semanticText, type Sort, wordPairs } from './query.js';
import { fuseSimilar, moreLikeThis, textCosines } from './similar.js';
import { type Segment, snippet } from './snippet.js';
import type { LexicalBackend, Neighbour, VectorBackend } from './types.js';
import { postgresVectors } from './vectors-postgres.js';
import { sqliteVectors } from './vectors-sqlite.js';

export type Mode = 'hybrid' | 'lexical' | 'semantic';

export interface SearchInput {
  q: string;
  sort?: Sort;
  limit?: number;
  /** 1-based. */
  page?: number;
  /** hybrid (default): fall back to lexical when no embedding comes in time. */
  mode?: Mode;
}

export interface SearchHit extends Hit {
  snippet: Segment[];
}

export interface SearchResults {
  query: ParsedQuery;
  hits: SearchHit[];
  total: number;
  /** `total` is an estimate (decision 0019). */
  approximate: boolean;
  page: number;
  limit: number;
  sort: Sort;
  /** What actually answered: 'lexical' also when the semantic side was off or too slow. */
  mode: Mode | 'none';
  /** Meaning was asked for but words alone answered (the model loading, or too slow): not for caching. */
  degraded: boolean;
  tookMs: number;
  /** The box held this paper's arXiv id or URL, and the paper is here: pages open it (the one hit). */
  opens: string | null;
}

export interface Similar {
  hits: Hit[];
  /** Why the list is empty, when it is. */
  reason: string | null;
}

export interface SearchService {
  search(input: SearchInput): Promise<SearchResults>;
  similar(id: string, limit: number): Promise<Similar>;
  embedPending(opts?: { onProgress?: (p: EmbedProgress) => void }): Promise<EmbedProgress>;
  reindex(opts: { embeddings: boolean; onProgress?: (p: EmbedProgress) => void }): Promise<EmbedProgress | null>;
  /** The current embedder (loading or reloading it when another process trained a new model). */
  embedder(): Promise<Embedder | null>;
  vectors(): Promise<VectorBackend>;
  /**
   * Loads the model and the vector index (building SQLite's graph when no saved one is current),
   * without the one-second limit of a search: at start, so that visitors never wait for it. Once:
   * later calls share the first, failed or not.
   */
  warm(): Promise<void>;
  /** The warm-up has ended (loaded, or failed): searches no longer wait for it. */
  warmed(): boolean;
  lexical: LexicalBackend;
}

export interface SearchDeps {
  db: Db;
  config: Config;
  log?: Logger | undefined;
}

const services = new WeakMap<Db, SearchService>();

/** The most neighbours similar:ID lists (five pages). */
const SIMILAR_MAX = 100;

/** Where SQLite's vector graph is saved: beside the database file (none for an in-memory one). */
function graphDir(db: Db): string | null {
  const file = db.sqlite?.name;
  return file && file !== ':memory:' && !db.sqlite?.memory ? `${file}-vectors` : null;
}

export function searchFor(deps: SearchDeps): SearchService {
  let s = services.get(deps.db);
  if (!s) {
    s = createSearch(deps);
    services.set(deps.db, s);
  }
  return s;
}

export function createSearch({ db, config, log }: SearchDeps): SearchService {
  // SQLite's lexical queries run on reader threads (db/sqlite-readers.ts), beside the vector side.
  // All the words while enough papers match them, most of them otherwise (lexical-most.ts).
  const lexical = gracefulLexical(db.dialect === 'sqlite' ? sqliteLexical(db.readers?.() ?? db.db, { dpBm25: db.dpBm25 === true }) : postgresLexical(db.db));
  let vectorsP: Promise<VectorBackend> | null = null;
  const vectors = () =>
    (vectorsP ??= db.dialect === 'sqlite' ? Promise.resolve(sqliteVectors(db.db, { dir: graphDir(db), log })) : postgresVectors(db.db, log));
  let current: Embedder | null = null;
  let checkedAt = 0;
  let warming: Promise<void> | null = null;
  let loaded = false;

  /** Reader threads, the common words' counts, the model and the vector index. */
  async function load() {
    // SQLite's reader threads start on first use (a few hundred ms): before the first search.
    const readers = db.readers?.();
    if (readers && readers !== db.db) await Promise.all([1, 2].map(() => sql`select 1`.execute(readers)));
    // The counts are read on a reader thread while the main thread loads the model and the graph.
    const counts = lexical
      .warm?.()
      .catch((e: Error) => log?.warn({ err: e.message }, "the common words' counts were not read; they are counted when searched"));
    const [emb, vec] = await Promise.all([embedder(), vectors()]);
    await counts;
    if (emb && vec.available) {
      await vec.prepare?.(emb.model);
      // A first text embedded: an ONNX session's first run is slow, an endpoint may be starting.
      if (config.embedder !== 'builtin') await emb.embed(['warm up']);
    }
  }

  async function embedder(): Promise<Embedder | null> {
    // The built-in model may be retrained by another process (import, reindex): look every 5 s.
    if (current && (config.embedder !== 'builtin' || Date.now() - checkedAt < 5000)) return current;
    checkedAt = Date.now();
    if (config.embedder === 'builtin') {
      const latest = await db.db
        .selectFrom('search_model')
        .select('name')
        .where('kind', '=', 'lsa')
        .orderBy('created_at', 'desc')
        .orderBy('name', 'desc')
        .executeTakeFirst();
      if (latest && latest.name === current?.model) return current;
    }
    current = await loadEmbedder(db.db, config.embedder);
    return current;
  }

  /**
   * The semantic side: the query's nearest papers, within EMBED_TIMEOUT_MS; null when off, failed
   * or too slow. `similarity` then scores lexical candidates against the same query vector.
   */
  async function semanticSide(
    query: ParsedQuery,
    k: number,
  ): Promise<{ neighbours: Neighbour[]; similarity: (ids: string[]) => Promise<Map<string, number>> } | null> {
    try {
      // While the model and the vector index load (at start), a search waits for them, bounded,
      // rather than answering with words alone: the load is paid once, the 1 s limit is per query.
      if (!loaded) {
        const ok = await withTimeout(LOAD_WAIT_MS, () => service.warm()).then(
          () => true,
          () => false,
        );
        if (!ok) return null;
      }
      return await withTimeout(EMBED_TIMEOUT_MS, async (signal) => {
        const [emb, vec] = await Promise.all([embedder(), vectors()]);
        if (!emb || !vec.available) return null;
        const [v] = await emb.embed([semanticText(query)], signal);
        if (!v?.some((x) => x !== 0)) return null;
        // Filters are checked on the candidates: ask for twice as many when they may remove some.
        // Not more: four times makes pgvector walk its graph at ef_search 402 rather than 202
        // (alone at a million papers: 14.1 ms at ef 402, 9.5 at ef 250), for little: a narrow
        // filter (an author, a recent date) keeps a few of either, and the lexical candidates,
        // which all pass, are ranked by similarity to the query anyway (hybrid.ts).
        const filtered = hasFilters(query) || query.excluded.length > 0;
        let neighbours = await vec.nearest(emb.model, v, filtered ? k * 2 : k);
        if (filtered) {
          const pass = await lexical.filter(
            neighbours.map((n) => n.id),
            query,
          );
          neighbours = neighbours.filter((n) => pass.has(n.id)).slice(0, k);
        }
        return {
          neighbours,
          similarity: (ids: string[]) => (ids.length ? vec.similarities(emb.model, v, ids) : Promise.resolve(new Map<string, number>())),
        };
      });
    } catch (e) {
      log?.warn({ err: (e as Error).message }, 'semantic search failed; answering with lexical results');
      return null;
    }
  }

  /** The nearest papers to `hit` by meaning, or why there are none. */
  async function neighbours(hit: Hit, k: number): Promise<string[] | string> {
    const [emb, vec] = await Promise.all([embedder(), vectors()]);
    if (!vec.available) return 'semantic search is off on this database (no pgvector)';
    if (!emb) return 'the built-in model has not been trained yet';
    let v = await vec.vectorOf(emb.model, hit.paper.id);
    if (!v) {
      const [fresh] = await withTimeout(EMBED_TIMEOUT_MS, (signal) => emb.embed([paperText(hit.paper)], signal)).catch(() => []);
      if (!fresh) return 'the embedder did not answer in time';
      v = fresh;
    }
    const nn = await vec.nearest(emb.model, v, k, hit.paper.id);
    return nn.length ? nn.map((n) => n.id) : 'no embedded papers yet';
  }

  const service: SearchService = {
    lexical,
    embedder,
    vectors,

    async search(input) {
      const started = performance.now();
      const query = parseQuery(input.q ?? '');
      const sort = input.sort ?? 'relevance';
      const limit = Math.min(Math.max(1, Math.trunc(input.limit ?? 20)), 100);
      const page = Math.min(Math.max(1, Math.trunc(input.page ?? 1)), 1000);
      const offset = (page - 1) * limit;
      const done = async (
        ids: string[],
        total: number,
        mode: SearchResults['mode'],
        approximate = false,
        degraded = false,
        opens: string | null = null,
      ): Promise<SearchResults> => {
        const terms = highlightTerms(query);
        const hits = (await loadHits(db.db, ids)).map((h) => ({ ...h, snippet: snippet(h.paper.abstract, terms) }));
        return { query, hits, total, approximate, page, limit, sort, mode, degraded, tookMs: performance.now() - started, opens };
      };

      if (query.paper && page === 1) {
        const [hit] = await loadHits(db.db, [query.paper]);
        if (hit) return done([hit.paper.id], 1, 'none', false, false, hit.paper.id);
      }
      if (query.similar) {
        // The paper's neighbours, through the query's filters (twice as many asked, as for search).
        const filtered = hasFilters(query) || query.excluded.length > 0;
        const s = await service.similar(query.similar, Math.min(SIMILAR_MAX, (offset + limit) * (filtered ? 2 : 1)));
        let ids = s.hits.map((h) => h.paper.id);
        if (filtered) {
          const pass = await lexical.filter(ids, query);
          ids = ids.filter((id) => pass.has(id));
        }
        return done(ids.slice(offset, offset + limit), ids.length, 'semantic');
      }

      if (!hasText(query) && !hasFilters(query)) return done([], 0, 'none');
      const mode = input.mode ?? 'hybrid';
      if (!hasText(query) || sort !== 'relevance' || mode === 'lexical') {
        const r = await lexical.search({ query, sort, limit, offset });
        return done(r.ids, r.total, 'lexical', r.approximate === true);
      }
      if (mode === 'semantic') {
        const ids = ((await semanticSide(query, offset + limit))?.neighbours ?? []).map((n) => n.id);
        return done(ids.slice(offset, offset + limit), ids.length, 'semantic');
      }
      const n = Math.max(CANDIDATES, offset + limit);
      // Both sides at once: two connections on PostgreSQL; on SQLite the lexical side runs on a reader
      // thread while the main thread embeds the query and walks the vector graph.
      const semantic = semanticSide(query, CANDIDATES);
      const lex = await lexical.search({ query, sort, limit: n, offset: 0 });
      const sem = await semantic;
      if (sem === null) return done(lex.ids.slice(offset, offset + limit), lex.total, 'lexical', lex.approximate === true, true);
      // The lexical candidates' texts, for the query's word pairs (none to look for: not read), on
      // SQLite's reader threads as the lexical side, while the main thread scores the cosines.
      const pairs = wordPairs(input.q ?? '');
      const [similarity, texts] = await Promise.all([
        sem.similarity(lex.ids.slice(0, CANDIDATES)).catch((e: Error) => {
          log?.warn({ err: e.message }, 'semantic search failed; answering with lexical results');
          return null;
        }),
        pairs.length ? paperTexts(db.readers?.() ?? db.db, lex.ids.slice(0, PAIR_DEPTH)) : new Map<string, string>(),
      ]);
      if (similarity === null) return done(lex.ids.slice(offset, offset + limit), lex.total, 'lexical', lex.approximate === true, true);
      // When the lexical list went on past the papers with every word, those count once more: a
      // paper with some of the words that is also close in meaning would otherwise outrank them.
      const fused = fuseHybrid(
        [lex.ids, ...(lex.allWords ? [lex.allWords] : [])],
        semanticScores(lex.ids.slice(0, CANDIDATES), sem.neighbours, similarity),
        HYBRID_K,
        SEMANTIC_WEIGHT,
        pairShares(pairs, texts),
      );
      const semanticOnly = fused.length - lex.ids.length;
      let ids = fused.slice(offset, offset + limit);
      // Past the fused candidates the list goes on with the rest of the lexical matches.
      if (ids.length < limit && lex.total > lex.ids.length) {
        const more = await lexical.search({ query, sort, limit: limit - ids.length, offset: lex.ids.length + Math.max(0, offset - fused.length) });
        ids = ids.concat(more.ids);
      }
      return done(ids, lex.total + semanticOnly, 'hybrid', lex.approximate === true);
    },

    async similar(id, limit) {
      const [hit] = await loadHits(db.db, [id]);
      if (!hit) return { hits: [], reason: `paper ${id} not found` };
      // Both sides at least CANDIDATES deep, so that the fusion has something to agree on.
      const k = Math.max(limit, CANDIDATES);
      const [byMeaning, byWords] = await Promise.all([
        neighbours(hit, k),
        moreLikeThis(lexical, hit.paper, k).catch((e: Error) => {
          log?.warn({ err: e.message }, 'similar papers by words failed');
          return [];
        }),
      ]);
      // With the built-in model, every candidate is compared with the paper word by word too.
      const emb = await embedder();
      let byText: Map<string, number> | undefined;
      if (emb?.termWeights) {
        const candidates = await getPapers(db.db, [...new Set([...(Array.isArray(byMeaning) ? byMeaning : []), ...byWords])]);
        byText = textCosines(emb.termWeights, hit.paper, candidates);
      }
      const ids = fuseSimilar(Array.isArray(byMeaning) ? byMeaning : null, byWords, limit, byText);
      return { hits: await loadHits(db.db, ids), reason: ids.length ? null : typeof byMeaning === 'string' ? byMeaning : 'no similar papers yet' };
    },

    warm() {
      // A failure ends the wait too: searches then go on with the one-second limit of each, which
      // is how a dead embedding endpoint never stalls them (and /readyz reports the failure).
      warming ??= load().then(
        () => {
          loaded = true;
        },
        (e: unknown) => {
          loaded = true;
          throw e;
        },
      );
      return warming;
    },

    warmed: () => loaded,

    embedPending: (opts = {}) => embedPending({ db, config, log, service }, opts),
    reindex: (opts) => reindex({ db, config, log, service }, opts),
  };
  return service;
}
