// A migrated test database with a config and a loader through the real importer, for the search
// tests that need no web app.
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/db/schema.js';
import { importFiles } from '../../src/ingest/import.js';
import { writeJsonl } from '../fixtures/records.js';
import { openTestDb } from '../harness/db.js';

export async function searchDb(dialect: Dialect, env: Record<string, string> = {}) {
  const t = await openTestDb(dialect);
  const config = loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 'test-secret', ...env });
  let n = 0;
  return {
    ...t,
    config,
    async load(records: Array<Record<string, unknown>>) {
      const file = writeJsonl(path.join(t.test.dataDir, `load-${n++}.jsonl`), records);
      return importFiles(t.db.db, [file], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
    },
  };
}
