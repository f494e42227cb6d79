// Trains the LSA model off the main thread (lsa-worker.ts), so that pages and searches go on being
// served while the built-in model is (re)trained (src/workers.ts starts it, from dist/ or the sources).
import { startWorker } from '../../workers.js';
import { deserializeLsa, type LsaModel, type TrainOptions } from './lsa.js';

export function trainLsaInWorker(docs: string[], opts: TrainOptions = {}): Promise<LsaModel> {
  const worker = startWorker(import.meta.url, 'lsa-worker');
  return new Promise<LsaModel>((resolve, reject) => {
    worker.once('message', (bytes: Uint8Array) => resolve(deserializeLsa(bytes)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training worker exited with code ${code} before answering`)));
    worker.postMessage({ docs, opts });
  }).finally(() => void worker.terminate());
}
