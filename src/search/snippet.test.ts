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
});
