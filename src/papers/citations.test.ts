import { describe, expect, it } from 'vitest';
import { exportPapers, splitName, toCslJson, toRis, uniqueKeys } from './citations.js';
import type { Paper } from './types.js';

const paper = (id: string, over: Partial<Paper> = {}): Paper => ({
  id,
  version: 1,
  title: 'Deep   Games with $x_1$',
  abstract: 'We study\n games.',
  authors: ['Ada B. Lovelace', 'Plato'],
  primaryCategory: 'cs.LG',
  categories: ['cs.LG', 'cs.GT'],
  publishedAt: '2024-05-27T17:59:00Z',
  updatedAt: null,
  submitter: null,
  comments: null,
  journalRef: null,
  doi: null,
  reportNo: null,
  license: null,
  codeUrl: null,
  projectUrl: null,
  withdrawn: false,
  ...over,
});

describe('citation files', () => {
  it('makes keys unique within a file', () => {
    expect(uniqueKeys([paper('2405.00001'), paper('2405.00002'), paper('2405.00003')])).toEqual(['lovelace2024deep', 'lovelace2024deepb', 'lovelace2024deepc']);
  });

  it('splits names as family and given', () => {
    expect(splitName('Ada B. Lovelace')).toEqual({ family: 'Lovelace', given: 'Ada B.' });
    expect(splitName('Plato')).toEqual({ family: 'Plato' });
  });

  it('writes RIS records with one value per line, CRLF, closed by ER', () => {
    const ris = toRis([paper('2405.00001', { doi: '10.1/x' })]);
    expect(ris.split('\r\n').slice(0, 6)).toEqual([
      'TY  - UNPB',
      'TI  - Deep Games with $x_1$',
      'AU  - Lovelace, Ada B.',
      'AU  - Plato',
      'PY  - 2024',
      'DA  - 2024/05/27/',
    ]);
    expect(ris).toContain('AB  - We study games.\r\n');
    expect(ris).toContain('DO  - 10.1/x\r\n');
    expect(ris.trimEnd().endsWith('ER  -')).toBe(true);
  });

  it('dates a paper without a date by its id, in CSL-JSON as in RIS', () => {
    const csl = toCslJson([paper('hep-th/9901001', { publishedAt: null })]);
    expect(csl[0]!.issued).toEqual({ 'date-parts': [[1999, 1]] });
    expect(csl[0]!.number).toBe('arXiv:hep-th/9901001');
    expect(exportPapers([], 'bibtex')).toBe('');
    expect(JSON.parse(exportPapers([], 'csl'))).toEqual([]);
  });
});
