// Crash safety: kill -9 the importer mid-file, run the same command again, and the database holds
// exactly the file's records, none twice.
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { countPapers } from '../../src/store/papers.js';
import { sampleRecord, writeJsonl } from '../fixtures/records.js';
import { runCli, startCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';

const N = 20_000;

describe.each(DIALECTS)('import killed mid-way on %s', (dialect) => {
  let test: TestDatabase;
  beforeEach(async () => {
    test = await createTestDatabase(dialect);
  });
  afterEach(async () => test.drop());

  it('ends with exactly the records of the file after a re-run', { timeout: 180_000 }, async () => {
    const records = Array.from({ length: N }, (_, i) =>
      sampleRecord({ id: `2503.${String(10000 + i).padStart(5, '0')}`, title: `Synthetic paper number ${i}` }),
    );
    const file = writeJsonl(path.join(test.dataDir, 'big.jsonl.gz'), records);
    const env = { DATABASE_URL: test.url, DATA_DIR: test.dataDir };
    expect((await runCli(['migrate'], env)).code).toBe(0);

    const db = await connect(test.config);
    try {
      const { child, done } = startCli(['import', '--batch-size', '200', file], env);
      // Wait until some batches are committed, then kill without warning.
      let count = 0;
      for (let i = 0; i < 2400 && count < 1000; i++) {
        await new Promise((r) => setTimeout(r, 25));
        count = (await countPapers(db.db)).papers;
      }
      child.kill('SIGKILL');
      const killed = await done;
      expect(killed.signal).toBe('SIGKILL');
      const partial = (await countPapers(db.db)).papers;
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(N);
      expect(partial % 200).toBe(0); // whole batches only

      const again = await runCli(['import', '--batch-size', '200', file], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`${N - partial} new, 0 updated, ${partial} unchanged, 0 rejected`);
      expect(await countPapers(db.db)).toEqual({ papers: N, featured: 0 });
    } finally {
      await db.close();
    }
  });
});
