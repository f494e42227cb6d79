import { describe, expect, it } from 'vitest';
import { snippet, stem } from './snippet.js';

describe('snippet', () => {
  it('marks query words, matching simple inflections', () => {
    const s = snippet('Players of games reach an equilibrium.', ['game', 'equilibria', 'equilibrium']);
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(['games', 'equilibrium']);
    expect(s.map((x) => x.text).join('')).toBe('Players of games reach an equilibrium.');
  });

  it('cuts a long text around the densest run of hits, at word boundaries', () => {
    const text = `${'filler '.repeat(100)}the target words target here ${'tail '.repeat(100)}`;
    const s = snippet(text, ['target'], 80);
    const joined = s.map((x) => x.text).join('');
    expect(joined.startsWith('… ')).toBe(true);
    expect(joined.endsWith(' …')).toBe(true);
    expect(s.filter((x) => x.hit)).toHaveLength(2);
    expect(joined.length).toBeLessThan(90);
  });

  it('starts at the beginning when nothing matches', () => {
    expect(snippet('short text', ['zzz'])).toEqual([{ text: 'short text', hit: false }]);
    expect(stem('studies')).toBe('study');
  });

  it('stems as the porter steps it follows (the regular expressions it replaced)', () => {
    const reference = (word: string) => {
      const w = word.toLowerCase();
      return w.length <= 4 ? w : w.replace(/ies$/, 'y').replace(/(?:sses|ing|ed|s)$/, (m) => (m === 'sses' ? 'ss' : ''));
    };
    const words = [
      'classes',
      'class',
      'Studies',
      'ties',
      'trained',
      'training',
      'models',
      'bias',
      'glass',
      'processes',
      'needs',
      'seed',
      'ring',
      'king',
      'thing',
      'Embeddings',
      'sses',
      'asses',
      'ied',
      'dies',
      'series',
      'ss',
      'analysis',
      'was',
      'LLMs',
      'ReLUs',
      'speed',
    ];
    for (const w of words) expect(stem(w), w).toBe(reference(w));
  });

  it('marks every hit inside the window and none outside it', () => {
    const text = `model ${'word '.repeat(60)}models here and a modeled model ${'word '.repeat(60)}model`;
    const s = snippet(text, ['model'], 60);
    const joined = s.map((x) => x.text).join('');
    expect(s.filter((x) => x.hit).map((x) => x.text)).toEqual(['models', 'modeled', 'model']);
    expect(joined).toBe(`… ${joined.slice(2, -2)} …`);
    expect(text.replace(/\s+/g, ' ')).toContain(joined.slice(2, -2));
  });

  it('finds the hits a full scan of the words would (capitals, accents, digits, hyphens)', () => {
    const text = 'Studies of GAMES: the game-theoretic Équilibria (équilibrium) of 3D games, studied by G2 and STUDY-ing LLMs; llm-based multi-agent games.';
    const terms = ['study', 'game', 'équilibrium', '3d', 'llm', 'agent', 'x'];
    const stems = new Set(terms.map(stem));
    const expected = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]).filter((w) => stems.has(stem(w)));
    expect(expected.length).toBeGreaterThan(8);
    expect(
      snippet(text, terms, 1000)
        .filter((x) => x.hit)
        .map((x) => x.text),
    ).toEqual(expected);
  });

  it('finds the same hits in all-ASCII text as the Unicode scan (its fast path), and treats line breaks as spaces', () => {
    const ascii =
      'Studies of GAMES:\n the game-theoretic equilibria\t\t(equilibrium) of 3D games, studied by G2 and STUDY-ing LLMs;  llm-based multi-agent games.';
    const accented = `${ascii} Zoë`; // one non-ASCII letter: the Unicode expression
    const terms = ['study', 'game', 'equilibrium', '3d', 'llm', 'agent'];
    const hits = (t: string) =>
      snippet(t, terms, 1000)
        .filter((x) => x.hit)
        .map((x) => x.text);
    expect(hits(ascii)).toEqual(hits(accented));
    expect(hits(ascii)).toHaveLength(10);
    expect(
      snippet(ascii, terms, 1000)
        .map((x) => x.text)
        .join(''),
    ).toBe(ascii.replace(/\s+/g, ' '));
    // A word that only starts like a term after a non-ASCII letter is not a hit on either path.
    expect(hits('naïvegames and xgames')).toEqual([]);
  });
});
