// Keeping the indexes complete: embeddings are computed in the background after imports and
// ingestion (embedPending, idempotent: it embeds what has no vector from the current model), and
// `reindex` rebuilds the lexical index and, with --embeddings, every vector.
import { sql } from 'kysely';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { INLINE_TARGET } from '../db/migrations/0012_search_inline.js';
import type { Logger } from '../log.js';
import { bumpDataVersion } from '../store/versions.js';
import { builtinTrainedOn, paperText, trainBuiltin } from './embedders/index.js';
import type { Embedder } from './embedders/types.js';
import type { VectorBackend } from './types.js';

export interface EmbedProgress {
  model: string | null;
  embedded: number;
  /** Papers still without a vector when the run started. */
  pending: number;
  done: boolean;
  /** Set when semantic search cannot run here (and why). */
  skipped?: string;
}

/**
 * What keeping the indexes asks of the search service (search/index.ts's SearchService is one):
 * declared here, so that this file does not import the service that calls it.
 */
export interface Indexes {
  /** The current embedder (reloaded when another process trained a new model). */
  embedder(): Promise<Embedder | null>;
  vectors(): Promise<VectorBackend>;
  embedPending(): Promise<EmbedProgress>;
  /** Loads the model and the vector index ahead of the first search. */
  warm(): Promise<void>;
}

interface Ctx {
  db: Db;
  config: Config;
  log?: Logger | undefined;
  service: Indexes;
}

/** Retrain the built-in model when the corpus has doubled since it was trained. */
const RETRAIN_GROWTH = 2;
const BATCH = 500;
/** From this many missing vectors on, and more than are embedded already, load in bulk. */
const BULK_MIN = 20_000;

/** Papers given their word pairs per statement (PostgreSQL, migration 0011). */
const PAIRS_BATCH = 2000;

/**
 * From this many papers waiting for their pairs, when they are also most of the table (a bulk
 * import), the search table is rewritten at once instead (`rebuildWithPairs`).
 */
export const PAIRS_REBUILD_AT = 50_000;

/**
 * PostgreSQL: the pairs of common words of papers written since the last run (the trigger leaves
 * the tag 'pairs pending' instead; phrase search is correct meanwhile, only slower). Returns how
 * many papers got them. After a bulk import (at least `rebuildAt` papers waiting, and more than
 * half of the table) the table is rebuilt with them (decision 0024); otherwise they are added a
 * batch at a time.
 */
export async function addPendingPairs(db: Db, opts: { rebuildAt?: number } = {}): Promise<number> {
  if (db.dialect !== 'postgres') return 0;
  const rebuilt = await rebuildWithPairs(db, opts.rebuildAt ?? PAIRS_REBUILD_AT);
  if (rebuilt === 'busy') return 0; // another process is rebuilding: its table replaces this one
  if (rebuilt !== null) return rebuilt;
  let total = 0;
  for (;;) {
    const r = await sql<{ n: number }>`select paper_search_add_pairs(${PAIRS_BATCH}) as n`.execute(db.db);
    const n = Number(r.rows[0]?.n ?? 0);
    total += n;
    if (n < PAIRS_BATCH) return total;
  }
}

const PENDING = sql`tsv @@ '''pairs pending'''::tsquery`;

/**
 * Rewrites paper_search with every pending paper's pairs, as migration 0011 did: a new table, its
 * keys and GIN index built in one go, swapped in. Updating a million rows a batch at a time wrote
 * each row twice, left the table and its index twice their size, and took 43 minutes at a million
 * papers. Searches go on reading the old table until the swap (a moment of exclusive lock);
 * writers of papers wait for the rebuild (SHARE ROW EXCLUSIVE), so no change is lost. Returns the
 * number of papers given their pairs, null when this is not a bulk case (then the batches run), or
 * 'busy' when another process is rebuilding (the advisory lock).
 */
