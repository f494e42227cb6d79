import { describe, expect, it } from 'vitest';
import { hfItem, kaggleRecord, sampleRecord } from '../../test/fixtures/records.js';
import { parseHf } from '../ingest/hf.js';
import { parseKaggle } from '../ingest/kaggle.js';
import { contentHash, mergeFeatured, mergePaper } from './merge.js';

const kaggle = (o = {}) => ({ paper: parseKaggle(kaggleRecord(o)), source: 'kaggle' });
const hf = () => ({ paper: parseHf(hfItem()).paper, source: 'hf' });

describe('mergePaper', () => {
  it("keeps arXiv's metadata and takes Hugging Face's code and project links", () => {
    const m = mergePaper(kaggle(), hf());
    expect(m.source).toBe('kaggle');
    expect(m.paper.categories).toEqual(['cs.GT', 'cs.LG', 'math.OC']);
    expect(m.paper.authors).toEqual(['Ada Example', 'Bo Sample', 'C. D. Placeholder']);
    expect(m.paper.codeUrl).toBe('https://github.com/example/contraction');
  });

  it('lets arXiv metadata replace a Hugging Face copy, keeping its links', () => {
    const m = mergePaper(hf(), kaggle());
    expect(m.source).toBe('kaggle');
    expect(m.paper.categories).toEqual(['cs.GT', 'cs.LG', 'math.OC']);
    expect(m.paper.codeUrl).toBe('https://github.com/example/contraction');
  });

  it('does not let an older version overwrite a newer one', () => {
    const v2 = kaggle({ title: 'Title of v2' });
    const v1 = kaggle({ title: 'Title of v1', versions: [{ version: 'v1', created: 'Thu, 2 Jan 2025 18:00:01 GMT' }], update_date: null });
    expect(mergePaper(v2, v1).paper.title).toBe('Title of v2');
    expect(mergePaper(v1, v2).paper.title).toBe('Title of v2');
    expect(mergePaper(v1, v2).paper.version).toBe(2);
  });

  it('treats an unversioned record as older than a versioned one', () => {
    const versioned = kaggle({ id: '2503.04321', title: 'Versioned' });
    const plain = { paper: parseKaggle(sampleRecord({ title: 'Plain' })), source: 'kaggle' };
    expect(mergePaper(versioned, plain).paper.title).toBe('Versioned');
  });

  it('keeps the first publication date', () => {
    const a = kaggle();
    const b = kaggle({ versions: [{ version: 'v2', created: 'Mon, 10 Feb 2025 09:30:00 GMT' }] });
    expect(mergePaper(a, b).paper.publishedAt).toBe('2025-01-02T18:00:01.000Z');
  });
});

describe('mergeFeatured', () => {
  it("keeps a member's submission and takes the import's counts", () => {
    const local = { ...parseHf(hfItem()).featured, submittedByUserId: 7, day: '2025-01-05', importedUpvotes: 0 };
    const imported = parseHf(hfItem({ paper: { upvotes: 50 } })).featured;
    const m = mergeFeatured(local, imported);
    expect(m).toMatchObject({ submittedByUserId: 7, day: '2025-01-05', importedUpvotes: 50 });
  });
});

describe('contentHash', () => {
  it('is stable and sensitive to content', () => {
    const a = parseKaggle(kaggleRecord());
    expect(contentHash(a)).toBe(contentHash({ ...a }));
    expect(contentHash(a)).not.toBe(contentHash({ ...a, title: 'Other' }));
  });
});
