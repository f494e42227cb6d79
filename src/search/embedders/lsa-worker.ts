// The built-in model's training, in a worker thread (lsa-train.ts starts it): LSA, then the
// contrastive pass over the pairs when given (contrastive.ts); minutes of arithmetic on 40,000 abstracts that would otherwise stop `serve` answering while it runs.
import { parentPort } from 'node:worker_threads';
import { fineTune } from './contrastive.js';
import { serializeLsa, type TrainOptions, trainLsa } from './lsa.js';

parentPort!.once('message', ({ docs, opts, pairs }: { docs: string[]; opts: TrainOptions; pairs?: Array<[string, string]> }) => {
  const model = trainLsa(docs, opts);
  if (pairs?.length) fineTune(model, pairs, { seed: opts.seed });
  const bytes = serializeLsa(model);
  parentPort!.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
});
