// Backups. SQLite: VACUUM INTO, one read transaction that writes a compacted copy of a snapshot of
// the database while the server goes on reading and writing (in WAL mode a reader does not block
// writers, nor they it). The backup API (better-sqlite3's backup()) is the other online way, but it
// starts over whenever another connection writes during the copy, so under steady writes it may
// never finish. The copy is checked (quick_check) before it counts.
// Restore copies a checked backup over the database file with the same API, and removes the
// saved vector graph beside it (rebuilt from the database at the next start). PostgreSQL: pg_dump
// in its custom format and pg_restore --clean, the server's own tools (decision 0048).
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import SQLite from 'better-sqlite3';

export class BackupError extends Error {
  override name = 'BackupError';
}

/** Copies the open database to `file` while it serves; resolves to the copy's size in pages. */
export async function backupSqlite(db: SQLite.Database, file: string): Promise<{ pages: number }> {
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  db.prepare('vacuum into ?').run(partial);
  const problem = checkSqliteFile(partial);
  if (problem) {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy failed its check: ${problem}`);
  }
  renameSync(partial, file); // a backup that exists is a whole one
  const copy = new SQLite(file, { readonly: true });
  try {
    return { pages: Number(copy.pragma('page_count', { simple: true })) };
  } finally {
    copy.close();
  }
}

/** Null if `file` is a sound SQLite database of ours, else what is wrong with it. */
export function checkSqliteFile(file: string): string | null {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') return `quick_check: ${String(check)}`;
    const ours = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'schema_migration'").get();
    return ours ? null : 'not a dailypapers database (no schema_migration table)';
  } catch (e) {
    return (e as Error).message;
  } finally {
    db?.close();
  }
}

/** Replaces the database at `target` with the backup `file` (serve must be stopped). */
export async function restoreSqlite(file: string, target: string): Promise<{ pages: number }> {
  const problem = checkSqliteFile(file);
  if (problem) throw new BackupError(`${file}: ${problem}`);
  const source = new SQLite(file, { readonly: true });
  try {
    const r = await source.backup(target);
    rmSync(`${target}-vectors`, { recursive: true, force: true }); // its graph described the old rows
    return { pages: r.totalPages };
  } finally {
    source.close();
  }
}

/** Runs a PostgreSQL client tool; rejects with its stderr when it fails or is not installed. */
function run(tool: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(new BackupError(e.code === 'ENOENT' ? `${tool} is not installed (Debian: apt-get install postgresql-client)` : e.message)),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BackupError(`${tool} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`)),
    );
  });
}

/** pg_dump in the custom format (compressed; pg_restore can pick from it). */
export async function pgDump(url: string, file: string): Promise<void> {
  const partial = `${file}.partial`;
  await run('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${url}`]);
  renameSync(partial, file);
}

/** pg_restore into the database of `url`, dropping what the dump recreates, in one transaction. */
export async function pgRestore(url: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new BackupError(`${file}: no such file`);
  await run('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${url}`, file]);
}
