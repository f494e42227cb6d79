// Upvotes: one per member and paper, enforced by the primary key (user_id, paper_id). A featured
// paper's count (featured.upvotes: imported + local) changes in the same transaction as the vote
// row and only when the insert or delete actually changed a row, so concurrent double votes count
// once: on PostgreSQL the second insert waits on the first's index entry and then does nothing;
// SQLite runs write transactions one at a time. A paper not featured yet counts its vote rows,
// and the vote that brings them to the featuring threshold features it (FEATURE_MIN_UPVOTES,
// members/votes.ts), in the same transaction.
import { type Kysely, sql } from 'kysely';
import type { Database, Dialect } from '../db/schema.js';

export class UnknownPaperError extends Error {
  override name = 'UnknownPaperError';
}

export interface VoteResult {
  upvoted: boolean;
  upvotes: number;
  /** True when this vote featured the paper. */
  featured: boolean;
}

/** What featuring by upvotes needs: the threshold, and the feed day of "now" (the instance's zone). */
export interface FeaturePolicy {
  minUpvotes: number;
  day: string;
}

const isForeignKeyViolation = (e: unknown) => {
  const err = e as { code?: string };
  return err?.code === '23503' || err?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
};

/**
 * Sets the member's vote on (true) or off (false); idempotent. The vote row's insert or delete,
 * then the featured count's update (RETURNING the new count); on a paper not featured, the count
 * of its votes and, on reaching the policy's threshold, its featured row (source 'upvotes', the
 * day of the vote). The votes -> papers foreign key says "no such paper".
 */
export async function setVote(
  db: Kysely<Database>,
  dialect: Dialect,
  userId: number,
  paperId: string,
  on: boolean,
  policy: FeaturePolicy,
): Promise<VoteResult> {
  if (dialect === 'postgres') {
    const done = await setFeaturedVote(db, userId, paperId, on);
    if (done) return done;
  }
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
        if (isForeignKeyViolation(e)) throw new UnknownPaperError(`there is no paper ${paperId}`);
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
    if (row) return { upvoted: on, upvotes: row.upvotes, featured: false };
    const exists = await trx.selectFrom('papers').select('id').where('id', '=', paperId).executeTakeFirst();
    if (!exists) throw new UnknownPaperError(`there is no paper ${paperId}`);
    const upvotes = await countVotes(trx, paperId);
    if (!(on && changed && upvotes >= policy.minUpvotes)) return { upvoted: on, upvotes, featured: false };
    await insertFeatured(trx, paperId, policy.day, 'upvotes', upvotes);
    return { upvoted: on, upvotes, featured: true };
  });
}

/**
 * PostgreSQL, a featured paper (most votes): the vote row and the count in one statement, one round
 * trip instead of a transaction's four. The count changes only when the row did; concurrent votes
 * on the paper queue on its featured row and each adds its own. Null when the paper is not
 * featured: the transaction of setVote then decides (the threshold, an unknown paper). A vote
 * that changed nothing (a retry) reads the count as it stands after the statement.
 */
async function setFeaturedVote(db: Kysely<Database>, userId: number, paperId: string, on: boolean): Promise<VoteResult | null> {
  const now = new Date().toISOString();
  const { rows } = on
    ? await sql<{ featured: boolean; upvotes: number | null }>`
        with f as (select 1 from featured where paper_id = ${paperId}),
        changed as (insert into votes (user_id, paper_id, created_at) select ${userId}, ${paperId}, ${now} where exists (select 1 from f)
          on conflict (user_id, paper_id) do nothing returning 1),
        counted as (update featured set upvotes = upvotes + 1 where paper_id = ${paperId} and exists (select 1 from changed) returning upvotes)
        select exists (select 1 from f) as featured, (select upvotes from counted) as upvotes`.execute(db)
    : await sql<{ featured: boolean; upvotes: number | null }>`
        with f as (select 1 from featured where paper_id = ${paperId}),
        changed as (delete from votes where user_id = ${userId} and paper_id = ${paperId} and exists (select 1 from f) returning 1),
        counted as (update featured set upvotes = upvotes - 1 where paper_id = ${paperId} and exists (select 1 from changed) returning upvotes)
        select exists (select 1 from f) as featured, (select upvotes from counted) as upvotes`.execute(db);
  const r = rows[0];
  if (!r?.featured) return null;
  const upvotes = r.upvotes ?? (await db.selectFrom('featured').select('upvotes').where('paper_id', '=', paperId).executeTakeFirst())?.upvotes;
  return upvotes === undefined ? null : { upvoted: on, upvotes: Number(upvotes), featured: false };
}

/** Members' upvotes of a paper (what a paper not featured yet shows). */
export async function countVotes(db: Kysely<Database>, paperId: string): Promise<number> {
  const r = await db
    .selectFrom('votes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('paper_id', '=', paperId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * A featured row for a paper featured here (by upvotes, a moderator's pick or a member's
 * submission): zero imported counts, the paper's votes and visible comments so far. Does nothing
 * if it is featured already; false then.
 */
export async function insertFeatured(
  db: Kysely<Database>,
  paperId: string,
  day: string,
  source: 'upvotes' | 'pick' | 'submission',
  upvotes?: number,
  by?: { userId: number; username: string; organization?: { name: string; displayName: string } | null },
  now = new Date(),
): Promise<boolean> {
  const comments = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('paper_id', '=', paperId)
    .where('deleted_at', 'is', null)
    .where('hidden_at', 'is', null)
    .executeTakeFirstOrThrow();
  const iso = now.toISOString();
  const r = await db
    .insertInto('featured')
    .values({
      paper_id: paperId,
      day,
      featured_at: iso,
      submitted_by_user_id: by?.userId ?? null,
      submitted_by_name: by?.username ?? null,
      organization: by?.organization?.name ?? null,
      organization_name: by?.organization?.displayName ?? null,
      imported_upvotes: 0,
      imported_comments: 0,
      upvotes: upvotes ?? (await countVotes(db, paperId)),
      comment_count: Number(comments.n),
      ai_summary: null,
      ai_keywords: '[]',
      source,
      hash: '',
      created_at: iso,
      modified_at: iso,
    })
    .onConflict((oc) => oc.column('paper_id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Flips the member's vote: the form button's action. */
export async function toggleVote(db: Kysely<Database>, dialect: Dialect, userId: number, paperId: string, policy: FeaturePolicy): Promise<VoteResult> {
  const has = await db.selectFrom('votes').select('user_id').where('user_id', '=', userId).where('paper_id', '=', paperId).executeTakeFirst();
  return setVote(db, dialect, userId, paperId, has === undefined, policy);
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
