// Papers' "Similar papers" lists kept for every instance (migration 0024).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

/** The paper's list computed by `model` no earlier than `since` (ISO), or null. */
export async function keptNeighbours(db: Kysely<Database>, paperId: string, model: string, since: string): Promise<string[] | null> {
  const row = await db
    .selectFrom('paper_neighbours')
    .select(['ids'])
    .where('paper_id', '=', paperId)
    .where('model', '=', model)
    .where('computed_at', '>=', since)
    .executeTakeFirst();
  return row ? (JSON.parse(row.ids) as string[]) : null;
}

/** Keeps the paper's list; a paper deleted meanwhile keeps nothing. */
export async function keepNeighbours(db: Kysely<Database>, paperId: string, model: string, ids: string[], now = new Date()): Promise<void> {
  const row = { paper_id: paperId, model, ids: JSON.stringify(ids), computed_at: now.toISOString() };
  try {
    await db
      .insertInto('paper_neighbours')
      .values(row)
      .onConflict((oc) => oc.column('paper_id').doUpdateSet({ model: row.model, ids: row.ids, computed_at: row.computed_at }))
      .execute();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== '23503' && code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw e;
  }
}
