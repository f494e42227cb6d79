// Featuring a paper by a member's submission. The featured row starts at zero imported counts;
// comment_count starts at the paper's visible local comments (a paper can be discussed before it
// is featured), counted in the same transaction as the insert.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export interface Feature {
  paperId: string;
  day: string;
  userId: number;
  username: string;
  organization: { name: string; displayName: string } | null;
}

/** Features the paper; false if it already was (the unique paper_id decides, not a prior read). */
export async function featureSubmission(db: Kysely<Database>, f: Feature, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const local = await trx
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('paper_id', '=', f.paperId)
      .where('deleted_at', 'is', null)
      .where('hidden_at', 'is', null)
      .executeTakeFirstOrThrow();
    const iso = now.toISOString();
    const r = await trx
      .insertInto('featured')
      .values({
        paper_id: f.paperId,
        day: f.day,
        featured_at: iso,
        submitted_by_user_id: f.userId,
        submitted_by_name: f.username,
        organization: f.organization?.name ?? null,
        organization_name: f.organization?.displayName ?? null,
        imported_upvotes: 0,
        imported_comments: 0,
        // Members may have upvoted it while it was new.
        upvotes: sql<number>`(select count(*) from votes where paper_id = ${f.paperId})`,
        comment_count: Number(local.n),
        ai_summary: null,
        ai_keywords: '[]',
        source: 'submission',
        hash: '',
        created_at: iso,
        modified_at: iso,
      })
      .onConflict((oc) => oc.column('paper_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
  });
}

/** Removes a paper from the feeds (moderation); the paper stays indexed and keeps its members' votes. */
export async function unfeature(db: Kysely<Database>, paperId: string): Promise<boolean> {
  const r = await db.deleteFrom('featured').where('paper_id', '=', paperId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export async function listSubmittedBy(db: Kysely<Database>, userId: number, limit = 50): Promise<Array<{ id: string; title: string; day: string }>> {
  return db
    .selectFrom('featured as f')
    .innerJoin('papers as p', 'p.id', 'f.paper_id')
    .select(['p.id', 'p.title', 'f.day'])
    .where('f.submitted_by_user_id', '=', userId)
    .orderBy('f.featured_at', 'desc')
    .limit(limit)
    .execute();
}
