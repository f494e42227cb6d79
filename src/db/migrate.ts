// Numbered migrations, applied in order by `migrate` and by `serve` at start. A database that has
// run a migration this program does not know is newer than the program: refuse it rather than
// write to a schema we do not understand (the miniflux rule).
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_ingest.js';
import * as m0003 from './migrations/0003_search.js';
import * as m0005 from './migrations/0005_members.js';
import * as m0006 from './migrations/0006_digests.js';
import * as m0007 from './migrations/0007_vector_log.js';
import * as m0008 from './migrations/0008_search_order.js';
import * as m0009 from './migrations/0009_filter_indexes.js';
import * as m0010 from './migrations/0010_search_tags.js';
import * as m0011 from './migrations/0011_search_pairs.js';
import * as m0012 from './migrations/0012_search_inline.js';
import * as m0013 from './migrations/0013_comment_html.js';
import * as m0014 from './migrations/0014_account_security.js';
import * as m0015 from './migrations/0015_data_version.js';
import * as m0016 from './migrations/0016_daily_loop.js';
import * as m0017 from './migrations/0017_library.js';
import * as m0018 from './migrations/0018_recommend.js';
import * as m0019 from './migrations/0019_cluster.js';
import * as m0021 from './migrations/0021_cache_scopes.js';
import * as m0022 from './migrations/0022_version_payloads.js';
import * as m0024 from './migrations/0024_paper_neighbours.js';
import * as m0025 from './migrations/0025_version_shards.js';
import * as m0026 from './migrations/0026_search_terms.js';
import type { Database, Dialect } from './schema.js';

type Step = { up(db: Kysely<any>, dialect: Dialect): Promise<void> };

/** Every migration, in order. Names are the file names; never rename or reorder one. */
export const MIGRATIONS: Record<string, Step> = {
  '0001_initial': m0001,
  '0002_ingest': m0002,
  '0003_search': m0003,
  '0005_members': m0005,
  '0006_digests': m0006,
  '0007_vector_log': m0007,
  '0008_search_order': m0008,
  '0009_filter_indexes': m0009,
  '0010_search_tags': m0010,
  '0011_search_pairs': m0011,
  '0012_search_inline': m0012,
  '0013_comment_html': m0013,
  '0014_account_security': m0014,
  '0015_data_version': m0015,
  '0016_daily_loop': m0016,
  '0017_library': m0017,
  '0018_recommend': m0018,
  '0019_cluster': m0019,
  '0021_cache_scopes': m0021,
  '0022_version_payloads': m0022,
  '0024_paper_neighbours': m0024,
  '0025_version_shards': m0025,
  '0026_search_terms': m0026,
};

const TABLE = 'schema_migration';
/** How long a process waits for another that is migrating the same SQLite file. */
const SQLITE_WAIT_MS = 10 * 60_000;
const LOCK_TABLE = 'schema_migration_lock';

function provider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const [name, step] of Object.entries(MIGRATIONS)) out[name] = { up: (db) => step.up(db, dialect) };
      return out;
    },
  };
}

function migrator(db: Kysely<Database>, dialect: Dialect) {
  return new Migrator({ db, provider: provider(dialect), migrationTableName: TABLE, migrationLockTableName: LOCK_TABLE });
}

export class SchemaError extends Error {
  override name = 'SchemaError';
}

export interface SchemaState {
  applied: string[];
  pending: string[];
  /** Applied migrations this program does not know: the schema is newer than the code. */
  unknown: string[];
}

export async function schemaState(db: Kysely<Database>): Promise<SchemaState> {
  let applied: string[] = [];
  try {
    const rows = await sql<{ name: string }>`select name from ${sql.table(TABLE)} order by name`.execute(db);
    applied = rows.rows.map((r) => r.name);
  } catch {
    applied = []; // a fresh database has no migration table yet
  }
  const known = Object.keys(MIGRATIONS);
  return {
    applied,
    pending: known.filter((n) => !applied.includes(n)),
    unknown: applied.filter((n) => !known.includes(n)),
  };
}

/** Applies pending migrations; returns their names. Throws SchemaError on a newer schema. */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const state = await schemaState(db);
  if (state.unknown.length > 0) {
    throw new SchemaError(
      `the database schema is newer than this program: it has migration(s) ${state.unknown.join(', ')}, ` +
        `and this dailypapers knows up to ${Object.keys(MIGRATIONS).at(-1)}; upgrade dailypapers`,
    );
  }
  if (state.pending.length === 0) return [];
  const { error, results } =
    dialect === 'sqlite' ? await sqliteExclusively(db, () => migrator(db, dialect).migrateToLatest()) : await migrator(db, dialect).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new SchemaError(`migration ${failed ?? '?'} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Runs `work` (the migrator) inside one `BEGIN IMMEDIATE` transaction on SQLite's one connection.
 * Kysely's SQLite migrator takes no lock and no transaction (its adapter has no transactional
 * DDL), so two processes starting on one fresh file both applied the first migrations and one
 * failed on "table already exists"; a crash midway left a half-applied migration. The write lock
 * taken at BEGIN makes the others wait (busy_timeout, then again, up to SQLITE_WAIT_MS); when they
 * get it the migrator reads the migrations table anew and finds nothing left to apply. A run that
 * fails rolls back whole, leaving the schema as it was before it. PostgreSQL's migrator has its own advisory lock and transaction.
 */
async function sqliteExclusively<T extends { error?: unknown }>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + SQLITE_WAIT_MS;
  for (;;) {
    try {
      await sql`begin immediate`.execute(db);
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline)
        throw new SchemaError(`could not lock the database to migrate it: ${(e as Error).message} (is another process migrating it?)`);
    }
  }
  let result: T;
  try {
    result = await work();
  } catch (e) {
    await sql`rollback`.execute(db);
    throw e;
  }
  await sql.raw(result.error ? 'rollback' : 'commit').execute(db);
  return result;
}
