import { describe, expect, it } from 'vitest';
import { deserializeLsa, embedLsa, serializeLsa, terms, trainLsa } from './lsa.js';

const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

const DOCS = [
  ...Array.from({ length: 12 }, (_, i) => `nash equilibrium game player ${['payoff', 'regret', 'strategy'][i % 3]} convergence`),
  ...Array.from({ length: 12 }, (_, i) => `image pixel segmentation camera ${['depth', 'scene', 'object'][i % 3]} detection`),
];

describe('LSA', () => {
  it('drops stop words and numbers and stems plurals', () => {
    expect(terms('The players of 2 Games, using regrets')).toEqual(['player', 'game', 'regret']);
  });

  it('puts texts on one topic close together, even without shared words', () => {
    const m = trainLsa(DOCS, { dim: 2 });
    expect(m.dim).toBe(2);
    const a = embedLsa(m, 'payoff regret');
    const b = embedLsa(m, 'nash strategy');
    const c = embedLsa(m, 'camera depth');
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(cos(a, b)).toBeGreaterThan(0.8);
    expect(cos(a, c)).toBeLessThan(0.3);
    expect(Array.from(embedLsa(m, 'unknown words only'))).toEqual([0, 0]);
  });

  it('is repeatable and survives serialisation', () => {
    const m = trainLsa(DOCS, { dim: 3 });
    const again = trainLsa(DOCS, { dim: 3 });
    expect(Array.from(again.vectors)).toEqual(Array.from(m.vectors));
    const back = deserializeLsa(serializeLsa(m));
    expect(back.dim).toBe(3);
    expect([...back.terms.keys()]).toEqual([...m.terms.keys()]);
    expect(Array.from(embedLsa(back, 'nash camera'))).toEqual(Array.from(embedLsa(m, 'nash camera')));
  });
});

describe('LSA training in a worker thread', () => {
  it('gives the model the main thread would, from another thread', async () => {
    const { trainLsaInWorker } = await import('./lsa-train.js');
    const here = trainLsa(DOCS, { dim: 2 });
    const there = await trainLsaInWorker(DOCS, { dim: 2 });
    expect(there.dim).toBe(here.dim);
    expect([...there.terms.keys()]).toEqual([...here.terms.keys()]);
    expect([...there.vectors]).toEqual([...here.vectors]);
    expect([...there.idf]).toEqual([...here.idf]);
  });
});
