import { describe, expect, it } from 'vitest';
import { distinctiveWords, fuseSimilar, MLT_TERMS } from './similar.js';

describe('more like this', () => {
  it("picks the paper's frequent, rare words: title words count more, stop words, numbers and its own words never", () => {
    const paper = { title: 'Folding Laundry', abstract: 'We fold laundry with a robot. The robot uses the model 3 times; xyzzy.' };
    const dfs = new Map([
      ['folding', 50],
      ['laundry', 20],
      ['fold', 80],
      ['robot', 300],
      ['uses', 5000],
      ['model', 40_000],
      ['times', 9000],
      ['xyzzy', 1],
    ]);
    const words = distinctiveWords(paper, { papers: 100_000, dfs });
    expect(words.slice(0, 4)).toEqual(['laundry', 'folding', 'robot', 'fold']); // robot twice outweighs fold once
    expect(words).not.toContain('xyzzy'); // in this paper only
    expect(words).not.toContain('the');
    expect(words.length).toBeLessThanOrEqual(MLT_TERMS);
  });

  it('fuses both lists by reciprocal rank, or takes the words alone', () => {
    expect(fuseSimilar(['a', 'b', 'c'], ['b', 'd'], 2)).toEqual(['b', 'a']);
    expect(fuseSimilar(null, ['b', 'd'], 5)).toEqual(['b', 'd']);
  });
});
