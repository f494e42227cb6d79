import { describe, expect, it } from 'vitest';
import { MOST_BUDGET, MOST_TERMS, mostWords, rankingWords } from './lexical-most.js';

describe('most of the words', () => {
  it('takes the rarest words while their papers fit the budget, always the rarest one', () => {
    expect(mostWords(['model', 'fold', 'cloth', 'robot'], [40_000, 30, 200, 3_000])).toEqual(['fold', 'cloth', 'robot']);
    expect(mostWords(['model', 'data'], [MOST_BUDGET * 4, MOST_BUDGET * 2])).toEqual(['data']);
    expect(mostWords(['zzyzx', 'fold'], [0, 30])).toEqual(['fold']); // a word no paper has brings nothing
    expect(mostWords(['zzyzx'], [0])).toEqual([]);
  });

  it('ranks by the rarest known words, at most MOST_TERMS', () => {
    const words = Array.from({ length: MOST_TERMS + 5 }, (_, i) => `w${i}`);
    const ranking = rankingWords(
      words,
      words.map((_, i) => (i === 0 ? 0 : 1000 - i)),
    );
    expect(ranking).toHaveLength(MOST_TERMS);
    expect(ranking[0]).toBe(`w${MOST_TERMS + 4}`);
    expect(ranking).not.toContain('w0');
  });
});
