// Instance-wide settings in the `meta` key-value table (migration 0001), shared by every instance
// and command on the database: the generated secret lives here (auth/instance-secret.ts).
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export async function getSetting(db: Kysely<Database>, key: string): Promise<string | null> {
  const row = await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

/**
 * Stores `value` under `key` unless a value is there already, and returns the one that stays: the
 * first writer wins, so instances starting at once all end up with the same value.
 */
export async function settleSetting(db: Kysely<Database>, key: string, value: string): Promise<string> {
  await db
    .insertInto('meta')
    .values({ key, value, updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  return (await getSetting(db, key))!;
}
