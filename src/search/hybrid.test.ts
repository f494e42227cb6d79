import { describe, expect, it } from 'vitest';
import { STOP_WORDS, wordPairs, wordsOf } from './query.js';
import { fuseHybrid, HYBRID_K, PAIR_WEIGHT, pairShares, reciprocalRankFusion, SEMANTIC_WEIGHT, semanticScores, TimeoutError, withTimeout } from './hybrid.js';

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

describe('semanticScores', () => {
  it('takes the neighbours and the lexical candidates with a vector, leaving out those without', () => {
    const r = semanticScores(
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
    expect([...r]).toEqual([
      ['n1', 0.9],
      ['n2', 0.5],
      ['l1', 0.7],
      ['l2', 0.2],
    ]);
  });
});

describe('fuseHybrid', () => {
  it('adds 1/(K + rank) per lexical list and the weighted cosine, scaled between the lowest and the highest', () => {
    const cos = new Map([
      ['b', 0.8],
      ['c', 0.2],
      ['x', 0.5],
    ]);
    // a: 1/(K+1); b: 1/(K+2) + W/(K+1); c: 1/(K+3) + 0; x: W/2/(K+1).
    const f = fuseHybrid([['a', 'b', 'c']], cos);
    const k = HYBRID_K;
    const w = SEMANTIC_WEIGHT;
    const expected = new Map([
      ['a', 1 / (k + 1)],
      ['b', 1 / (k + 2) + w / (k + 1)],
      ['c', 1 / (k + 3)],
      ['x', w / 2 / (k + 1)],
    ]);
    expect(f).toEqual([...expected].sort((p, q) => q[1] - p[1]).map(([id]) => id));
  });

  it('counts a second lexical list (the papers with every word) again, and a duplicate once', () => {
    expect(fuseHybrid([['a', 'b', 'b'], ['b']], new Map(), 5, 1)).toEqual(['b', 'a']);
    expect(fuseHybrid([['a', 'b'], []], new Map(), 5, 1)).toEqual(['a', 'b']);
  });

  it('leaves the lexical order when every cosine is the same, ties to the lexical rank then the id', () => {
    const same = new Map([
      ['c', 0.4],
      ['a', 0.4],
      ['z', 0.4],
    ]);
    expect(fuseHybrid([['c', 'a']], same)).toEqual(['c', 'a', 'z']);
    expect(
      fuseHybrid(
        [[]],
        new Map([
          ['y', 0.3],
          ['x', 0.9],
        ]),
        5,
        0,
      ),
    ).toEqual(['x', 'y']);
    expect(fuseHybrid([], new Map())).toEqual([]);
  });

  it('a paper much closer in meaning than the others overtakes the few lexical ranks above it', () => {
    const lex = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
    const cos = new Map(lex.map((id, i) => [id, id === 'p4' ? 0.9 : 0.3 - i * 0.01]));
    const f = fuseHybrid([lex], cos);
    expect(f.indexOf('p4')).toBeLessThan(3);
  });
});

describe('pairShares', () => {
  it("counts the query's adjacent word pairs a text has adjacent too, stop words skipped on both sides", () => {
    const pairs = ['temporal dynamics', 'dynamics robot', 'robot folding'];
    const shares = pairShares(
      pairs,
      new Map([
        ['a', 'Learning the temporal dynamics of a robot for folding'], // all three, past "of a" and "for"
        ['b', 'Dynamics, temporal and otherwise'], // the words, not in that order
        ['c', 'Robot folding. Temporal dynamics.'], // across a full stop too: the words are adjacent
      ]),
    );
    expect(shares.get('a')).toBe(1);
    expect(shares.has('b')).toBe(false);
    expect(shares.get('c')).toBeCloseTo(2 / 3);
    expect(pairShares([], new Map([['a', 'temporal dynamics']])).size).toBe(0);
  });

  it('finds the same pairs as splitting each text into words, on texts of any letters', () => {
    // The plain way: every word of the text, stop words skipped, each adjacent pair looked up.
    const byWords = (pairs: string[], texts: Map<string, string>) => {
      const want = new Set(pairs);
      const out = new Map<string, number>();
      for (const [id, text] of texts) {
        const seq = wordsOf(text).filter((w) => !STOP_WORDS.has(w));
        const found = new Set<string>();
        for (let i = 1; i < seq.length; i++) if (want.has(`${seq[i - 1]} ${seq[i]}`)) found.add(`${seq[i - 1]} ${seq[i]}`);
        if (found.size) out.set(id, found.size / pairs.length);
      }
      return out;
    };
    const vocab = ['cache', 'kv', 'caches', 'pruning', 'of', 'the', 'a', 'données', 'straße', '𝑥', 'x', 'ǆ', 'İstanbul', '3d', 'model', 'models'];
    const seps = [' ', ', ', '-', '. ', '', '𝑥', '\n', ' (', ') '];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const texts = new Map<string, string>();
      for (let t = 0; t < 5; t++) {
        let text = '';
        for (let i = 0; i < 30; i++) text += vocab[rand(vocab.length)]! + seps[rand(seps.length)]!;
        texts.set(`p${t}`, rand(2) ? text : text.toUpperCase());
      }
      const words = Array.from({ length: 2 + rand(4) }, () => vocab[rand(vocab.length)]!).join(' ');
      const pairs = wordPairs(words);
      expect(pairShares(pairs, texts)).toEqual(byWords(pairs, texts));
    }
  });

  it('lifts the candidate with the largest share by PAIR_WEIGHT / (K + 1), the others in proportion', () => {
    const k = HYBRID_K;
    // b is second by words; with the largest share of pairs it adds PAIR_WEIGHT / (K + 1), c half of it.
    const f = fuseHybrid(
      [['a', 'b', 'c']],
      new Map(),
      k,
      SEMANTIC_WEIGHT,
      new Map([
        ['b', 0.5],
        ['c', 0.25],
      ]),
    );
    const expected = new Map([
      ['a', 1 / (k + 1)],
      ['b', 1 / (k + 2) + PAIR_WEIGHT / (k + 1)],
      ['c', 1 / (k + 3) + PAIR_WEIGHT / 2 / (k + 1)],
    ]);
    expect(f).toEqual([...expected].sort((p, q) => q[1] - p[1]).map(([id]) => id));
    expect(fuseHybrid([['a', 'b']], new Map(), k, SEMANTIC_WEIGHT, new Map())).toEqual(['a', 'b']);
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
