// Upvotes: one per member and featured paper, enforced by the primary key (user_id, paper_id).
// featured.upvotes (imported + local) changes in the same transaction as the vote row and only
// when the insert or delete actually changed a row, so concurrent double votes count once: on
// PostgreSQL the second insert waits on the first's index entry and then does nothing; SQLite
// runs write transactions one at a time.
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';

export class NotFeaturedError extends Error {
  override name = 'NotFeaturedError';
}

export interface VoteResult {
  upvoted: boolean;
  upvotes: number;
}

const isForeignKeyViolation = (e: unknown) => {
  const err = e as { code?: string };
  return err?.code === '23503' || err?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
};

/**
 * Sets the member's vote on (true) or off (false); idempotent. Two statements in one
 * transaction: the vote row's insert or delete, then the count's update (RETURNING the new count)
 * or, when nothing changed, a read of it. The votes -> featured foreign key says "not featured".
 */
export async function setVote(db: Kysely<Database>, userId: number, paperId: string, on: boolean): Promise<VoteResult> {
  return db.transaction().execute(async (trx) => {
    let changed: boolean;
    if (on) {
      try {
        const r = await trx
          .insertInto('votes')
          .values({ user_id: userId, paper_id: paperId, created_at: new Date().toISOString() })
          .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
          .executeTakeFirst();
        changed = Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
      } catch (e) {
        if (isForeignKeyViolation(e)) throw new NotFeaturedError(`paper ${paperId} is not featured`);
        throw e;
      }
    } else {
      const r = await trx.deleteFrom('votes').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
      changed = Number(r.numDeletedRows) === 1;
    }
    const row = changed
      ? await trx
          .updateTable('featured')
          .set({ upvotes: sql<number>`upvotes + ${on ? 1 : -1}` })
          .where('paper_id', '=', paperId)
          .returning('upvotes')
          .executeTakeFirst()
      : await trx.selectFrom('featured').select('upvotes').where('paper_id', '=', paperId).executeTakeFirst();
    if (!row) throw new NotFeaturedError(`paper ${paperId} is not featured`);
    return { upvoted: on, upvotes: row.upvotes };
  });
}

/** Flips the member's vote: the form button's action. */
export async function toggleVote(db: Kysely<Database>, userId: number, paperId: string): Promise<VoteResult> {
  const has = await db.selectFrom('votes').select('user_id').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return setVote(db, userId, paperId, has === undefined);
}

/** Which of these papers the member has upvoted (for the pressed state of buttons). */
export async function votedAmong(db: Kysely<Database>, userId: number, paperIds: string[]): Promise<Set<string>> {
  if (paperIds.length === 0) return new Set();
  const rows = await db.selectFrom('votes').select('paper_id').where('user_id', '=', userId).where('paper_id', 'in', paperIds).execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** Every paper the member upvoted: the primary key's prefix makes this an index range read. */
export async function votedPaperIds(db: Kysely<Database>, userId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('votes').select('paper_id').where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.paper_id));
}

export async function listUpvotedBy(db: Kysely<Database>, userId: number, limit = 50): Promise<Array<{ id: string; title: string; votedAt: string }>> {
  return db
    .selectFrom('votes as v')
    .innerJoin('papers as p', 'p.id', 'v.paper_id')
    .select(['p.id', 'p.title', 'v.created_at as votedAt'])
    .where('v.user_id', '=', userId)
    .orderBy('v.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The member's latest upvoted paper ids, newest vote first (the digest's "picked for you" seeds). */
export async function recentUpvotes(db: Kysely<Database>, userId: number, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('votes')
    .select('paper_id')
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('paper_id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.paper_id);
}
