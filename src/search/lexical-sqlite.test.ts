import { describe, expect, it } from 'vitest';
import { categoryTag, dayKey, matchExpression } from './lexical-sqlite.js';
import { parseQuery } from './query.js';

describe('the FTS5 match expression', () => {
  it('ANDs the words without stop words, unless the query has nothing else', () => {
    expect(matchExpression(parseQuery('text-to-image models in the wild'))).toBe('"text" AND "image" AND "models" AND "wild"');
    expect(matchExpression(parseQuery('the who'))).toBe('"the" AND "who"');
    expect(matchExpression(parseQuery('"learning to rank" of'))).toBe('"learning to rank"');
  });

  it('puts cat:, has:code and featured: in the tags column, and author: in the authors column', () => {
    expect(matchExpression(parseQuery('gan cat:cs.CV cat:hep-th has:code featured:no -survey author:"Ada Lovelace"'))).toBe(
      '"gan" AND authors : "ada lovelace" AND ("catcscv" OR "cathepth") AND "xhascode" NOT ("survey" OR "xfeatured")',
    );
    expect(matchExpression(parseQuery('cat:cs.CV has:code'))).toBeNull(); // filters alone: the SQL path
    expect(categoryTag('q-bio.NC')).toBe('catqbionc');
  });

  it('keys a day from its first second, 1024 keys a second', () => {
    expect(dayKey('1970-01-02')).toBe(86_400 * 1024);
  });
});
