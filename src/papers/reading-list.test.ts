import { describe, expect, it } from 'vitest';
import { entryArxivId, IMPORT_MAX_IDS, readReadingList } from './reading-list.js';

describe('readReadingList', () => {
  it('reads ids and URLs one per line, skipping blanks and comments, naming bad lines', () => {
    const r = readReadingList(
      ['2405.15738', '', '# my list', 'https://arxiv.org/pdf/hep-th/9901001v2.pdf', 'arXiv:1706.03762', 'hello', '2405.15738v3'].join('\r\n'),
    );
    expect(r.format).toBe('ids');
    expect(r.ids).toEqual([
      { id: '2405.15738', line: 1 },
      { id: 'hep-th/9901001', line: 4 },
      { id: '1706.03762', line: 5 },
    ]);
    expect(r.bad).toEqual([{ line: 6, message: "'hello' is not an arXiv id or URL" }]);
  });

  it('reads BibTeX entry by entry, so a broken one is named by its line and the others are kept', () => {
    const text = [
      '@string{ax = "arXiv"}',
      '@misc{a, eprint = {2405.15738}, archivePrefix = ax}',
      '@article{b, title = {Broken',
      '@inproceedings{c,',
      '  title = {With a URL},',
      '  url = "https://arxiv.org/abs/2401.00001v2"',
      '}',
      '@book{d, title = {No arXiv}}',
      '@string{abs = "https://arxiv.org/abs/"}',
      '@misc{e, url = abs # "2402.00002"}',
    ].join('\n');
    const r = readReadingList(text);
    expect(r.format).toBe('bibtex');
    expect(r.ids).toEqual([
      { id: '2405.15738', line: 2 },
      { id: '2401.00001', line: 4 },
      { id: '2402.00002', line: 10 },
    ]);
    expect(r.bad.map((b) => b.line)).toEqual([3, 8]);
    expect(r.bad[0]!.message).toMatch(/could not be read/);
  });

  it('bounds an import', () => {
    const many = Array.from({ length: IMPORT_MAX_IDS + 5 }, (_, i) => `2401.${String(10000 + i)}`).join('\n');
    const r = readReadingList(many);
    expect(r.ids).toHaveLength(IMPORT_MAX_IDS);
    expect(r.bad).toHaveLength(1);
    expect(r.bad[0]!.line).toBe(IMPORT_MAX_IDS + 1);
  });
});

describe('entryArxivId', () => {
  it('finds the id where reference managers put it', () => {
    expect(entryArxivId({ EPRINT: '2405.15738v2', ARCHIVEPREFIX: 'arXiv' })).toBe('2405.15738');
    expect(entryArxivId({ EPRINT: '10.1000/x', ARCHIVEPREFIX: 'PubMed' })).toBeNull();
    expect(entryArxivId({ DOI: '10.48550/arXiv.2405.15738' })).toBe('2405.15738');
    expect(entryArxivId({ JOURNAL: 'arXiv preprint arXiv:1706.03762' })).toBe('1706.03762');
    expect(entryArxivId({ NOTE: 'see https://arxiv.org/abs/math/0309136' })).toBe('math/0309136');
    expect(entryArxivId({ TITLE: 'Nothing' })).toBeNull();
  });
});
