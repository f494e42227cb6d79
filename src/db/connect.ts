// connect(config) -> a Kysely handle on SQLite (better-sqlite3) or PostgreSQL (pg), the only place
// that knows which engine is behind it.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../config.js';
import { loadDpBm25 } from './dp-bm25.js';
import { Listener } from './listen.js';
import { PreparingClient } from './prepared.js';
import { tune } from './sqlite-tuning.js';
import type { Database, Dialect } from './schema.js';
import { sqliteReaders } from './sqlite-readers.js';

export interface Db {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle, for the few things Kysely cannot say (pragmas, backups). */
  sqlite?: SQLite.Database;
  /** SQLite: whether the dp_bm25 ranking function (src/search/native) is loaded. */
  dpBm25?: boolean;
  /**
   * SQLite: read-only connections in worker threads (sqlite-readers.ts), started on first use,
   * for long reads that must not hold the event loop (search). The main handle for an in-memory
   * database, which other connections cannot see.
   */
  readers?: () => Kysely<Database>;
  /** PostgreSQL: the connection pool's state, for /metrics. */
  pool?: () => { total: number; idle: number; waiting: number; max: number };
  /** PostgreSQL: hears NOTIFYs on a channel, on a connection of its own (db/listen.ts); until closed. */
  listen?: Listener['add'];
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
    if (config.path !== ':memory:') tune(sqlite);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingPrepare(sqlite) }) });
    let readers: Kysely<Database> | null = null;
    return {
      db,
      dialect: 'sqlite',
      sqlite,
      dpBm25: loadDpBm25(sqlite),
      readers: () => {
        if (config.path === ':memory:') return db;
        readers ??= sqliteReaders(config.path);
        return readers;
      },
      close: async () => {
        await readers?.destroy();
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: config.url, max: 10, Client: PreparingClient });
  // An idle connection that the server ends (a restart, pg_terminate_backend, a dropped database)
  // is an 'error' on the pool; unheard, it would kill the process. The pool drops that client and
  // opens a new one for the next query, so there is nothing to do but not crash.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`);
  });
  // A client checked out between two queries (db.connection(), a transaction) gets no idle
  // listener from the pool, so a server restart or pg_terminate_backend at that moment would be
  // an unheard 'error' and end the process. Heard here: the next query on it fails, and the pool
  // drops the dead client when it is released (found by bench/cluster.ts).
  pool.on('connect', (client) => {
    client.on('error', (err) => process.emitWarning(`PostgreSQL closed a connection in use: ${err.message}`));
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let listener: Listener | null = null;
  return {
    db,
    dialect: 'postgres',
    pool: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: 10 }),
    listen: (channel, onMessage, onState) => {
      listener ??= new Listener(config.url);
      return listener.add(channel, onMessage, onState);
    },
    close: async () => {
      await listener?.stop();
      await db.destroy();
    },
  };
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
