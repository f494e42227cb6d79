import { describe, expect, it } from 'vitest';
import { formatQuery, hasFilters, hasText, parseQuery, semanticText, wordPairs } from './query.js';

describe('parseQuery', () => {
  it('reads words, phrases, exclusions and every operator', () => {
    const q = parseQuery(
      'Diffusion "video generation" -survey author:"Le Cun" author:hinton cat:cs.LG after:2025-01-01 before:2026-01-01 has:code featured:yes',
    );
    expect(q).toEqual({
      words: ['diffusion'],
      phrases: [['video', 'generation']],
      excluded: [['survey']],
      authors: ['Le Cun', 'hinton'],
      categories: ['cs.LG'],
      after: '2025-01-01',
      before: '2026-01-01',
      hasCode: true,
      featured: true,
      paper: null,
      similar: null,
    });
    expect(hasText(q) && hasFilters(q)).toBe(true);
    expect(semanticText(q)).toBe('video generation diffusion');
  });

  it('searches malformed operators and quotes as words', () => {
    expect(parseQuery('after:yesterday cat:!! has:slides featured:maybe')).toMatchObject({
      words: ['after', 'yesterday', 'cat', 'has', 'slides', 'featured', 'maybe'],
      after: null,
      categories: [],
      hasCode: false,
      featured: null,
    });
    expect(parseQuery('"unclosed phrase here').words).toEqual(['unclosed', 'phrase', 'here']);
    expect(parseQuery('after:2025-13-45').after).toBeNull();
    expect(parseQuery('-"not this" -x').excluded).toEqual([['not', 'this'], ['x']]);
    expect(parseQuery('"" - -- :: ((').words).toEqual([]);
    expect(parseQuery('"one"').words).toEqual(['one']);
    expect(parseQuery('x'.repeat(600)).words[0]).toHaveLength(500);
  });

  it('recognises an arXiv id or URL alone, and similar:ID or "papers like ID"', () => {
    expect(parseQuery('2405.15738').paper).toBe('2405.15738');
    expect(parseQuery(' https://arxiv.org/abs/2405.15738v2 ').paper).toBe('2405.15738');
    expect(parseQuery('arXiv:hep-th/9901001').paper).toBe('hep-th/9901001');
    expect(parseQuery('2405.15738 diffusion').paper).toBeNull();
    expect(parseQuery('similar:2405.15738 cat:cs.CV')).toMatchObject({ similar: '2405.15738', categories: ['cs.CV'], words: [] });
    expect(parseQuery('papers like https://arxiv.org/pdf/2405.15738.pdf')).toMatchObject({ similar: '2405.15738', words: [] });
    expect(parseQuery('similar:nothing').words).toEqual(['similar', 'nothing']);
  });

  it('writes a query back in a form that parses to the same query', () => {
    for (const text of ['a "b c" -d -"e f" author:"x y" cat:cs.CV after:2025-01-01 has:code featured:no similar:2405.15738', 'plain words']) {
      const q = parseQuery(text);
      expect(parseQuery(formatQuery(q))).toEqual(q);
    }
  });
});

describe('wordPairs', () => {
  it('pairs the words as typed, stop words skipped, operators and exclusions left out, once each', () => {
    expect(wordPairs('teaching a robot to fold clothes')).toEqual(['teaching robot', 'robot fold', 'fold clothes']);
    expect(wordPairs('"video generation" models -survey cat:cs.CV author:hinton after:2025-01-01')).toEqual(['video generation', 'generation models']);
    expect(wordPairs('narrative competence narrative quality')).toEqual(['narrative competence', 'competence narrative', 'narrative quality']);
    expect(wordPairs('robot robot')).toEqual(['robot robot']);
    expect(wordPairs('diffusion')).toEqual([]);
    expect(wordPairs('the of a')).toEqual([]);
  });
});
