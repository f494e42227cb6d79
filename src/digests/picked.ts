// "Picked for you": for a member, the papers nearest in meaning (search/ similar(), the search
// issue's embeddings) to what they upvoted lately, fused by reciprocal rank so a paper close to
// several of their upvotes ranks first. The fusion is pure; the lookups go through the search
// service, so the digest uses exactly the similarity the paper page shows.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Hit } from '../search/hits.js';
import type { SearchService } from '../search/index.js';
import { type DigestPaper, PICKED } from './compose.js';
import { firstSentences } from '../papers/math.js';

/** Upvotes that seed the picks: the latest few say what the member reads now. */
export const SEED_UPVOTES = 10;
/** Neighbours asked for per upvote. */
const NEIGHBOURS = 10;
/** Reciprocal-rank constant, as in search/hybrid.ts (k = 60). */
const K = 60;

/** Ids ranked by the sum over lists of 1 / (K + rank), skipping `exclude`; ties by first seen. */
export function fuseNeighbours(lists: string[][], exclude: ReadonlySet<string>, limit: number): string[] {
  const score = new Map<string, number>();
  for (const list of lists) list.forEach((id, i) => {
    if (!exclude.has(id)) score.set(id, (score.get(id) ?? 0) + 1 / (K + i + 1));
  });
  return [...score.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([id]) => id);
}

export function hitToDigestPaper(h: Hit): DigestPaper {
  const p = h.paper;
  return {
    id: p.id,
    title: p.title.replace(/\s+/g, ' ').trim(),
    authors: p.authors,
    summary: h.aiSummary?.trim() || firstSentences(p.abstract, 280),
    upvotes: h.upvotes,
    featuredAt: h.featuredAt ?? p.publishedAt ?? '',
    categories: p.categories,
    haystack: [p.title, p.abstract, ...h.aiKeywords].join('\n').toLowerCase(),
  };
}

/** A member's latest upvoted paper ids (the members migration's votes table). */
export async function recentUpvotes(db: Kysely<Database>, userId: number, limit = SEED_UPVOTES): Promise<string[]> {
  const r = await sql<{ paper_id: string }>`select paper_id from votes where user_id = ${userId} order by created_at desc, paper_id limit ${limit}`.execute(db);
  return r.rows.map((x) => x.paper_id);
}

/** Up to `limit` papers close to the member's upvotes, none of them already upvoted. */
export async function pickedForYou(
  search: Pick<SearchService, 'similar'>,
  upvoted: string[],
  limit = PICKED * 2,
): Promise<DigestPaper[]> {
  if (upvoted.length === 0) return [];
  const results = await Promise.all(upvoted.map((id) => search.similar(id, NEIGHBOURS).catch(() => ({ hits: [] as Hit[], reason: 'failed' }))));
  const byId = new Map<string, Hit>();
  for (const r of results) for (const h of r.hits) byId.set(h.paper.id, h);
  const ids = fuseNeighbours(results.map((r) => r.hits.map((h) => h.paper.id)), new Set(upvoted), limit);
  return ids.map((id) => hitToDigestPaper(byId.get(id)!));
}
