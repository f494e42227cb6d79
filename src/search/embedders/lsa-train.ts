// Trains the LSA model off the main thread (lsa-worker.ts), so that pages and searches go on being
// served while the built-in model is (re)trained (src/workers.ts starts it, from dist/ or the sources).
import { startWorker } from '../../workers.js';
import { deserializeLsa, type LsaModel, type TrainOptions } from './lsa.js';

/** LSA on `docs`, then, with `pairs`, contrastive fine-tuning of its vectors on them (contrastive.ts). */
export function trainLsaInWorker(docs: string[], opts: TrainOptions = {}, pairs?: Array<[string, string]>): Promise<LsaModel> {
  const worker = startWorker(import.meta.url, 'lsa-worker');
  return new Promise<LsaModel>((resolve, reject) => {
    worker.once('message', (bytes: Uint8Array) => resolve(deserializeLsa(bytes)));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the training worker exited with code ${code} before answering`)));
    worker.postMessage({ docs, opts, pairs });
  }).finally(() => void worker.terminate());
}
