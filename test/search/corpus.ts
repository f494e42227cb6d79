// A small invented corpus for search tests: papers on three topics, written from word pools so
// that related papers share vocabulary without sharing sentences (nothing from ../shared/data).
import { kaggleRecord } from '../fixtures/records.js';

const TOPICS = {
  games: ['nash', 'equilibrium', 'player', 'game', 'contraction', 'convergence', 'payoff', 'strategy', 'regret', 'minimax'],
  vision: ['image', 'segmentation', 'pixel', 'convolution', 'detection', 'camera', 'depth', 'scene', 'object', 'video'],
  language: ['token', 'language', 'translation', 'sentence', 'grammar', 'parsing', 'vocabulary', 'corpus', 'dialogue', 'summarization'],
} as const;

export type Topic = keyof typeof TOPICS;

function pick<T>(xs: readonly T[], i: number, n: number): T[] {
  return Array.from({ length: n }, (_, j) => xs[(i * 7 + j * 3) % xs.length]!);
}

/** `perTopic` papers per topic, ids 2501.1TNNN (T = topic index), listed on successive days. */
export function corpus(perTopic = 10): Array<{ record: Record<string, unknown>; topic: Topic }> {
  const out: Array<{ record: Record<string, unknown>; topic: Topic }> = [];
  (Object.keys(TOPICS) as Topic[]).forEach((topic, t) => {
    const words = TOPICS[topic];
    for (let i = 0; i < perTopic; i++) {
      const id = `2501.1${t}${String(i).padStart(3, '0')}`;
      const title = `On ${pick(words, i, 3).join(' and ')}`;
      const abstract =
        `We study ${pick(words, i + 1, 4).join(' ')} with ${pick(words, i + 2, 3).join(' ')}. ` +
        `Our analysis of ${pick(words, i + 3, 2).join(' ')} improves ${pick(words, i + 4, 2).join(' ')} in experiments.`;
      out.push({
        topic,
        record: kaggleRecord({
          id,
          title,
          abstract,
          authors: `Author ${topic} ${i}, Second Writer`,
          categories: topic === 'vision' ? 'cs.CV' : topic === 'language' ? 'cs.CL' : 'cs.GT',
          versions: [{ version: 'v1', created: `Mon, ${String(1 + (i % 28)).padStart(2, '0')} Jan 2025 10:00:00 GMT` }],
        }),
      });
    }
  });
  return out;
}
