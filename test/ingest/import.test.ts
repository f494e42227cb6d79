// The importer on every dialect: counts, idempotence, versions, rejects, --strict.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { importFiles } from '../../src/ingest/import.js';
import { countPapers, getFeaturedPaper, getPaper } from '../../src/store/papers.js';
import { hfItem, kaggleRecord, sampleRecord, writeJsonl } from '../fixtures/records.js';
import { DIALECTS, openTestDb, type TestDatabase } from '../harness/db.js';

describe.each(DIALECTS)('import on %s', (dialect) => {
  let db: Db;
  let test: TestDatabase;
  let close: () => Promise<void>;
  beforeEach(async () => {
    ({ db, test, close } = await openTestDb(dialect));
  });
  afterEach(async () => close());

  const file = (name: string, records: Array<Record<string, unknown> | string>) => writeJsonl(path.join(test.dataDir, name), records);
  const run = (files: string[], opts: { strict?: boolean; format?: 'kaggle' | 'hf'; batchSize?: number } = {}) =>
    importFiles(db.db, files, { rejectsDir: path.join(test.dataDir, 'rejects'), ...opts });

  it('loads snapshot and Hugging Face files, and a second run changes nothing', async () => {
    const kaggle = file('snap.jsonl.gz', [
      kaggleRecord(),
      sampleRecord(),
      kaggleRecord({ id: 'hep-th/9901001', title: 'Old style', versions: null, update_date: '1999-01-05' }),
    ]);
    const hf = file('hf.jsonl', [hfItem(), hfItem({ paper: { id: '2502.00007', title: 'Only on HF', upvotes: 5 }, _listed_date: '2025-02-03' })]);
    expect(await run([kaggle, hf])).toMatchObject({ new: 4, updated: 1, unchanged: 0, rejected: 0 });
    expect(await countPapers(db.db)).toEqual({ papers: 4, featured: 2 });
    expect(await run([kaggle, hf])).toMatchObject({ new: 0, updated: 0, unchanged: 5, rejected: 0 });
    expect(await run([hf, kaggle])).toMatchObject({ new: 0, updated: 0, unchanged: 5, rejected: 0 });

    const p = await getPaper(db.db, '2501.01234');
    expect(p).toMatchObject({
      version: 2,
      categories: ['cs.GT', 'cs.LG', 'math.OC'],
      codeUrl: 'https://github.com/example/contraction',
      authors: ['Ada Example', 'Bo Sample', 'C. D. Placeholder'],
    });
    const f = await getFeaturedPaper(db.db, '2501.01234');
    expect(f).toMatchObject({
      upvotes: 42,
      commentCount: 3,
      featured: { day: '2025-01-03', organization: 'example-lab', aiKeywords: ['non-convex games', 'Nash equilibrium', 'contraction'] },
    });
    expect(await getPaper(db.db, 'hep-th/9901001')).toMatchObject({ title: 'Old style', updatedAt: '1999-01-05T00:00:00.000Z' });
  });

  it('updates to a newer version and ignores an older one', async () => {
    const v1 = { title: 'First title', versions: [{ version: 'v1', created: 'Thu, 2 Jan 2025 18:00:01 GMT' }], update_date: '2025-01-03' };
    expect(await run([file('v1.jsonl', [kaggleRecord(v1)])])).toMatchObject({ new: 1 });
    expect(await run([file('v2.jsonl', [kaggleRecord({ title: 'Second title' })])])).toMatchObject({ updated: 1 });
    expect(await run([file('v1again.jsonl', [kaggleRecord(v1)])])).toMatchObject({ unchanged: 1 });
    expect(await getPaper(db.db, '2501.01234')).toMatchObject({ title: 'Second title', version: 2 });
  });

  it('replaces imported upvotes without losing other counts', async () => {
    await run([file('a.jsonl', [hfItem()])]);
    // Local votes arrive with the members issue; simulate two already counted.
    await db.db.updateTable('featured').set({ upvotes: 44 }).execute();
    expect(await run([file('b.jsonl', [hfItem({ paper: { upvotes: 50 } })])])).toMatchObject({ updated: 1 });
    expect(await getFeaturedPaper(db.db, '2501.01234')).toMatchObject({ upvotes: 52 });
  });

  it('rejects bad lines with FILE:LINE: reason, loads the rest, and writes every reason to a file', async () => {
    const f = file('mixed.jsonl', [
      kaggleRecord(),
      '{not json',
      kaggleRecord({ id: undefined }),
      '',
      kaggleRecord({ id: '2501.05555', update_date: '2025-02-31' }),
      sampleRecord(),
    ]);
    const s = await run([f], { batchSize: 2 });
    expect(s).toMatchObject({ new: 2, rejected: 3 });
    expect(s.firstRejects.map((r) => `${path.basename(r.file)}:${r.line}`)).toEqual(['mixed.jsonl:2', 'mixed.jsonl:3', 'mixed.jsonl:5']);
    const lines = readFileSync(s.rejectsFile!, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/mixed\.jsonl:2: not JSON/);
    expect(lines[2]).toContain("mixed.jsonl:5: update_date: '2025-02-31' is not a date");
    expect(await countPapers(db.db)).toEqual({ papers: 2, featured: 0 });
  });

  it('--strict stops at the first bad line and commits nothing of its batch', async () => {
    const records = [
      sampleRecord({ id: '2503.00001' }),
      sampleRecord({ id: '2503.00002' }),
      sampleRecord({ id: '2503.00003' }),
      '{"id": "2503.00004"}',
      sampleRecord({ id: '2503.00005' }),
    ];
    const s = await run([file('strict.jsonl', records)], { strict: true, batchSize: 2 });
    expect(s.stoppedAt).toMatchObject({ line: 4 });
    expect(s.rejected).toBe(1);
    // The first batch (lines 1-2) was committed; line 3 shared its batch with the bad line.
    expect(await countPapers(db.db)).toEqual({ papers: 2, featured: 0 });
  });

  it('honours --format and reads a JSON array file', async () => {
    const arr = path.join(test.dataDir, 'day.json');
    (await import('node:fs')).writeFileSync(arr, JSON.stringify([hfItem(), hfItem({ paper: { id: '2502.00007' } })]));
    expect(await run([arr])).toMatchObject({ new: 2 });
    const s = await run([file('wrong.jsonl', [hfItem({ paper: { id: '2502.00008' } })])], { format: 'kaggle' });
    expect(s.rejected).toBe(1);
  });
});
