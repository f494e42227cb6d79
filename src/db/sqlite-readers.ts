// Read-only SQLite connections in worker threads, for search (decision 0022). better-sqlite3 is
// synchronous: an FTS5 query of 10-30 ms on a million papers held the event loop, so the semantic
// side of the same search, and every other request, waited for it. A search's lexical queries go
// to one of these connections instead (WAL: readers see every committed write, none blocks the
// writer), while the main thread embeds the query and walks the vector graph.
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../workers.js';
import type { ReaderAnswer } from './sqlite-reader-worker.js';
import type { Database } from './schema.js';

class ReaderConnection implements DatabaseConnection {
  private worker: Worker;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (e: Error) => void }>();

  constructor(private readonly path: string) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = startWorker(import.meta.url, 'sqlite-reader-worker', { path: this.path });
    worker.unref(); // an idle reader never keeps the process alive
    worker.on('message', (a: ReaderAnswer) => {
      const p = this.pending.get(a.id);
      this.pending.delete(a.id);
      if (!p) return;
      if ('rows' in a) p.resolve(a.rows);
      else p.reject(Object.assign(new Error(a.error), { code: a.code }));
    });
    // A reader that dies (out of memory, a crash in native code) fails what it was running and
    // is started again for the next query.
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => {
      if (this.pending.size) this.fail(new Error(`the SQLite reader exited with code ${code}`));
      if (!this.closed) this.worker = this.start();
    });
    return worker;
  }

  private fail(e: Error) {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  closed = false;

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const id = this.next++;
    return new Promise<QueryResult<R>>((resolve, reject) => {
      this.pending.set(id, { resolve: (rows) => resolve({ rows: rows as R[] }), reject });
      this.worker.postMessage({ id, sql: compiled.sql, params: compiled.parameters });
    });
  }

  // Kysely calls this inside its own for await, so throwing here fails the stream as a generator would.
  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the SQLite readers do not stream');
  }

  async close() {
    this.closed = true;
    await this.worker.terminate();
  }
}

class ReaderDriver implements Driver {
  private readonly idle: ReaderConnection[] = [];
  private readonly all: ReaderConnection[] = [];
  private readonly waiting: Array<(c: ReaderConnection) => void> = [];

  constructor(
    private readonly path: string,
    private readonly size: number,
  ) {}

  async init() {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const free = this.idle.pop();
    if (free) return free;
    if (this.all.length < this.size) {
      const c = new ReaderConnection(this.path);
      this.all.push(c);
      return c;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async releaseConnection(connection: DatabaseConnection) {
    const c = connection as ReaderConnection;
    const waiter = this.waiting.shift();
    if (waiter) waiter(c);
    else this.idle.push(c);
  }

  async beginTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(c: DatabaseConnection) {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy() {
    await Promise.all(this.all.map((c) => c.close()));
  }
}

/**
 * A Kysely handle whose queries run on `size` read-only connections to the SQLite file at `path`,
 * each in its own worker thread, started on first use.
 */
export function sqliteReaders(path: string, size = 2): Kysely<Database> {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new ReaderDriver(path, size),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return new Kysely<Database>({ dialect });
}
