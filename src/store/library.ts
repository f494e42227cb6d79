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

/** The member's saved papers, newest first, one page of ids, and how many there are in all. */
export async function savedPage(
  db: Kysely<Database>,
  userId: number,
  paging: { offset: number; limit: number },
): Promise<{ ids: Array<{ id: string; savedAt: string }>; total: number }> {
  const [rows, n] = await Promise.all([
    db
      .selectFrom('saved_papers')
      .select(['paper_id as id', 'created_at as savedAt'])
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .orderBy('paper_id', 'desc')
      .offset(paging.offset)
      .limit(paging.limit)
      .execute(),
    db
      .selectFrom('saved_papers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow(),
  ]);
  return { ids: rows, total: Number(n.n) };
}

/** A member's private note on a paper (its Markdown and the HTML rendered when it was written). */
export interface Note {
  paperId: string;
  body: string;
  html: string;
  updatedAt: string;
}

export async function getNote(db: Kysely<Database>, userId: number, paperId: string): Promise<Note | null> {
  const r = await db
    .selectFrom('paper_notes')
    .select(['paper_id', 'body', 'body_html', 'updated_at'])
    .where('user_id', '=', userId)
    .where('paper_id', '=', paperId)
    .executeTakeFirst();
  return r ? { paperId: r.paper_id, body: r.body, html: r.body_html, updatedAt: r.updated_at } : null;
}

/** Writes (or, with an empty body, deletes) the note; false when the paper is unknown. */
export async function setNote(db: Kysely<Database>, userId: number, paperId: string, body: string, html: string): Promise<boolean> {
  if (body === '') {
    await db.deleteFrom('paper_notes').where('user_id', '=', userId).where('paper_id', '=', paperId).execute();
    return true;
  }
  const paper = await db.selectFrom('papers').select('id').where('id', '=', paperId).executeTakeFirst();
  if (!paper) return false;
  const now = new Date().toISOString();
  await db
    .insertInto('paper_notes')
    .values({ user_id: userId, paper_id: paperId, body, body_html: html, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(['user_id', 'paper_id']).doUpdateSet({ body, body_html: html, updated_at: now }))
    .execute();
  return true;
}
