// The shared data version (migration 0015): bumped by triggers on every write to what visitors
// see, read by the page cache before it answers. One indexed row: a primary-key lookup.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema.js';

export async function dataVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('data_version').select('version').where('scope', '=', 'shared').executeTakeFirst();
  return row ? Number(row.version) : 0;
}

/** For writes no trigger sees (search vectors, written outside the migrated tables). */
export async function bumpDataVersion(db: Kysely<Database>): Promise<void> {
  await db.updateTable('data_version').set({ version: sql`version + 1` }).where('scope', '=', 'shared').execute();
}
