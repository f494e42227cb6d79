import { describe, expect, it } from 'vitest';
import { arxivRawRecord, atomEntry, atomErrorEntry, atomFeed, listRecordsPage, oaiErrorPage } from '../../test/fixtures/arxiv-xml.js';
import { parseAtomFeed } from './arxiv-api-parse.js';
import { idFromIdentifier, MalformedXmlError, parseOaiPage } from './oai-parse.js';

describe('parseOaiPage', () => {
  it('reads arXivRaw records: versions, dates, authors, LaTeX kept, wrapping normalised', () => {
    const xml = listRecordsPage(
      [arxivRawRecord({ id: '2501.01234', versions: ['Thu, 2 Jan 2025 18:00:01 GMT', 'Mon, 10 Feb 2025 09:30:00 GMT'], datestamp: '2025-02-11' })],
      { value: '726959|1001', cursor: 0, total: 2500 },
    );
    const page = parseOaiPage(xml);
    expect(page.error).toBeNull();
    expect(page.resumptionToken).toEqual({ token: '726959|1001', cursor: 0, completeListSize: 2500 });
    expect(page.records).toHaveLength(1);
    const r = page.records[0]!;
    expect(r).toMatchObject({ identifier: 'oai:arXiv.org:2501.01234', datestamp: '2025-02-11', setSpecs: ['cs'], deleted: false, problem: null });
    expect(r.paper).toEqual({
      id: '2501.01234',
      version: 2,
      title: 'Contraction Certificates for Non-Convex Games',
      abstract:
        'We study games where each player minimises a non-convex loss. We prove that gradient play contracts at rate $\\mathcal{O}(\\varepsilon^{-2})$ to a Nash equilibrium.',
      authors: ['Ada Example', 'Bo Sample', 'C. D. Placeholder'],
      primaryCategory: 'cs.LG',
      categories: ['cs.LG', 'math.OC'],
      publishedAt: '2025-01-02T18:00:01.000Z',
      updatedAt: '2025-02-10T09:30:00.000Z',
      submitter: 'Ada Example',
      comments: '12 pages, 3 figures',
      journalRef: null,
      doi: null,
      reportNo: null,
      license: 'http://creativecommons.org/licenses/by/4.0/',
      codeUrl: null,
      projectUrl: null,
      withdrawn: false,
    });
  });

  it('decodes entities and keeps ids as text (0704.0471 is not a number)', () => {
    const page = parseOaiPage(listRecordsPage([arxivRawRecord({ id: '0704.0470', title: 'A "stiff" & <soft> model', categories: 'nucl-ex' })]));
    expect(page.records[0]!.paper).toMatchObject({ id: '0704.0470', title: 'A "stiff" & <soft> model', categories: ['nucl-ex'] });
    expect(page.resumptionToken).toBeNull();
  });

  it('marks a withdrawal (a source-less last version) and a deleted header', () => {
    const page = parseOaiPage(
      listRecordsPage(
        [
          arxivRawRecord({ id: '2501.00001', versions: ['Mon, 6 Jan 2025 18:00:01 GMT', 'Tue, 7 Jan 2025 10:00:00 GMT'], withdrawnLast: true, comments: null }),
          arxivRawRecord({ id: '2501.00002', deleted: true }),
        ],
        { value: null, cursor: 1000, total: 1002 },
      ),
    );
    expect(page.records[0]!.paper).toMatchObject({ version: 2, withdrawn: true });
    expect(page.records[1]).toMatchObject({ deleted: true, paper: null, identifier: 'oai:arXiv.org:2501.00002' });
    expect(page.resumptionToken).toEqual({ token: null, cursor: 1000, completeListSize: 1002 });
  });

  it('reports a bad record by id and field without losing the page', () => {
    const page = parseOaiPage(listRecordsPage([arxivRawRecord({ id: '2501.00003', versions: ['someday'] }), arxivRawRecord({ id: '2501.00004' })]));
    expect(page.records[0]!.problem).toBe("oai:arXiv.org:2501.00003: version v1 date: 'someday' is not a date");
    expect(page.records[1]!.paper?.id).toBe('2501.00004');
  });

  it('returns OAI errors with their code', () => {
    expect(parseOaiPage(oaiErrorPage('noRecordsMatch', 'no records')).error).toEqual({ code: 'noRecordsMatch', message: 'no records' });
    expect(parseOaiPage(oaiErrorPage('badResumptionToken', 'illegal token')).error?.code).toBe('badResumptionToken');
  });

  it('throws MalformedXmlError on a page cut off in transit, and on a non-OAI document', () => {
    const xml = listRecordsPage([arxivRawRecord({ id: '2501.00005' }), arxivRawRecord({ id: '2501.00006' })]);
    expect(() => parseOaiPage(xml.slice(0, Math.floor(xml.length * 0.7)))).toThrow(MalformedXmlError);
    expect(() => parseOaiPage('<html><body>Service Unavailable</body></html>')).toThrow(/no <OAI-PMH> root/);
  });

  it('maps identifiers to ids, old and new', () => {
    expect(idFromIdentifier('oai:arXiv.org:hep-th/9901001')).toBe('hep-th/9901001');
    expect(idFromIdentifier('oai:arXiv.org:2405.15738')).toBe('2405.15738');
    expect(idFromIdentifier('oai:elsewhere:1')).toBeNull();
  });
});

describe('parseAtomFeed', () => {
  it('reads entries with version, categories (primary first), authors and arXiv extensions', () => {
    const r = parseAtomFeed(atomFeed([atomEntry({ id: '2501.01234', version: 2, categories: ['stat.ML', 'cs.LG'], comment: '9 pages' })]));
    expect(r.errors).toEqual([]);
    expect(r.totalResults).toBe(1);
    expect(r.papers[0]).toMatchObject({
      id: '2501.01234',
      version: 2,
      title: 'Contraction Certificates for Non-Convex Games',
      abstract: 'We prove that gradient play contracts at rate $\\mathcal{O}(\\varepsilon^{-2})$.',
      authors: ['Ada Example', 'Bo Sample'],
      primaryCategory: 'stat.ML',
      categories: ['stat.ML', 'cs.LG'],
      publishedAt: '2025-01-06T18:00:01.000Z',
      updatedAt: '2025-02-10T09:30:00.000Z',
      comments: '9 pages',
      withdrawn: false,
    });
  });

  it('reports error entries and withdrawn comments', () => {
    const r = parseAtomFeed(atomFeed([atomErrorEntry('1234.5'), atomEntry({ id: 'hep-th/9901001', comment: 'This paper has been withdrawn by the author' })]));
    expect(r.errors).toEqual(['incorrect id format for 1234.5']);
    expect(r.papers).toHaveLength(1);
    expect(r.papers[0]).toMatchObject({ id: 'hep-th/9901001', withdrawn: true });
  });

  it('throws on a truncated feed', () => {
    const xml = atomFeed([atomEntry({ id: '2501.01234' })]);
    expect(() => parseAtomFeed(xml.slice(0, 300))).toThrow(MalformedXmlError);
  });
});
