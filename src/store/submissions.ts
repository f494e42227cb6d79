// Featuring a paper by a member's submission, through the one insert of a locally featured paper
// (votes.ts insertFeatured): zero imported counts, the votes and visible comments it had while new,
// counted in the same transaction as the insert.
import type { Kysely } from 'kysely';
import { insertFeatured } from './votes.js';
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
  return db
    .transaction()
    .execute((trx) =>
      insertFeatured(trx, f.paperId, f.day, 'submission', undefined, { userId: f.userId, username: f.username, organization: f.organization }, now),
    );
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
