// Starting a worker thread from a module beside the caller. From dist/ the worker is plain
// JavaScript; from the TypeScript sources (tests, benchmarks, `tsx`) a two-line bootstrap registers
// tsx in the worker first, since a worker does not inherit the loader its parent runs under.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** `base` is the caller's import.meta.url, `name` the worker module's name without extension. */
export function startWorker(base: string, name: string, workerData?: unknown): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base), { workerData });
  // tsx's ESM entry (require.resolve would give its CommonJS one, which the worker cannot use).
  const pkg = createRequire(base).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(path.join(path.dirname(pkg), entry)).href;
  const target = new URL(`./${name}.ts`, base).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, { eval: true, workerData });
}
