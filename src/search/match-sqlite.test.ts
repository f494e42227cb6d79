import { describe, expect, it } from 'vitest';
import { categoryTag, conjunction, dayKey, matchExpression, matchPlan } from './match-sqlite.js';
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

  it('nests three words or more rarest first, each AND kept apart from the next by a match of nothing', () => {
    const dfs = new Map([
      ['models', 900],
      ['lmms', 7],
      ['visual', 200],
      ['editing', 60],
    ]);
    const nothing = '("dpnone" NOT "dpnone")';
    expect(conjunction(['models', 'lmms', 'visual', 'editing'], dfs).expr).toBe(
      `(("lmms" AND "editing" OR ${nothing}) AND "visual" OR ${nothing}) AND "models"`,
    );
    // A word without a count goes last; two words are not nested.
    expect(conjunction(['unknown', 'models', 'lmms'], dfs).expr).toBe(`("lmms" AND "models" OR ${nothing}) AND "unknown"`);
    expect(conjunction(['models', 'lmms'], dfs).expr).toBe('"lmms" AND "models"');
    // Phrases, authors, tags and exclusions stay around it; the ranked phrases follow FTS5's numbering.
    const plan = matchPlan(parseQuery('models lmms visual "image editing" cat:cs.CV -survey'), undefined, dfs)!;
    expect(plan.expr).toBe(`("lmms" AND "visual" OR ${nothing}) AND "models" AND "image editing" AND ("catcscv") NOT ("survey")`);
    const phrases = plan.expr.match(/"(?:[^"]|"")*"/g)!;
    expect(plan.ranked).toHaveLength(phrases.length);
    expect(plan.ranked).toEqual(phrases.map((p) => (['"dpnone"', '"catcscv"', '"survey"'].includes(p) ? null : p)));
    // Without counts, or with two words, the flat AND.
    expect(matchPlan(parseQuery('models lmms visual'))!.expr).toBe('"models" AND "lmms" AND "visual"');
    expect(matchPlan(parseQuery('models lmms'), undefined, dfs)!.expr).toBe('"models" AND "lmms"');
  });
});
