// What the benchmarks share: building dist/ for those that run the real CLI, and running a
// measurement once on a fresh SQLite file and once on a fresh PostgreSQL database.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Compiles src/ into dist/, so a benchmark of the CLI measures the program users run. */
export function buildDist() {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
}

export type Engine = 'sqlite' | 'postgres';

/**
 * Runs `measure` on a fresh SQLite file, then on a fresh PostgreSQL database (created from
 * TEST_DATABASE_URL's server and dropped after; skipped with a line if it cannot be reached).
 */
export async function onEachEngine(name: string, measure: (engine: Engine, url: string, dataDir: string) => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), `dp-bench-${name}-`));
  try {
    await measure('sqlite', `sqlite:${dir}/bench.db`, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const admin = new pg.Client({ connectionString: PG_ADMIN });
  try {
    await admin.connect();
  } catch (e) {
    console.log(`postgres   skipped: cannot connect to ${PG_ADMIN} (${(e as Error).message})`);
    return;
  }
  const db = `dp_bench_${name}_${process.pid}`;
  const pgDir = mkdtempSync(path.join(tmpdir(), `dp-bench-${name}-`));
  try {
    await admin.query(`create database ${db}`);
    const url = new URL(PG_ADMIN);
    url.pathname = `/${db}`;
    await measure('postgres', url.toString(), pgDir);
  } finally {
    await admin.query(`drop database if exists ${db} with (force)`);
    await admin.end();
    rmSync(pgDir, { recursive: true, force: true });
  }
}

/** A fresh database for a benchmark that manages its own lifetime (SQLite in `dir`, or PostgreSQL). */
export async function freshDatabase(name: string, engine: Engine, dir: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (engine === 'sqlite') return { url: `sqlite:${path.join(dir, 'bench.db')}`, drop: async () => {} };
  const db = `dp_bench_${name}_${process.pid}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`drop database if exists ${db} with (force)`);
  await run(`create database ${db}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${db}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${db} with (force)`) };
}
