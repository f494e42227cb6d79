// Trains the LSA model off the main thread (lsa-worker.ts), so that pages and searches go on being
// served while the built-in model is (re)trained. From dist/ the worker is plain JavaScript; from
// the TypeScript sources (tests, benchmarks) a two-line bootstrap registers tsx in the worker first.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { deserializeLsa, type LsaModel, type TrainOptions } from './lsa.js';

function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./lsa-worker.js', import.meta.url));
  // tsx's ESM entry (require.resolve would give its CommonJS one, which the worker cannot use).
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json');
  const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports: Record<string, { import: { default: string } }> }).exports['./esm/api']!.import.default;
  const tsx = pathToFileURL(path.join(path.dirname(pkg), entry)).href;
  const target = new URL('./lsa-worker.ts', import.meta.url).href;
  return new Worker(`import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`, { eval: true });
}

export function trainLsaInWorker(docs: string[], opts: TrainOptions = {}): Promise<LsaModel> {
  const worker = startWorker();
  return new Promise<LsaModel>((resolve, reject) => {
    worker.once('message', (bytes: Uint8Array) => resolve(deserializeLsa(bytes)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training worker exited with code ${code} before answering`)));
    worker.postMessage({ docs, opts });
  }).finally(() => void worker.terminate());
}
