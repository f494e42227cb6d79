// "Picked for you": for a member, their For-you model's picks (pickedByModel) when the run has the
// recommender; otherwise the papers nearest in meaning (search/ similar(), the search
// issue's embeddings) to what they upvoted lately, fused by reciprocal rank (search/hybrid.ts) so a
// paper close to several of their upvotes ranks first. The lookups go through the search service,
// so the digest uses exactly the similarity the paper page shows.
import type { Db } from '../db/connect.js';
import type { Recommender } from '../recommend/index.js';
import { reciprocalRankFusion } from '../search/hybrid.js';
import { listedPapersByIds } from '../store/papers.js';
import type { Hit } from '../search/hits.js';
import type { SearchService } from '../search/index.js';
import { type DigestPaper, PICKED, toDigestPaper } from './compose.js';

/** Upvotes that seed the picks: the latest few say what the member reads now. */
export const SEED_UPVOTES = 10;
/** Neighbours asked for per upvote. */
const NEIGHBOURS = 10;

/** Ids ranked by reciprocal rank fusion of the lists, skipping `exclude`. */
export function fuseNeighbours(lists: string[][], exclude: ReadonlySet<string>, limit: number): string[] {
  return reciprocalRankFusion(lists)
    .map((f) => f.id)
    .filter((id) => !exclude.has(id))
    .slice(0, limit);
}

/** Up to `limit` papers close to the member's upvotes, none of them already upvoted. */
export async function pickedForYou(search: Pick<SearchService, 'similar'>, upvoted: string[], limit = PICKED * 2): Promise<DigestPaper[]> {
  if (upvoted.length === 0) return [];
  const results = await Promise.all(upvoted.map((id) => search.similar(id, NEIGHBOURS).catch(() => ({ hits: [] as Hit[], reason: 'failed' }))));
  const byId = new Map<string, Hit>();
  for (const r of results) for (const h of r.hits) byId.set(h.paper.id, h);
  const ids = fuseNeighbours(
    results.map((r) => r.hits.map((h) => h.paper.id)),
    new Set(upvoted),
    limit,
  );
  return ids.map((id) => toDigestPaper(byId.get(id)!));
}

/**
 * For a member, "Picked for you" from their For-you model (recommend/): the best of the last days'
 * new papers, each with its reason; nothing while the model has nothing to learn from.
 */
export async function pickedByModel(db: Db, recommender: Pick<Recommender, 'forYou'>, userId: number, limit = PICKED * 2): Promise<DigestPaper[]> {
  const r = await recommender.forYou(userId, { scope: 'new', limit });
  if (r.cold) return [];
  const why = new Map(r.items.map((i) => [i.id, i.reason]));
  const items = await listedPapersByIds(
    db.db,
    r.items.map((i) => i.id),
  );
  return items.map((item) => ({ ...toDigestPaper(item), why: why.get(item.paper.id) }));
}
