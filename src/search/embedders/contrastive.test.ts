import { describe, expect, it } from 'vitest';
import { fineTune, trainingPairs } from './contrastive.js';
import { embedLsa, trainLsa } from './lsa.js';
import { mulberry32 } from './linalg.js';

describe('contrastive fine-tuning', () => {
  // Papers whose title shares two of its abstract's three topic words, among common filler words.
  const rand = mulberry32(3);
  const vocab = Array.from({ length: 80 }, (_, i) => `term${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}x`);
  const pick = () => vocab[Math.floor(rand() * vocab.length)]!;
  const papers = Array.from({ length: 60 }, () => {
    const topic = [pick(), pick(), pick()];
    return {
      title: `${topic[0]} ${topic[1]} ${pick()}`,
      abstract: `${topic.join(' ')} ${Array.from({ length: 12 }, pick).join(' ')}. ${topic[2]} ${pick()} ${pick()}.`,
    };
  });
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  /** How much closer a title is to its own abstract than to the others, on average. */
  const margin = (model: ReturnType<typeof trainLsa>) => {
    const t = papers.map((p) => embedLsa(model, p.title));
    const a = papers.map((p) => embedLsa(model, p.abstract));
    let own = 0;
    let other = 0;
    for (let i = 0; i < papers.length; i++)
      for (let j = 0; j < papers.length; j++) {
        if (i === j) own += dot(t[i]!, a[j]!);
        else other += dot(t[i]!, a[j]!) / (papers.length - 1);
      }
    return (own - other) / papers.length;
  };

  it('pairs a title with its abstract and an abstract with its halves', () => {
    expect(trainingPairs([{ title: 'T', abstract: 'One here. Two there. Three.' }])).toEqual([
      ['T', 'One here. Two there. Three.'],
      ['One here. Two there.', 'Three.'],
    ]);
    expect(trainingPairs([{ title: 'T', abstract: 'Only one sentence' }])).toHaveLength(1);
  });

  it('brings the texts of a pair closer than the texts of different papers', () => {
    const model = trainLsa(
      papers.map((p) => `${p.title}. ${p.abstract}`),
      { dim: 8 },
    );
    const before = margin(model);
    fineTune(model, trainingPairs(papers), { epochs: 5, batch: 16, rate: 0.05 });
    expect(margin(model)).toBeGreaterThan(before + 0.05);
  });
});
