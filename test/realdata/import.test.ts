// Real data (../shared/data), through the real CLI, on every dialect: both files load completely,
// a second run changes nothing, and known papers come out with the fields the sources gave.
// Embeddings are left out (--no-embeddings): training the built-in model on 89k papers takes
// minutes and is not what this test is about.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { countPapers, getFeaturedPaper, getPaper, latestFeaturedDay } from '../../src/store/papers.js';
import { runCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';

const DATA = path.resolve(import.meta.dirname, '../../../shared/data');
const ARXIV = path.join(DATA, 'arxiv-sample.jsonl.gz');
const HF = path.join(DATA, 'hf-daily-papers.jsonl.gz');

describe.each(DIALECTS)('real data on %s', (dialect) => {
  let test: TestDatabase;
  let env: Record<string, string>;
  let db: Db;
  beforeAll(async () => {
    if (!existsSync(ARXIV) || !existsSync(HF)) throw new Error(`real data not found in ${DATA}`);
    test = await createTestDatabase(dialect);
    env = { DATABASE_URL: test.url, DATA_DIR: test.dataDir, LOG_LEVEL: 'warn' };
  });
  afterAll(async () => {
    await db?.close();
    await test?.drop();
  });

  it('imports 9,877 featured papers and 84,002 arXiv papers, all of them', async () => {
    const hf = await runCli(['import', '--no-embeddings', HF], env);
    expect(hf.stderr).not.toMatch(/rejected lines/);
    expect(hf.stdout).toContain('9877 new, 0 updated, 0 unchanged, 0 rejected');
    expect(hf.code).toBe(0);
    const arxiv = await runCli(['import', '--no-embeddings', ARXIV], env);
    expect(arxiv.code).toBe(0);
    // 4,634 of the sample's papers were featured on Hugging Face: arXiv's metadata updates them.
    expect(arxiv.stdout).toContain('79368 new, 4634 updated, 0 unchanged, 0 rejected');
    db = await connect(test.config);
    expect(await countPapers(db.db)).toEqual({ papers: 89245, featured: 9877 });
  });

  it('changes nothing on a second run', async () => {
    const again = await runCli(['import', '--no-embeddings', HF, ARXIV], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 new, 0 updated, 93879 unchanged, 0 rejected');
  });

  it('keeps known fields', async () => {
    expect(await latestFeaturedDay(db.db)).toBe('2026-08-21');
    const conv = await getFeaturedPaper(db.db, '2405.15738');
    expect(conv?.paper.title).toBe('ConvLLaVA: Hierarchical Backbones as Visual Encoder for Large Multimodal Models');
    expect(conv?.paper.authors.slice(0, 2)).toEqual(['Chunjiang Ge', 'Sijie Cheng']);
    expect(conv).toMatchObject({ upvotes: 32, commentCount: 3, featured: { day: '2024-05-27' } });
    const naru = await getFeaturedPaper(db.db, '2608.13210');
    expect(naru?.paper.codeUrl).toBe('https://github.com/infinimind-inc/naru_benchmark');
    expect(naru?.featured).toMatchObject({ organization: 'utokyo-ai', submittedByName: 'yuhenghuang', day: '2026-08-21' });
    expect(naru?.featured.aiKeywords).toContain('narrative evolution');
    const cordic = await getPaper(db.db, '2503.11685');
    expect(cordic).toMatchObject({
      title: 'CORDIC Is All You Need',
      categories: ['cs.AR', 'cs.CV', 'eess.IV'],
      primaryCategory: 'cs.AR',
      publishedAt: '2025-03-18T00:00:00.000Z',
    });
    expect(cordic?.abstract).toContain('such as $tanh$, $sigmoid$, and $softmax$. This approach');
  });
});
