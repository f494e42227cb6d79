// A paper page's "Similar papers", kept for every instance (store/neighbours.ts): the three-signal
// list (decision 0050) costs tens of milliseconds of CPU, so it is computed once per paper and day
// across the cluster, not once per instance and start. A list of another model, or older than a
// day (new papers may belong in it), is computed again.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { addDays } from '../papers/dates.js';
import { keepNeighbours, keptNeighbours, papersWithoutNeighbours } from '../store/neighbours.js';
import { latestFeaturedDay } from '../store/papers.js';
import { loadHits } from './hits.js';
import type { SearchService, Similar } from './index.js';

export const NEIGHBOURS_MAX_AGE_MS = 24 * 3600_000;
/** How many similar papers a paper's page shows (the length of a kept list). */
export const SIMILAR_ON_PAGE = 5;

export async function keptSimilar(search: SearchService, db: Kysely<Database>, id: string, limit: number, now = new Date()): Promise<Similar> {
  const model = (await search.embedder().catch(() => null))?.model;
  if (model) {
    const ids = await keptNeighbours(db, id, model, new Date(now.getTime() - NEIGHBOURS_MAX_AGE_MS).toISOString());
    if (ids && ids.length >= limit) return { hits: await loadHits(db, ids.slice(0, limit)), reason: null };
  }
  return computeAndKeep(search, db, id, limit, model, now);
}

/** Computes the paper's list and keeps it when it is full and its model known. */
async function computeAndKeep(search: SearchService, db: Kysely<Database>, id: string, limit: number, model: string | undefined, now: Date): Promise<Similar> {
  const s = await search.similar(id, limit);
  if (model && s.hits.length >= limit)
    await keepNeighbours(
      db,
      id,
      model,
      s.hits.map((h) => h.paper.id),
      now,
    );
  return s;
}

/**
 * Computes ahead the lists that visitors are about to ask for: the featured papers of the latest
 * `days` featured days whose list is missing or a day old, at most `max` per call, one at a time
 * with the event loop let go between them. Run after each round of embeddings (search/maintenance.ts),
 * so that a day's papers have their lists before their first visitor, who would otherwise wait for
 * the computation (tens of milliseconds of CPU, several queries). Instances sharing a database take
 * the papers in their own random order and skip those another one kept meanwhile. Stops between
 * two papers once `stopped()` says so (the server is shutting down).
 */
export async function keepSimilarAhead(
  search: SearchService,
  db: Kysely<Database>,
  opts: { days?: number; max?: number; now?: Date; stopped?: () => boolean } = {},
): Promise<number> {
  const model = (await search.embedder().catch(() => null))?.model;
  const latest = await latestFeaturedDay(db);
  if (!model || !latest) return 0;
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - NEIGHBOURS_MAX_AGE_MS).toISOString();
  const ids = await papersWithoutNeighbours(db, model, since, addDays(latest, -((opts.days ?? 7) - 1)), opts.max ?? 500);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  let computed = 0;
  for (const id of ids) {
    await new Promise((resolve) => setImmediate(resolve));
    if (opts.stopped?.()) break;
    if (await keptNeighbours(db, id, model, since)) continue; // another instance kept it meanwhile
    await computeAndKeep(search, db, id, SIMILAR_ON_PAGE, model, now);
    computed++;
  }
  return computed;
}
