import { describe, expect, it } from 'vitest';
import type { Paper } from './types.js';
import { bibtex, bibtexKey } from './bibtex.js';

const paper: Paper = {
  id: '2501.01234',
  version: 2,
  title: 'Contraction & Certificates for $\\mathcal{O}(n_1)$ Games}',
  abstract: '',
  authors: ['Ada Example', 'Bo Šample'],
  primaryCategory: 'cs.GT',
  categories: ['cs.GT', 'cs.LG'],
  publishedAt: '2025-01-02T18:00:01.000Z',
  updatedAt: null,
  submitter: null,
  comments: null,
  journalRef: null,
  doi: '10.1234/x',
  reportNo: null,
  license: null,
  codeUrl: null,
  projectUrl: null,
  withdrawn: false,
};

describe('bibtex', () => {
  it('writes arXiv-style @misc entries with escaped, balanced fields', () => {
    expect(bibtex(paper)).toBe(`@misc{example2025contraction,
  title = {{Contraction \\& Certificates for $\\mathcal{O}(n_1)$ Games}},
  author = {Ada Example and Bo Šample},
  year = {2025},
  eprint = {2501.01234},
  archivePrefix = {arXiv},
  primaryClass = {cs.GT},
  doi = {10.1234/x},
  url = {https://arxiv.org/abs/2501.01234},
}`);
  });
  it('falls back to the id for the year and to placeholders for the key', () => {
    const p = { ...paper, id: 'hep-th/9901001', authors: [], publishedAt: null, title: 'A B C' };
    expect(bibtexKey(p)).toBe('anonymous1999paper');
    expect(bibtex(p)).toContain('year = {1999}');
    expect(bibtex(p)).not.toContain('author');
    expect(bibtex({ ...p, title: '{a}{ b} }c{' })).toContain('title = {{{a}{ b} c}}');
  });
});
