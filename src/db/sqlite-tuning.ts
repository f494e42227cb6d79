// Settings every SQLite connection of the app gets, the main one and the search readers alike.
import type SQLite from 'better-sqlite3';

/**
 * Memory-mapped reads (https://sqlite.org/mmap.html), up to SQLite's compiled limit (2 GiB; a
 * larger value is capped to it). A search at a million papers reads thousands of FTS5 pages,
 * which without it are each a pread() copied into the connection's page cache, a cache too small
 * for them: the lexical side of 200 benchmark searches went from p50 12.3 / p90 35.1 ms to
 * 7.8 / 19.7 ms (decision 0023). Writes still go through write(); the mapping is of the OS's page
 * cache, so it costs no memory of its own (a process's RSS counts the mapped pages it touched).
 */
export const MMAP_BYTES = 2_147_418_112;

export function tune(db: SQLite.Database): void {
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
}