async function rebuildWithPairs(db: Db, rebuildAt: number): Promise<number | null | 'busy'> {
  // The pending papers, counted up to rebuildAt: the tag's GIN list, empty most of the time.
  const few = await sql<{ n: number }>`select count(*)::int as n from (select 1 from paper_search where ${PENDING} limit ${rebuildAt}) c`.execute(db.db);
  if (Number(few.rows[0]?.n ?? 0) < rebuildAt) return null;
  return db.db.transaction().execute(async (trx) => {
    const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(hashtext('dailypapers.paper_search_rebuild')) as ok`.execute(trx);
    if (!got.rows[0]?.ok) return 'busy' as const;
    await sql`lock table paper_search in share row exclusive mode`.execute(trx);
    const counts = await sql<{ pending: number; all: number }>`select count(*) filter (where ${PENDING})::int as pending,
      count(*)::int as "all" from paper_search`.execute(trx);
    const { pending, all } = counts.rows[0]!;
    if (pending < rebuildAt || pending * 2 <= all) return null;
    // Its rows keep their tsvector in line, as migration 0012 made them (decision 0025).
    await sql`create table paper_search_rebuilt with (toast_tuple_target = ${sql.raw(String(INLINE_TARGET))}) as select paper_id, published_at,
      case when ${PENDING} then ts_delete(tsv, 'pairs pending'::text) || paper_search_pairs(tsv) else tsv end as tsv
      from paper_search`.execute(trx);
    await sql`alter table paper_search_rebuilt alter column paper_id set not null, alter column tsv set not null,
      add constraint paper_search_rebuilt_pkey primary key (paper_id),
      add constraint paper_search_rebuilt_paper_id_fkey foreign key (paper_id) references papers(id) on delete cascade`.execute(trx);
    await sql`set local maintenance_work_mem = '512MB'`.execute(trx);
    await sql`create index paper_search_rebuilt_tsv_gin on paper_search_rebuilt using gin (tsv)`.execute(trx);
    await sql`analyze paper_search_rebuilt`.execute(trx);
    await sql`lock table paper_search in access exclusive mode`.execute(trx);
    await sql`drop table paper_search`.execute(trx);
    await sql`alter table paper_search_rebuilt rename to paper_search`.execute(trx);
    await sql`alter table paper_search rename constraint paper_search_rebuilt_pkey to paper_search_pkey`.execute(trx);
    await sql`alter table paper_search rename constraint paper_search_rebuilt_paper_id_fkey to paper_search_paper_id_fkey`.execute(trx);
    await sql`alter index paper_search_rebuilt_tsv_gin rename to paper_search_tsv_gin`.execute(trx);
    return pending;
  });
}

export async function embedPending(ctx: Ctx, opts: { onProgress?: (p: EmbedProgress) => void } = {}): Promise<EmbedProgress> {
  const { db, config, service } = ctx;
  const paired = await addPendingPairs(db);
  if (paired > 0) ctx.log?.info({ papers: paired }, 'indexed the word pairs of new papers');
  const vectors = await service.vectors();
  const progress: EmbedProgress = { model: null, embedded: 0, pending: 0, done: false };
  if (!vectors.available) return { ...progress, done: true, skipped: 'no vector storage (pgvector missing)' };
  if (config.embedder === 'builtin') {
    const papers = Number(
      (
        await db.db
          .selectFrom('papers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const trained = await builtinTrainedOn(db.db);
    if (papers >= 3 && (trained === 0 || papers >= RETRAIN_GROWTH * trained)) {
      const t = Date.now();
      const emb = await trainBuiltin(db.db);
      ctx.log?.info({ model: emb?.model, papers, ms: Date.now() - t }, 'trained the built-in search model');
    }
  }
  const emb = await service.embedder();
  if (!emb) return { ...progress, done: true, skipped: 'no model yet (fewer than 3 papers)' };
  progress.model = emb.model;
  const embedded = await vectors.count(emb.model);
  progress.pending = await countMissing(ctx, emb.model);
  const run = async () => {
    let after: string | null = null;
    for (;;) {
      const ids = await vectors.missing(emb.model!, BATCH, after);
      if (ids.length === 0) break;
      after = ids.at(-1)!;
      const rows = await db.db.selectFrom('papers').select(['id', 'title', 'abstract']).where('id', 'in', ids).execute();
      const vecs = await emb.embed(rows.map(paperText));
      await vectors.put(
        emb.model,
        vecs[0]?.length ?? 0,
        rows.map((r, i) => ({ id: r.id, vector: vecs[i]! })),
      );
      progress.embedded += rows.length;
      opts.onProgress?.({ ...progress });
    }
  };
  // Many new vectors (an import, a new model): load them first and index them once.
  if (vectors.bulk && progress.pending >= BULK_MIN && progress.pending > embedded) await vectors.bulk(run);
  else await run();
  // Similar papers and hybrid results changed: shared pages are rendered anew (web/cache.ts).
  if (progress.embedded > 0) await bumpDataVersion(db.db);
  progress.done = true;
  opts.onProgress?.({ ...progress });
  return progress;
}

async function countMissing(ctx: Ctx, model: string): Promise<number> {
  const vectors = await ctx.service.vectors();
  const papers = Number(
    (
      await ctx.db.db
        .selectFrom('papers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  return Math.max(0, papers - (await vectors.count(model)));
}

export async function reindex(ctx: Ctx, opts: { embeddings: boolean; onProgress?: (p: EmbedProgress) => void }): Promise<EmbedProgress | null> {
  const { db } = ctx;
  if (db.dialect === 'sqlite') {
    await db.db.transaction().execute(async (trx) => {
      // Missing keys one at a time: each takes the next free key of its date (migration 0008).
      const missing = await sql<{ id: string }>`select id from papers where id not in (select paper_id from search_doc)`.execute(trx);
      for (const m of missing.rows) {
        await sql`insert into search_doc(doc_id, paper_id) select doc_id, paper_id from search_doc_next where paper_id = ${m.id}`.execute(trx);
      }
      await sql`delete from search_doc where paper_id not in (select id from papers)`.execute(trx);
      await sql`delete from papers_fts`.execute(trx);
      await sql`insert into papers_fts(rowid, title, authors, abstract, tags) select * from search_row order by doc_id`.execute(trx);
    });
    await sql`insert into papers_fts(papers_fts) values ('optimize')`.execute(db.db);
  } else {
    await sql`insert into paper_search(paper_id, published_at, tsv) select paper_id, published_at, tsv from paper_search_source
      on conflict (paper_id) do update set published_at = excluded.published_at, tsv = excluded.tsv`.execute(db.db);
  }
  if (!opts.embeddings) return null;
  const vectors = await ctx.service.vectors();
  await vectors.clear();
  if (ctx.config.embedder === 'builtin') await trainBuiltin(db.db);
  return embedPending(ctx, opts);
}

/**
 * Runs embedPending now and then every `intervalMs` (never two at once), for `serve`: papers that
 * the harvester or a submission adds get their vectors within a minute. `then` runs after each
 * round (serve computes the new papers' similar lists ahead of their visitors) and is told when
 * the loop has been stopped. Returns a stop function.
 */
export function startEmbeddingLoop(service: Indexes, log?: Logger, intervalMs = 60_000, then?: (stopped: () => boolean) => Promise<unknown>): () => void {
  let running = false;
  let stopped = false;
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      const p = await service.embedPending();
      // Load or build SQLite's vector graph now rather than on a visitor's first search.
      await service.warm();
      if (p.embedded > 0) log?.info({ model: p.model, embedded: p.embedded }, 'computed embeddings');
      if (p.skipped) log?.debug({ reason: p.skipped }, 'embeddings skipped');
      if (!stopped) await then?.(() => stopped).catch((e: unknown) => log?.error({ err: e }, 'work after the embeddings failed; will retry'));
    } catch (e) {
      log?.error({ err: e }, 'computing embeddings failed; will retry');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
