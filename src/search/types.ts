// The shapes that pass between the search interface and its backends.
import type { ParsedQuery, Sort } from './query.js';

/**
 * Matches are counted up to this many ("10,000+ results"): an exact count of a common word
 * reads every match, which is most of the cost of a search at a million papers.
 */
export const COUNT_CAP = 10_000;

/**
 * Relevance ranks the newest this-many matches of a query that has more (SQLite always, PostgreSQL
 * for words in a large share of the papers): at a million papers ranking every match of a common
 * word costs hundreds of milliseconds. Decisions 0010 and 0018.
 */
export const RANK_WINDOW = 1000;

export interface LexicalRequest {
  query: ParsedQuery;
  sort: Sort;
  limit: number;
  offset: number;
  /**
   * 'all' (default): every word must match. 'most': relevance over the papers that have at least
   * one of the query's rarer words, ranked by bm25 over all its words OR-ed (lexical-most.ts);
   * phrases, authors, filters and exclusions stay required.
   */
  words?: 'all' | 'most';
}

export interface LexicalResult {
  /** Paper ids, best first. */
  ids: string[];
  /** How many papers match in all (text and filters), at most COUNT_CAP. */
  total: number;
  /** `total` is an estimate (PostgreSQL past the months it walked, decision 0019). */
  approximate?: boolean;
  /**
   * Set when the list went on with the papers that have most of the words (lexical-most.ts): the
   * ids that have every word, the first of `ids`.
   */
  allWords?: string[];
}

export interface LexicalBackend {
  search(req: LexicalRequest): Promise<LexicalResult>;
  /** The subset of `ids` that pass the query's filters and exclusions (for semantic candidates). */
  filter(ids: string[], query: ParsedQuery): Promise<Set<string>>;
  /** How many papers there are, and how many have each word (counted, or the planner's estimate). */
  frequencies(words: string[]): Promise<{ papers: number; dfs: number[] }>;
  /** Reads what the first searches would otherwise each pay for (SQLite: the common words' counts, the rows' lengths). */
  warm?(): Promise<void>;
}

export interface Neighbour {
  id: string;
  /** Cosine similarity. */
  score: number;
}

export interface VectorBackend {
  /** False when this engine cannot store vectors (PostgreSQL without pgvector). */
  readonly available: boolean;
  /** Nearest papers to `vector` among those embedded by `model`. */
  nearest(model: string, vector: Float32Array, k: number, exclude?: string): Promise<Neighbour[]>;
  /** Cosine similarity of `vector` to each of `ids` that has a vector from `model`. */
  similarities(model: string, vector: Float32Array, ids: string[]): Promise<Map<string, number>>;
  /** The stored vector of a paper, if embedded by `model`. */
  vectorOf(model: string, id: string): Promise<Float32Array | null>;
  /** The stored vectors of many papers (those embedded by `model`; others are absent). */
  vectorsOf(model: string, ids: string[]): Promise<Map<string, Float32Array>>;
  /** Up to `limit` vectors of `model`, in paper id order after `after` (a background scan: the map). */
  scan(model: string, after: string | null, limit: number): Promise<Array<{ id: string; vec: Float32Array }>>;
  /** Stores vectors (replacing earlier ones) made by `model`. */
  put(model: string, dim: number, items: Array<{ id: string; vector: Float32Array }>): Promise<void>;
  /** Ids (ascending, after `after`) of up to `limit` papers without a vector from `model`. */
  missing(model: string, limit: number, after: string | null): Promise<string[]>;
  /** How many papers have a vector from `model`. */
  count(model: string): Promise<number>;
  /** Forgets every vector (a model change, or reindex --embeddings). */
  clear(): Promise<void>;
  /**
   * Runs a load of many vectors with the index set aside and built once after (PostgreSQL's
   * HNSW: inserting row by row into a large graph is several times slower). Absent when the
   * backend needs nothing of the kind.
   */
  bulk?<T>(run: () => Promise<T>): Promise<T>;
  /** Loads or builds what `nearest` needs for `model` (SQLite's graph), however long it takes. */
  prepare?(model: string): Promise<void>;
}
