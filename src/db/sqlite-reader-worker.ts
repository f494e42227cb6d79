// One SQLite connection in a worker thread, for sqlite-readers.ts: it runs the read statements it
// is sent, one at a time, and answers with their rows. `query_only` refuses any write.
import SQLite from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { loadDpBm25 } from './dp-bm25.js';
import { tune } from './sqlite-tuning.js';

export interface ReaderRequest {
  id: number;
  sql: string;
  params: readonly unknown[];
}
export type ReaderAnswer = { id: number; rows: unknown[] } | { id: number; error: string; code?: string };

const db = new SQLite((workerData as { path: string }).path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('query_only = ON');
tune(db);
loadDpBm25(db);

const statements = new Map<string, SQLite.Statement>();
parentPort!.on('message', ({ id, sql, params }: ReaderRequest) => {
  let answer: ReaderAnswer;
  try {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size >= 1000) statements.delete(statements.keys().next().value!);
      statements.set(sql, stmt);
    }
    let rows: unknown[] = [];
    if (stmt.reader) rows = stmt.all(params);
    else stmt.run(params);
    answer = { id, rows };
  } catch (e) {
    answer = { id, error: (e as Error).message, code: (e as { code?: string }).code };
  }
  parentPort!.postMessage(answer);
});
