// Builds the SQLite extension of src/search/native (dp_bm25, FTS5's bm25 with IDFs given) into
// build/, against the SQLite headers that better-sqlite3 compiles with. Run by `npm install`
// (the prepare script). Optional: without a C compiler the search service uses FTS5's bm25()
// (the same ranking, slower for common words at a million papers), so a failure is one line.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'build', process.platform === 'darwin' ? 'dp_bm25.dylib' : process.platform === 'win32' ? 'dp_bm25.dll' : 'dp_bm25.so');
try {
  const headers = path.join(path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'deps', 'sqlite3');
  mkdirSync(path.dirname(out), { recursive: true });
  const cc = process.env.CC ?? 'cc';
  const shared = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
  execFileSync(cc, ['-O2', '-fPIC', ...shared, `-I${headers}`, '-o', out, path.join(root, 'src/search/native/dp_bm25.c')], { stdio: 'pipe' });
  console.log(`built ${path.relative(root, out)}`);
} catch (e) {
  const msg = e.stderr?.toString().trim() || e.message;
  console.warn(`dailypapers: could not build the SQLite extension dp_bm25 (${msg.split('\n')[0]}); search uses FTS5's bm25() instead`);
}
