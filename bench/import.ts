// `npm run bench -- import [FILE]`: imports the real arXiv sample (84,002 papers) into a fresh
// SQLite file and a fresh PostgreSQL database through the real CLI, and prints papers per second
// and the importer's peak RSS for each, beside the bare-engine limits of PERFORMANCE.md. Embeddings
// (computed after an import unless --no-embeddings) are left out: `bench -- search` times them.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildDist, onEachEngine, ROOT as root } from './_engines.js';

const DEFAULT_FILE = path.resolve(root, '../shared/data/arxiv-sample.jsonl.gz');

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
  console.log(
    `${label.padEnd(12)} ${papers} papers in ${seconds.toFixed(1)} s = ${Math.round(papers / seconds)} papers/s, peak RSS ${rssMb.toFixed(0)} MB  (${out.trim()})`,
  );
}

export default async function bench(args: string[]) {
  const file = args[0] ?? DEFAULT_FILE;
  buildDist();
  console.log(`import benchmark: ${file}`);
  console.log('bare engines (PERFORMANCE.md): SQLite+FTS5 5,090 papers/s (16,200/s without FTS); PostgreSQL+tsvector+GIN 1,520/s with COPY');
  await onEachEngine('import', (engine, url, dataDir) => importOnce(engine, { DATABASE_URL: url, DATA_DIR: dataDir }, file));
}
