// A member's library: the papers they saved (migration 0017). Collections and notes build on it.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** Saves or unsaves a paper; false when the paper is unknown. Idempotent. */
export async function setSaved(db: Kysely<Database>, userId: number, paperId: string, on: boolean): Promise<boolean> {
  if (!on) {
    await db.deleteFrom('saved_papers').where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
    return true;
  }
  const paper = await db.selectFrom('papers').select('id').where('id', '=', paperId).executeTakeFirst();
  if (!paper) return false;
  await db
    .insertInto('saved_papers')
    .values({ user_id: userId, paper_id: paperId, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .execute();
  return true;
}

/** Every paper in the member's library: an index range read on the primary key's prefix. */
export async function savedIds(db: Kysely<Database>, userId: number): Promise<Set<string>> {
  const rows = await db.selectFrom('saved_papers').select('paper_id').where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.paper_id));
}
