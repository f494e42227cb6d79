// The RUM index over paper_search.tsv (https://github.com/postgrespro/rum, Debian package
// postgresql-15-rum): like GIN, but its posting lists keep each lexeme's positions and weights, so
// `order by tsv <=> query limit k` is answered from the index without reading a tsvector from the
// table. It is optional and made at run time: without the extension, or until the index is built,
// lexical-postgres.ts answers with GIN and ts_rank_cd as before (decision 0017).
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';

/**
 * A search does not wait for the index: the build starts this long after the first search, on a
 * timer that does not keep the process alive, so that a one-shot command (`papers search`) exits
 * at once instead of waiting minutes in db.close() for a build it started; `serve` lives on and
 * builds it.
 */
const BUILD_DELAY_MS = 15_000;
/** While the index is not there, how often a process looks whether another one has built it. */
const RECHECK_MS = 30_000;
/** One builder at a time across processes (a session advisory lock; any fixed number will do). */
const BUILD_LOCK = 1_752_460_017;

export interface RumIndex {
  /** Whether searches may rank with `<=>` now; never waits for a build (it schedules one). */
  ready(): Promise<boolean>;
  /** Builds the index now, or waits for the build under way; true once it is valid. */
  build(): Promise<boolean>;
}

const indexes = new WeakMap<Kysely<Database>, RumIndex>();

/** One per database handle, so the extension is tried and the build started once per process. */
export function rumIndex(db: Kysely<Database>, log?: Logger): RumIndex {
  let index = indexes.get(db);
  if (!index) {
    index = createRumIndex(db, log);
    indexes.set(db, index);
  }
  return index;
}

type Status = 'missing' | 'invalid' | 'valid';

function createRumIndex(db: Kysely<Database>, log?: Logger): RumIndex {
  let extension: Promise<boolean> | null = null;
  let valid = false;
  let checkedAt = 0;
  let building: Promise<boolean> | null = null;
  let scheduled = false;
  /** A build failed (no privilege, disk full): logged once; this process stops trying. */
  let failed = false;

  async function createExtension(): Promise<boolean> {
    try {
      await sql`create extension if not exists rum`.execute(db);
      return true;
    } catch (e) {
      // Two processes creating it at once: the loser fails on pg_extension's unique index.
      const there = await sql<{ ok: boolean }>`select exists (select 1 from pg_extension where extname = 'rum') as ok`.execute(db)
        .then((r) => r.rows[0]?.ok === true, () => false);
      if (there) return true;
      log?.warn(
        { err: (e as Error).message },
        'lexical search ranks every match of a query (slow for common words at a million papers): PostgreSQL has no rum extension; install postgresql-15-rum (the package for the server\'s major version) and restart',
      );
      return false;
    }
  }

  /**
   * CREATE INDEX CONCURRENTLY leaves an index that is not yet valid (pg_index.indisvalid) while it
   * runs, and for good if it was interrupted; the planner uses only valid ones.
   */
  async function status(): Promise<Status> {
    const r = await sql<{ valid: boolean }>`select indisvalid as valid from pg_index
      where indexrelid = to_regclass('paper_search_rum')`.execute(db);
    const row = r.rows[0];
    return row === undefined ? 'missing' : row.valid ? 'valid' : 'invalid';
  }

  /**
   * CONCURRENTLY: a plain CREATE INDEX would hold off every insert into papers (the search
   * trigger writes paper_search) for the minutes a million rows take. The advisory lock makes one
   * process the builder; an invalid index found while holding it is a leftover of an interrupted
   * build and is dropped first. A larger maintenance_work_mem than the default 64 MB lets the
   * build sort its posting lists in fewer passes.
   */
  async function runBuild(): Promise<boolean> {
    return db.connection().execute(async (conn) => {
      const locked = await sql<{ ok: boolean }>`select pg_try_advisory_lock(${BUILD_LOCK}) as ok`.execute(conn);
      if (locked.rows[0]?.ok !== true) return false; // another process is building it
      try {
        const now = await status();
        if (now === 'valid') return true;
        if (now === 'invalid') await sql`drop index concurrently if exists paper_search_rum`.execute(conn);
        const started = performance.now();
        log?.info('building the RUM index paper_search_rum in the background (lexical search uses GIN until it is ready)');
        await sql`set maintenance_work_mem = '256MB'`.execute(conn);
        await sql`create index concurrently if not exists paper_search_rum on paper_search using rum (tsv rum_tsvector_ops)`.execute(conn);
        log?.info({ seconds: Math.round((performance.now() - started) / 1000) }, 'built the RUM index paper_search_rum');
        return (await status()) === 'valid';
      } finally {
        await sql`reset maintenance_work_mem`.execute(conn).catch(() => {});
        await sql`select pg_advisory_unlock(${BUILD_LOCK})`.execute(conn).catch(() => {});
      }
    });
  }

  function build(): Promise<boolean> {
    building ??= (async () => {
      if (!(await (extension ??= createExtension()))) return false;
      valid = await runBuild();
      return valid || (await status()) === 'valid';
    })().catch((e: Error) => {
      failed = true;
      log?.error({ err: e.message }, 'building the RUM index failed; lexical search stays on GIN');
      return false;
    }).finally(() => {
      building = null;
    });
    return building;
  }

  async function ready(): Promise<boolean> {
    if (valid) return true;
    if (!(await (extension ??= createExtension()))) return false;
    if (Date.now() - checkedAt < RECHECK_MS) return false;
    checkedAt = Date.now();
    const now = await status();
    valid = now === 'valid';
    if (!valid && !building && !scheduled && !failed) {
      scheduled = true;
      setTimeout(() => {
        scheduled = false;
        void build();
      }, BUILD_DELAY_MS).unref();
    }
    return valid;
  }

  return { ready, build };
}
