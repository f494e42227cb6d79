// Document frequencies for ranking with dp_bm25 on SQLite (lexical-sqlite.ts): counted once a
// phrase and kept, common words read from FTS5's vocabulary (decisions 0018, 0060).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

/** The word of a one-word phrase ('"models"'), undefined for other expressions. */
const wordOf = (expr: string): string | undefined => {
  const w = /^"((?:[^"]|"")*)"$/.exec(expr)?.[1]?.replaceAll('""', '"');
  return w !== undefined && w.length > 0 && !w.includes(' ') ? w : undefined;
};

/** Terms in fewer papers than this are counted when first searched (cheap: a short posting list). */
export const VOCAB_MIN = 1000;

/**
 * Document frequencies for dp_bm25 (src/search/native/dp_bm25.c), counted once a phrase and kept:
 * FTS5's bm25() counts them again on every query, tens of milliseconds for a word in most of a
 * million papers. A count is redone when the number of papers has moved by more than 1 % since,
 * or after an hour; the number of papers itself is read at most every 30 seconds.
 *
 * A word's first search would still pay its count. So `warm` reads, in one pass over FTS5's
 * vocabulary (papers_fts_terms, migration 0026), every term that VOCAB_MIN papers or more have: a
 * word is then looked up by its term (dp_terms, FTS5's own tokenizer: "Models" is "model"), and
 * only rarer words, whose posting lists are short, are counted. At a million papers the pass takes
 * about 5 s on a reader thread, before the service reports ready, and is redone in the background
 * under the same rule as a count. Its counts may include papers changed since FTS5 last merged its
 * segments (contentless_delete keeps their old rows until then); for a term that a thousand papers
 * have, that moves the IDF little.
 */
export class TermStats {
  private readonly df = new Map<string, { n: number; papers: number; at: number }>();
  private papers = { n: 0, at: -Infinity };
  /** The common terms' counts, from the last pass over the vocabulary, with the papers then. */
  private vocab: { df: Map<string, number>; papers: number; at: number } | null = null;
  private reading: Promise<void> | null = null;
  /** Each word's term ('' when it is not one term), as dp_terms gives it. */
  private readonly terms = new Map<string, string>();

  private readonly max: number;
  private readonly totalTtlMs: number;
  /** dp_terms and papers_fts_terms are there (dp_bm25 loaded, migration 0026). */
  private readonly vocabulary: boolean;
  private readonly vocabMin: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: { max?: number; totalTtlMs?: number; vocabulary?: boolean; vocabMin?: number } = {},
  ) {
    this.max = options.max ?? 20_000;
    this.totalTtlMs = options.totalTtlMs ?? 30_000;
    this.vocabulary = options.vocabulary === true;
    this.vocabMin = options.vocabMin ?? VOCAB_MIN;
  }

  async total(): Promise<number> {
    if (Date.now() - this.papers.at > this.totalTtlMs) {
      const r = await sql<{ n: number }>`select count(*) as n from search_doc`.execute(this.db);
      this.papers = { n: Number(r.rows[0]?.n ?? 0), at: Date.now() };
    }
    return this.papers.n;
  }

  /** Reads the common terms' counts (once at a time; a failure leaves counting as the way). */
  warm(): Promise<void> {
    if (!this.vocabulary) return Promise.resolve();
    this.reading ??= (async () => {
      try {
        const papers = await this.total();
        const r = await sql<{ term: string; doc: number }>`select term, doc from papers_fts_terms where doc >= ${this.vocabMin}`.execute(this.db);
        this.vocab = { df: new Map(r.rows.map((x) => [x.term, Number(x.doc)])), papers, at: Date.now() };
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  /** The word's count from the vocabulary, or null when it is not one of its common terms. */
  private async fromVocabulary(expr: string, papers: number): Promise<number | null> {
    const v = this.vocab;
    const word = wordOf(expr);
    if (!v || word === undefined) return null;
    // Kept while a new pass is read: a common term's share moves little in 1 % more papers.
    if (Math.abs(v.papers - papers) > papers / 100 || Date.now() - v.at > 3_600_000) void this.warm().catch(() => {});
    if (!this.terms.has(word)) await this.lookUpTerms([expr]);
    const term = this.terms.get(word);
    return term && this.vocab ? (this.vocab.df.get(term) ?? null) : null;
  }

  /** How many papers match `expr` (a phrase), from the cache when still close. */
  async frequency(expr: string): Promise<number> {
    const papers = await this.total();
    const hit = this.df.get(expr);
    if (hit && Math.abs(hit.papers - papers) <= papers / 100 && Date.now() - hit.at < 3_600_000) {
      this.df.delete(expr); // most recently used last
      this.df.set(expr, hit);
      return hit.n;
    }
    let n = await this.fromVocabulary(expr, papers);
    if (n === null) {
      const r = await sql<{ n: number }>`select count(*) as n from papers_fts where papers_fts match ${expr}`.execute(this.db);
      n = Number(r.rows[0]?.n ?? 0);
    }
    this.df.set(expr, { n, papers, at: Date.now() });
    if (this.df.size > this.max) this.df.delete(this.df.keys().next().value!);
    return n;
  }

  /**
   * bm25's IDF of each phrase of a match expression in FTS5's order (MatchPlan.ranked of
   * lexical-sqlite.ts), as FTS5 computes it (negative values raised to 1e-6); 0 for unranked ones.
   */
  async idfs(ranked: ReadonlyArray<string | null>): Promise<number[]> {
    // One ranked phrase ('"vision-language tasks" cat:cs.CV'): its IDF scales every score alike, so
    // the order is the same whatever it is, and a phrase of common words costs much to count.
    if (ranked.filter((p) => p !== null).length === 1) return ranked.map((p) => (p === null ? 0 : 1));
    const [papers, ns] = await Promise.all([this.total(), this.frequencies(ranked.map((p) => p ?? ''))]);
    return ranked.map((p, i) => {
      if (p === null) return 0;
      const n = ns[i]!;
      const idf = Math.log((papers - n + 0.5) / (n + 0.5));
      return idf > 0 ? idf : 1e-6;
    });
  }

  /** frequency() of each phrase ('' counts as 0), their words' terms looked up in one statement. */
  async frequencies(exprs: string[]): Promise<number[]> {
    await this.lookUpTerms(exprs);
    return Promise.all(exprs.map((e) => (e === '' ? 0 : this.frequency(e))));
  }

  /** dp_terms of the single words of `exprs` not yet known, in one statement. */
  private async lookUpTerms(exprs: string[]): Promise<void> {
    if (!this.vocab) return;
    const words = [...new Set(exprs.map(wordOf).filter((w): w is string => w !== undefined && !this.terms.has(w)))];
    if (words.length === 0) return;
    const r = await sql<{ w: string; t: string | null }>`select value as w, dp_terms(value) as t from json_each(${JSON.stringify(words)})`
      .execute(this.db)
      .catch(() => null);
    // An extension built before dp_terms existed (npm install not run since): counted instead.
    if (r === null) {
      this.vocab = null;
      return;
    }
    for (const x of r.rows) this.remember(x.w, x.t ?? '');
  }

  private remember(word: string, term: string) {
    this.terms.set(word, term.includes(' ') ? '' : term);
    if (this.terms.size > this.max) this.terms.delete(this.terms.keys().next().value!);
  }
}
