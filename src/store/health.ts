// What /readyz reports of the database: whether its schema is the one this program knows
// (db/migrate.ts). Read here, so that the web layer never imports db/ code.
import type { Kysely } from 'kysely';
import { schemaState } from '../db/migrate.js';
import type { Database } from '../db/schema.js';

export interface SchemaHealth {
  /** Every migration this program knows is applied, and no other. */
  current: boolean;
  /** The last migration applied, or null on an empty database. */
  applied: string | null;
  pending: string[];
  /** Applied migrations this program does not know: the schema is newer than the code. */
  unknown: string[];
}

export async function schemaHealth(db: Kysely<Database>): Promise<SchemaHealth> {
  const state = await schemaState(db);
  return {
    current: state.pending.length === 0 && state.unknown.length === 0,
    applied: state.applied.at(-1) ?? null,
    pending: state.pending,
    unknown: state.unknown,
  };
}
