// `npm run bench -- import [FILE]`: imports the real arXiv sample (84,002 papers) into a fresh
// SQLite file and a fresh PostgreSQL database through the real CLI, and prints papers per second
// and the importer's peak RSS for each, beside the bare-engine limits of PERFORMANCE.md. Embeddings
// (computed after an import unless --no-embeddings) are left out: `bench -- search` times them.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const DEFAULT_FILE = path.resolve(root, '../shared/data/arxiv-sample.jsonl.gz');
const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// Runs `dailypapers import` from dist/ in a child and reads its peak RSS from inside it.
const CHILD = `
const { main } = await import(${JSON.stringify(path.join(root, 'dist/cli/main.js'))});
const code = await main(process.argv.slice(1), { env: process.env, stdout: process.stdout, stderr: process.stderr });
process.stderr.write('BENCH maxRSS=' + process.resourceUsage().maxRSS + '\\n');
process.exitCode = code;`;

async function importOnce(label: string, env: Record<string, string>, file: string) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, 'import', '--no-embeddings', file], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`${label}: import exited ${code}\n${err}`);
  const m = /(\d+) new, (\d+) updated, (\d+) unchanged, (\d+) rejected/.exec(out);
  const papers = m ? Number(m[1]) + Number(m[2]) + Number(m[3]) : NaN;
  const rssMb = Number(/BENCH maxRSS=(\d+)/.exec(err)?.[1]) / 1024;
  console.log(`${label.padEnd(12)} ${papers} papers in ${seconds.toFixed(1)} s = ${Math.round(papers / seconds)} papers/s, peak RSS ${rssMb.toFixed(0)} MB  (${out.trim()})`);
}

export default async function bench(args: string[]) {
  const file = args[0] ?? DEFAULT_FILE;
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  console.log(`import benchmark: ${file}`);
  console.log('bare engines (PERFORMANCE.md): SQLite+FTS5 5,090 papers/s (16,200/s without FTS); PostgreSQL+tsvector+GIN 1,520/s with COPY');

  const dir = mkdtempSync(path.join(tmpdir(), 'dp-bench-import-'));
  try {
    await importOnce('sqlite', { DATABASE_URL: `sqlite:${dir}/bench.db`, DATA_DIR: dir }, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const name = `dp_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  try {
    await admin.connect();
  } catch (e) {
    console.log(`postgres     skipped: cannot connect to ${PG_ADMIN} (${(e as Error).message})`);
    return;
  }
  await admin.query(`create database ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  const pgDir = mkdtempSync(path.join(tmpdir(), 'dp-bench-import-'));
  try {
    await importOnce('postgres', { DATABASE_URL: url.toString(), DATA_DIR: pgDir }, file);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    rmSync(pgDir, { recursive: true, force: true });
  }
}
