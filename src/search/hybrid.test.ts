import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion, semanticRanking, TimeoutError, withTimeout } from './hybrid.js';

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over the lists', () => {
    const f = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'd'],
    ]);
    expect(f.map((x) => x.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(f[0]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(f[0]).toMatchObject({ ranks: [3, 1] });
    expect(f.find((x) => x.id === 'd')).toMatchObject({ ranks: [null, 2] });
  });

  it("breaks ties by the first list's rank, counts duplicates once, handles empty lists", () => {
    expect(
      reciprocalRankFusion([
        ['a', 'b'],
        ['b', 'a'],
      ]).map((x) => x.id),
    ).toEqual(['a', 'b']);
    expect(reciprocalRankFusion([['a', 'a'], []]).map((x) => x.score)).toEqual([1 / 61]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
    expect(reciprocalRankFusion([[], ['x']]).map((x) => x.id)).toEqual(['x']);
    expect(reciprocalRankFusion([])).toEqual([]);
  });

  it('fuses any number of lists; ties go to the earliest list that ranks one of them better', () => {
    const f = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['b', 'd'],
      ['x', 'b'],
    ]);
    expect(f.map((x) => x.id)).toEqual(['b', 'a', 'x', 'd', 'c']);
    expect(f[0]).toMatchObject({ ranks: [2, 1, 2] });
  });
});

describe('semanticRanking', () => {
  it('ranks neighbours and lexical candidates together by similarity, leaving out those without vectors', () => {
    const r = semanticRanking(
      ['l1', 'l2', 'n1', 'novec'],
      [
        { id: 'n1', score: 0.9 },
        { id: 'n2', score: 0.5 },
      ],
      new Map([
        ['l1', 0.7],
        ['l2', 0.2],
        ['n1', 0.9],
      ]),
    );
    expect(r).toEqual(['n1', 'l1', 'n2', 'l2']);
  });
});

describe('withTimeout', () => {
  it('passes results through and rejects with TimeoutError, aborting the work', async () => {
    await expect(withTimeout(1000, async () => 7)).resolves.toBe(7);
    let aborted = false;
    const p = withTimeout(
      10,
      (signal) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            resolve(0);
          });
        }),
    );
    await expect(p).rejects.toBeInstanceOf(TimeoutError);
    expect(aborted).toBe(true);
  });
});
