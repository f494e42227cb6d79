// Search hits: the papers behind a list of ids, with what a result line shows (upvotes, featured
// day, keywords), loaded in one query and returned in the order asked.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Paper } from '../papers/types.js';
import { paperFromRow } from '../store/rows.js';

export interface Hit {
  paper: Paper;
  upvotes: number;
  commentCount: number;
  featuredAt: string | null;
  aiSummary: string | null;
  aiKeywords: string[];
}

export async function loadHits(db: Kysely<Database>, ids: string[]): Promise<Hit[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('papers as p').leftJoin('featured as fe', 'fe.paper_id', 'p.id')
    .selectAll('p')
    .select(['fe.upvotes', 'fe.comment_count', 'fe.featured_at', 'fe.ai_summary', 'fe.ai_keywords'])
    .where('p.id', 'in', ids)
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return []; // deleted since the index answered
    return [{
      paper: paperFromRow(r),
      upvotes: r.upvotes ?? 0,
      commentCount: r.comment_count ?? 0,
      featuredAt: r.featured_at ?? null,
      aiSummary: r.ai_summary ?? null,
      aiKeywords: r.ai_keywords ? (JSON.parse(r.ai_keywords) as string[]) : [],
    }];
  });
}
