// A paper page's "Similar papers", kept for every instance (store/neighbours.ts): the three-signal
// list (decision 0050) costs tens of milliseconds of CPU, so it is computed once per paper and day
// across the cluster, not once per instance and start. A list of another model, or older than a
// day (new papers may belong in it), is computed again.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { keepNeighbours, keptNeighbours } from '../store/neighbours.js';
import { loadHits } from './hits.js';
import type { SearchService, Similar } from './index.js';

export const NEIGHBOURS_MAX_AGE_MS = 24 * 3600_000;

export async function keptSimilar(search: SearchService, db: Kysely<Database>, id: string, limit: number, now = new Date()): Promise<Similar> {
  const model = (await search.embedder().catch(() => null))?.model;
  if (model) {
    const ids = await keptNeighbours(db, id, model, new Date(now.getTime() - NEIGHBOURS_MAX_AGE_MS).toISOString());
    if (ids && ids.length >= limit) return { hits: await loadHits(db, ids.slice(0, limit)), reason: null };
  }
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
