// What /readyz reports of the database: whether its schema is the one this program knows
// (db/migrate.ts). Read here, so that the web layer never imports db/ code.
import { type Kysely, sql } from 'kysely';
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

/** One round trip: the database answers. */
export async function pingDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** PostgreSQL: the pgvector version installed in this database, and whether the server offers it at all. */
export async function pgvectorState(db: Kysely<Database>): Promise<{ installed: string | null; available: boolean }> {
  const { rows } = await sql<{ installed: string | null; available: string | null }>`
    select (select extversion from pg_extension where extname = 'vector') as installed,
           (select default_version from pg_available_extensions where name = 'vector') as available`.execute(db);
  return { installed: rows[0]?.installed ?? null, available: rows[0]?.available != null };
}

/** Digest messages waiting to go out (pending in the outbox; a partial index, migration 0019), and the earliest due. */
export async function digestQueue(db: Kysely<Database>): Promise<{ pending: number; earliestDue: string | null }> {
  const row = await db
    .selectFrom('digest_outbox')
    .select((eb) => [eb.fn.countAll<number>().as('pending'), eb.fn.min('next_attempt_at').as('earliest')])
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return { pending: Number(row?.pending ?? 0), earliestDue: row?.earliest ?? null };
}
