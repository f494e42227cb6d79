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

/**
 * Featured papers of days from `fromDay` on whose list by `model` is missing or older than `since`,
 * newest days first, at most `max`.
 */
export async function papersWithoutNeighbours(db: Kysely<Database>, model: string, since: string, fromDay: string, max: number): Promise<string[]> {
  const rows = await db
    .selectFrom('featured as f')
    .leftJoin('paper_neighbours as n', (j) => j.onRef('n.paper_id', '=', 'f.paper_id').on('n.model', '=', model).on('n.computed_at', '>=', since))
    .select('f.paper_id')
    .where('f.day', '>=', fromDay)
    .where('n.paper_id', 'is', null)
    .orderBy('f.day', 'desc')
    .orderBy('f.paper_id')
    .limit(max)
    .execute();
  return rows.map((r) => r.paper_id);
}
