// The map job: reads the newest MAP_MAX papers' vectors (the search's embeddings), lays them out
// (map.ts) and stores the layout (store/recommend.ts, migration 0018), so that /map opens with one
// read. Scheduled in `serve` like the harvest (a lease, so one instance runs it), and run by hand
// as a plain function by benches and tests. It only recomputes when the papers
// changed since the stored layout (the data version is part of what it stores).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import type { SearchService } from '../search/index.js';
import { STOP_WORDS } from '../search/query.js';
import { getLayout, latestLayoutId, mapMeta, saveLayout } from '../store/recommend.js';
import { bumpDataVersion, dataVersion } from '../store/versions.js';
import { layoutMap, type MapData } from './map.js';
import { termsOf } from './model.js';

export const MAP_JOB = 'paper-map';
/** Papers on the map: the newest this many with a vector (a million points would not draw in a browser). */
export const MAP_MAX = 100_000;
/** How often the job looks for changes. */
const EVERY_MS = 6 * 3_600_000;

export interface MapJobDeps {
  db: Kysely<Database>;
  search: Pick<SearchService, 'embedder' | 'vectors'>;
  log?: Logger | undefined;
}

/** Computes and stores a new layout; returns what it did, for the status page. */
export async function buildMap(deps: MapJobDeps, opts: { force?: boolean; signal?: AbortSignal; max?: number } = {}): Promise<Record<string, unknown>> {
  const { db, search } = deps;
  const [emb, vectors] = await Promise.all([search.embedder(), search.vectors()]);
  if (!emb || !vectors.available) return { skipped: 'no embeddings yet (the search model is not trained, or pgvector is missing)' };
  const version = await dataVersion(db);
  const latest = await latestLayoutId(db);
  if (!opts.force && latest !== null) {
    const stored = await getLayout(db, latest);
    const was = stored ? (JSON.parse(stored.data) as MapData & { version?: number }) : null;
    // The version the layout stored is the one before its own bump.
    if (was && was.model === emb.model && was.version !== undefined && was.version + 1 === version) return { skipped: 'unchanged', papers: was.n };
  }
  const max = opts.max ?? MAP_MAX;
  // The newest `max`: arXiv ids sort by month then number, so the last ones scanned are the newest;
  // only those are kept while scanning, so memory stays that of the map.
  let kept: Array<{ id: string; vec: Float32Array }> = [];
  for (let after: string | null = null; ; ) {
    opts.signal?.throwIfAborted();
    const page = await vectors.scan(emb.model, after, 5000);
    if (page.length === 0) break;
    kept.push(...page);
    if (kept.length > 2 * max) kept = kept.slice(-max);
    after = page.at(-1)!.id;
  }
  kept = kept.slice(-max);
  if (kept.length === 0) return { skipped: 'no papers with vectors' };
  const meta = new Map(
    (
      await mapMeta(
        db,
        kept.map((r) => r.id),
      )
    ).map((m) => [m.id, m]),
  );
  const dim = kept[0]!.vec.length;
  const vecs = new Float32Array(kept.length * dim);
  kept.forEach((r, i) => {
    vecs.set(r.vec.subarray(0, dim), i * dim);
  });
  const started = Date.now();
  const data = await layoutMap(
    {
      ids: kept.map((r) => r.id),
      vecs,
      dim,
      titles: kept.map((r) => termsOf(meta.get(r.id)?.title ?? '', STOP_WORDS)),
      categories: kept.map((r) => meta.get(r.id)?.category ?? ''),
      days: kept.map((r) => meta.get(r.id)?.day ?? ''),
    },
    STOP_WORDS,
  );
  const createdAt = new Date().toISOString();
  // Stored as served: the web layer sends these bytes (gzipped once) without parsing them again.
  const id = await saveLayout(db, {
    model: emb.model,
    papers: kept.length,
    data: JSON.stringify({ ...data, model: emb.model, createdAt, version }),
  });
  // The /map page (shared, cached per data version) shows the new layout's clusters.
  await bumpDataVersion(db);
  deps.log?.info({ papers: kept.length, clusters: data.labels.length, ms: Date.now() - started }, 'paper map laid out');
  return { layout: id, papers: kept.length, clusters: data.labels.length };
}

export function mapJob(deps: MapJobDeps): Job {
  return {
    name: MAP_JOB,
    run: (signal) => buildMap(deps, { signal }),
    next: (after) => new Date(after.getTime() + EVERY_MS),
    retry: (after) => new Date(after.getTime() + EVERY_MS / 6),
    // A fresh instance (or one whose last layout is old) lays the map out at start.
    overdue: (row, now) => row.last_success_at === null || now.getTime() - Date.parse(row.last_success_at) > EVERY_MS,
  };
}
