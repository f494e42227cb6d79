// Loading dp_bm25 (src/search/native/dp_bm25.c) into a better-sqlite3 connection: the main one
// (connect.ts) and the search readers' (sqlite-reader-worker.ts).
import path from 'node:path';
import type SQLite from 'better-sqlite3';

/** Where `npm install` builds the extension (scripts/build-native.mjs): build/ beside src/ and dist/. */
const DP_BM25 = path.resolve(
  import.meta.dirname,
  '../../build',
  process.platform === 'darwin' ? 'dp_bm25.dylib' : process.platform === 'win32' ? 'dp_bm25.dll' : 'dp_bm25.so',
);
let warned = false;

/**
 * FTS5's bm25 with the IDFs passed in (src/search/native/dp_bm25.c): optional; without it search
 * ranks with bm25(), the same order, which recounts every word's documents on every query.
 */
export function loadDpBm25(sqlite: SQLite.Database): boolean {
  try {
    // better-sqlite3 passes an entry point on to sqlite3_load_extension; its types know only the path.
    (sqlite.loadExtension as (file: string, entry: string) => void)(DP_BM25, 'sqlite3_dpbm_init');
    return true;
  } catch (e) {
    if (!warned) {
      warned = true;
      process.emitWarning(
        `the SQLite extension dp_bm25 did not load (${(e as Error).message}); search ranks with FTS5's bm25(), slower for common words on large databases (npm install builds it with a C compiler)`,
      );
    }
    return false;
  }
}
