import { describe, expect, it } from 'vitest';
import { indexCandidates, type Known, learnTaste, scoreAll, scoreCandidate, termsOf, trainLogistic, wordProfile } from './model.js';

const unit = (xs: number[]) => {
  const n = Math.hypot(...xs);
  return Float32Array.from(xs, (x) => x / n);
};
const paper = (id: string, vec: number[] | null, authors: string[], categories: string[], text: string): Known => ({
  id,
  vec: vec ? unit(vec) : null,
  authors,
  categories,
  words: new Set(termsOf(text, new Set(['the']))),
});

describe('the For-you model', () => {
  it('separates two directions, and yields to the event loop while training', async () => {
    let turns = 0;
    const tick = setInterval(() => turns++, 0);
    const ex = [
      { vec: unit([1, 0.1, 0]), label: 1 as const, weight: 1 },
      { vec: unit([0.9, 0, 0.2]), label: 1 as const, weight: 1 },
      { vec: unit([0, 1, 0.1]), label: 0 as const, weight: 1 },
      { vec: unit([0.1, 0.9, 0.3]), label: 0 as const, weight: 1 },
    ];
    const m = await trainLogistic(ex, 3);
    clearInterval(tick);
    expect(m.w[0]!).toBeGreaterThan(m.w[1]!);
    expect(turns).toBeGreaterThan(0);
  });

  it('keeps the words of several positives, weighted by rarity, and drops hidden ones', () => {
    const df = new Map([
      ['diffusion', 5],
      ['model', 500],
      ['sampler', 3],
    ]);
    const p = wordProfile(
      [
        ['diffusion', 'model', 'sampler'],
        ['diffusion', 'model', 'sampler'],
        ['diffusion', 'model', 'once'],
      ],
      [['model'], ['model'], ['model'], ['model'], ['model'], ['model']],
      (w) => df.get(w) ?? 0,
      1000,
    );
    expect([...p.keys()]).toEqual(['diffusion', 'sampler']);
    expect([...p.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1);
  });

  it('scores every candidate at once exactly as one by one', async () => {
    const saved = [
      paper('s1', [1, 0, 0], ['Ada'], ['cs.LG'], 'diffusion sampler'),
      paper('s2', [0.9, 0.1, 0], ['Ada', 'Bo'], ['cs.LG'], 'diffusion distillation'),
    ];
    const pool = [
      paper('c1', [1, 0.1, 0], ['Ada'], ['cs.LG'], 'diffusion sampler fast'),
      paper('c2', [0, 1, 0], ['Cy'], ['math.OC'], 'convex games'),
      paper('c3', null, ['Dee'], ['cs.CV'], 'diffusion images'),
      paper('c4', [0.2, 0.2, 1], ['Bo', 'Eve'], ['cs.CL'], 'parsing'),
    ];
    const taste = await learnTaste(
      {
        positives: saved,
        hidden: [],
        background: pool.slice(1),
        inFollowedCategories: [],
        followedAuthors: new Set(['Eve']),
        followedCategories: new Set(['math']),
      },
      { df: () => 1, papers: 4 },
    );
    const all = scoreAll(taste, indexCandidates(pool));
    pool.forEach((p, i) => {
      expect(all[i]).toBeCloseTo(scoreCandidate(taste, p).score, 4);
    });
    expect(scoreCandidate(taste, pool[3]!).parts).toMatchObject({ author: 'Eve', authorFollowed: true });
    expect(scoreCandidate(taste, pool[1]!).parts.category).toBe('math.OC');
  });
});
