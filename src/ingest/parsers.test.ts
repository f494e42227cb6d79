import { describe, expect, it } from 'vitest';
import { hfItem, kaggleRecord, sampleRecord } from '../../test/fixtures/records.js';
import { RecordError } from './fields.js';
import { parseHf } from './hf.js';
import { parseKaggle, splitAuthors } from './kaggle.js';

describe('parseKaggle', () => {
  it('reads a full snapshot record', () => {
    const p = parseKaggle(kaggleRecord());
    expect(p).toMatchObject({
      id: '2501.01234',
      version: 2,
      title: 'Contraction Certificates for Non-Convex Games',
      authors: ['Ada Example', 'Bo Sample', 'C. D. Placeholder'],
      primaryCategory: 'cs.GT',
      categories: ['cs.GT', 'cs.LG', 'math.OC'],
      publishedAt: '2025-01-02T18:00:01.000Z',
      updatedAt: '2025-02-11T00:00:00.000Z',
      doi: '10.1234/example.5678',
      journalRef: null,
      withdrawn: false,
    });
    // Line wrapping goes, LaTeX stays as written.
    expect(p.abstract).toBe(
      'We study games where each player minimises a non-convex loss. We prove that gradient play contracts at rate $\\mathcal{O}(\\varepsilon^{-2})$ to a Nash equilibrium.',
    );
  });

  it('reads the reduced layout of the shared sample', () => {
    const p = parseKaggle(sampleRecord());
    expect(p).toMatchObject({
      id: '2503.04321',
      version: null,
      authors: ['Dee Writer', 'Eve Author'],
      categories: ['cs.CL', 'cs.LG'], // the MSC class 68T50 is not an arXiv category
      publishedAt: '2025-03-18T00:00:00.000Z',
      submitter: null,
    });
  });

  it('marks withdrawn papers', () => {
    expect(parseKaggle(kaggleRecord({ comments: 'This paper has been withdrawn by the author due to an error' })).withdrawn).toBe(true);
  });

  it.each([
    [{ id: undefined }, 'id:'],
    [{ id: 'not-an-id' }, "id: 'not-an-id' is not an arXiv identifier"],
    [{ title: '  ' }, 'title: empty'],
    [{ title: 42 }, 'title:'],
    [{ versions: [{ version: 'v1', created: 'yesterday-ish' }] }, "versions[0].created: 'yesterday-ish' is not a date"],
    [{ versions: [{ version: 'one', created: 'Thu, 2 Jan 2025 18:00:01 GMT' }] }, "versions[0].version: 'one'"],
    [{ update_date: '2025-02-30' }, "update_date: '2025-02-30' is not a date"],
  ])('rejects %j', (overrides, reason) => {
    expect(() => parseKaggle(kaggleRecord(overrides))).toThrow(RecordError);
    expect(() => parseKaggle(kaggleRecord(overrides))).toThrow(reason);
  });
});

describe('splitAuthors', () => {
  it('splits on commas and "and", dropping affiliations', () => {
    expect(splitAuthors('A. One, B. Two (MIT, Cambridge (MA)) and C. Three')).toEqual(['A. One', 'B. Two', 'C. Three']);
    expect(splitAuthors('A. One, B. Two, and C. Three')).toEqual(['A. One', 'B. Two', 'C. Three']);
    expect(splitAuthors('Solo Author')).toEqual(['Solo Author']);
    expect(splitAuthors('')).toEqual([]);
  });
});

describe('parseHf', () => {
  it('reads a current daily_papers item', () => {
    const { paper, featured } = parseHf(hfItem());
    expect(paper).toMatchObject({
      id: '2501.01234',
      authors: ['Ada Example', 'Bo Sample'],
      codeUrl: 'https://github.com/example/contraction',
      projectUrl: 'https://example.org/contraction',
      categories: [],
      publishedAt: '2025-01-02T18:00:01.000Z',
    });
    expect(featured).toEqual({
      paperId: '2501.01234',
      day: '2025-01-03',
      featuredAt: '2025-01-03T04:12:00.000Z',
      submittedByUserId: null,
      submittedByName: 'ada',
      organization: 'example-lab',
      organizationName: 'Example Lab',
      importedUpvotes: 42,
      importedComments: 3,
      aiSummary: 'Gradient play in non-convex games provably contracts to equilibria.',
      aiKeywords: ['non-convex games', 'Nash equilibrium', 'contraction'],
    });
  });

  it('reads the oldest layout (mediaUrl, no submittedOnDailyAt, no organization)', () => {
    const item = hfItem({
      paper: { submittedOnDailyAt: undefined, submittedOnDailyBy: undefined, organization: undefined, ai_keywords: undefined, ai_summary: undefined },
      organization: undefined,
      submittedBy: undefined,
      mediaUrl: 'https://example.org/x.png',
      _listed_date: undefined,
    });
    const { featured } = parseHf(JSON.parse(JSON.stringify(item)));
    expect(featured).toMatchObject({ day: '2025-01-02', featuredAt: '2025-01-02T23:00:00.000Z', submittedByName: null, organization: null, aiKeywords: [] });
  });

  it.each([
    [{ paper: { upvotes: -3 } }, 'paper.upvotes'],
    [{ paper: { upvotes: 'many' } }, 'paper.upvotes'],
    [{ numComments: 1.5 }, 'numComments'],
    [{ paper: { id: 'abc' } }, "paper.id: 'abc' is not an arXiv identifier"],
    [{ _listed_date: '2025-13-01' }, "_listed_date: '2025-13-01' is not a date"],
  ])('rejects %j', (overrides, reason) => {
    expect(() => parseHf(hfItem(overrides as never))).toThrow(reason);
  });
});
