// The compiled CLI: import computes embeddings with a progress line; reindex rebuilds the lexical
// index and, with --embeddings, every vector; the server's search answers after both.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeJsonl } from '../fixtures/records.js';
import { runCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';
import { corpus } from './corpus.js';

describe.each(DIALECTS)('search CLI on %s', (dialect) => {
  let t: TestDatabase;
  let env: Record<string, string>;
  beforeEach(async () => {
    t = await createTestDatabase(dialect);
    env = { DATABASE_URL: t.url, DATA_DIR: t.dataDir, LOG_LEVEL: 'warn' };
  });
  afterEach(async () => t.drop());

  it('documents reindex', async () => {
    const r = await runCli(['reindex', '--help'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--embeddings');
    expect((await runCli(['reindex', '--bogus'], env)).code).toBe(2);
  });

  // Four runs of the CLI: slow only on a loaded machine, hence the longer timeout.
  it('embeds after import, and reindex --embeddings recomputes every vector', { timeout: 120_000 }, async () => {
    const file = writeJsonl(
      path.join(t.dataDir, 'c.jsonl'),
      corpus(5).map((d) => d.record),
    );
    const imported = await runCli(['import', file], env);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/embeddings: 15\/15 papers/);
    expect(imported.stderr).toMatch(/embedded 15 papers with builtin-lsa/);
    const again = await runCli(['reindex'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/lexical index rebuilt; 0 papers embedded/);
    const full = await runCli(['reindex', '--embeddings'], env);
    expect(full.code).toBe(0);
    expect(full.stdout).toMatch(/lexical index rebuilt; 15 papers embedded with builtin-lsa/);
  });
});
