// The shared data version (migration 0015): bumped by triggers on every write to what visitors
// see, read by the page cache before it answers. One indexed row: a primary-key lookup.
import type { CompiledQuery, Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.js';

// Read before every shared page: compiled once per database, not on each call (Kysely's query
// building is most of the cost of a one-row primary-key read).
const compiled = new WeakMap<Kysely<Database>, CompiledQuery<{ version: number | string }>>();

export async function dataVersion(db: Kysely<Database>): Promise<number> {
  let q = compiled.get(db);
  if (!q) {
    q = db.selectFrom('data_version').select('version').where('scope', '=', 'shared').compile();
    compiled.set(db, q);
  }
  const row = (await db.executeQuery(q)).rows[0];
  return row ? Number(row.version) : 0;
}

/** For writes no trigger sees (search vectors, written outside the migrated tables). */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db.updateTable('data_version').set({ version: sql`version + 1` }).where('scope', '=', 'shared').execute();
}
