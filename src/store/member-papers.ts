// A member's marks on papers: hidden ("not interested": left out of every listing they see) and
// read (opened). One row per member and paper in each table; both undoable. Loaded as sets with
// the session for HTML pages (middleware/session.ts), like upvotes, and laid over shared pages by
// the overlay, so anonymous pages stay shared and cached.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export type Mark = 'hidden' | 'read';
const TABLE = { hidden: 'hidden_papers', read: 'read_papers' } as const;

/** Sets or clears a mark; false when the paper is unknown. Idempotent. */
export async function setMark(db: Kysely<Database>, mark: Mark, userId: number, paperId: string, on: boolean): Promise<boolean> {
  const table = TABLE[mark];
  if (!on) {
    await db.deleteFrom(table).where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
    return true;
  }
  const paper = await db.selectFrom('papers').select('id').where('id', '=', paperId).executeTakeFirst();
  if (!paper) return false;
  await db
    .insertInto(table)
    .values({ user_id: userId, paper_id: paperId, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doNothing())
    .execute();
  return true;
}

/** Every paper the member marked so: an index range read on the primary key's prefix. */
export async function markedIds(db: Kysely<Database>, mark: Mark, userId: number): Promise<Set<string>> {
  const rows = await db.selectFrom(TABLE[mark]).select('paper_id').where('user_id', '=', userId).execute();
  return new Set(rows.map((r) => r.paper_id));
}

/** The member's hidden papers, newest first, for the page that undoes them. */
export async function listHidden(db: Kysely<Database>, userId: number, limit = 200): Promise<Array<{ id: string; title: string; at: string }>> {
  return db
    .selectFrom('hidden_papers as h')
    .innerJoin('papers as p', 'p.id', 'h.paper_id')
    .select(['p.id', 'p.title', 'h.created_at as at'])
    .where('h.user_id', '=', userId)
    .orderBy('h.created_at', 'desc')
    .limit(limit)
    .execute();
}

/** The remembered /papers/new filter (null forgets it). */
export async function rememberNewFilter(db: Kysely<Database>, userId: number, categories: string | null): Promise<void> {
  await db.updateTable('users').set({ new_categories: categories }).where('id', '=', userId).execute();
}
