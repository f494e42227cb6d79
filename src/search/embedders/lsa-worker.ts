// The built-in model's training, in a worker thread (lsa-train.ts starts it): a minute or two of
// arithmetic on 40,000 abstracts that would otherwise stop `serve` answering while it runs.
import { parentPort } from 'node:worker_threads';
import { serializeLsa, type TrainOptions, trainLsa } from './lsa.js';

parentPort!.once('message', ({ docs, opts }: { docs: string[]; opts: TrainOptions }) => {
  const bytes = serializeLsa(trainLsa(docs, opts));
  parentPort!.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
});
