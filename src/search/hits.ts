// Search hits: the papers behind the ids a search or a nearest-neighbour lookup answers, in the
// order asked. A hit is the papers read model (store/papers.ts ListedPaper: the paper, its featured
// record or null, the live counts), so a result line, a feed entry and the API's items show the
// same fields the listings do. Ids deleted since the index answered are skipped.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { type ListedPaper, listedPapersByIds } from '../store/papers.js';

export type Hit = ListedPaper;

/** One query for all ids (a primary-key lookup each), returned in the order of `ids`. */
export function loadHits(db: Kysely<Database>, ids: string[]): Promise<Hit[]> {
  return listedPapersByIds(db, ids);
}
