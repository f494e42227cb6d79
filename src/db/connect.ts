// connect(config) -> a Kysely handle on SQLite (better-sqlite3) or PostgreSQL (pg), the only place
// that knows which engine is behind it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import type { Database, Dialect } from './schema.js';

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle, for the few things Kysely cannot say (pragmas, backups). */
  sqlite?: SQLite.Database;
  /** SQLite: whether the dp_bm25 ranking function (src/search/native) is loaded. */
  dpBm25?: boolean;
  close(): Promise<void>;
}

// int8 (count(*), bigint sums) arrives as a string by default, to protect values over 2^53;
// ours are counts and ids far below that.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export async function connect(config: DatabaseConfig): Promise<Db> {
  if (config.kind === 'sqlite') {
    if (config.path !== ':memory:') mkdirSync(path.dirname(config.path), { recursive: true });
    const sqlite = new SQLite(config.path);
    // WAL lets readers (pages) run while the importer writes; NORMAL sync is durable across a
    // process crash in WAL mode (only an OS crash may lose the last commits); the busy timeout
    // makes a second process wait for the write lock instead of failing at once.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingPrepare(sqlite) }) });
    return { db, dialect: 'sqlite', sqlite, dpBm25: loadDpBm25(sqlite), close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10 });
  // An idle connection that the server ends (a restart, pg_terminate_backend, a dropped database)
  // is an 'error' on the pool; unheard, it would kill the process. The pool drops that client and
  // opens a new one for the next query, so there is nothing to do but not crash.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** Where `npm install` builds the extension (scripts/build-native.mjs): build/ beside src/ and dist/. */
const DP_BM25 = path.resolve(import.meta.dirname, '../../build', process.platform === 'darwin' ? 'dp_bm25.dylib' : process.platform === 'win32' ? 'dp_bm25.dll' : 'dp_bm25.so');
let warned = false;

/**
 * FTS5's bm25 with the IDFs passed in (src/search/native/dp_bm25.c): optional; without it search
 * ranks with bm25(), the same order, which recounts every word's documents on every query.
 */
function loadDpBm25(sqlite: SQLite.Database): boolean {
  try {
    // better-sqlite3 passes an entry point on to sqlite3_load_extension; its types know only the path.
    (sqlite.loadExtension as (file: string, entry: string) => void)(DP_BM25, 'sqlite3_dpbm_init');
    return true;
  } catch (e) {
    if (!warned) {
      warned = true;
      process.emitWarning(`the SQLite extension dp_bm25 did not load (${(e as Error).message}); search ranks with FTS5's bm25(), slower for common words on large databases (npm install builds it with a C compiler)`);
    }
    return false;
  }
}

/**
 * Kysely's SQLite driver prepares every statement anew; compiling the SQL is a large share of a
 * page's cost. Statements are reusable, and Kysely runs one query at a time per connection (its
 * mutex), so a statement is never busy when handed out again. Keyed by SQL text, bounded (bulk
 * inserts of varying row counts make distinct texts).
 */
function cachingPrepare(sqlite: SQLite.Database, max = 1000) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-insert: Map order makes this an LRU
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
