import { describe, expect, it } from 'vitest';
import { distinctiveWords, fuseSimilar, MLT_TERMS, textCosines } from './similar.js';

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

  it('fuses both lists by reciprocal rank, the words counting more, or takes the words alone', () => {
    expect(fuseSimilar(['a', 'b', 'c'], ['b', 'd'], 2)).toEqual(['b', 'd']);
    expect(fuseSimilar(null, ['b', 'd'], 5)).toEqual(['b', 'd']);
  });

  it("adds the candidates' word-by-word closeness, scaled between the lowest and the highest", () => {
    const text = new Map([
      ['a', 0.9],
      ['b', 0.1],
      ['d', 0.1],
      ['z', 0.9],
    ]);
    expect(fuseSimilar(['a', 'b', 'c'], ['b', 'd'], 3, text)).toEqual(['a', 'b', 'd']);
    // Only candidates of the two lists are ranked.
    expect(fuseSimilar(['a'], ['b'], 5, text)).not.toContain('z');
  });

  it('compares texts by tf-idf cosine of the given term weights', () => {
    const weights = (text: string) => {
      const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
      const m = new Map<number, number>();
      for (const w of new Set(words)) m.set(w.charCodeAt(0) * 1000 + w.length, 1 / Math.sqrt(new Set(words).size));
      return m;
    };
    const c = textCosines(weights, { title: 'robot laundry', abstract: 'folding' }, [
      { id: 'same', title: 'robot laundry', abstract: 'folding' },
      { id: 'none', title: 'quantum', abstract: 'chemistry' },
    ]);
    expect(c.get('same')).toBeCloseTo(1, 6);
    expect(c.get('none')).toBe(0);
  });
});
