// An app over a fresh, migrated test database, for request tests through app.request().
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/db/schema.js';
import { importFiles } from '../../src/ingest/import.js';
import { createApp } from '../../src/web/app.js';
import { writeJsonl } from '../fixtures/records.js';
import { openTestDb } from './db.js';
import { buildServices } from '../../src/services.js';

export async function testApp(dialect: Dialect) {
  const t = await openTestDb(dialect);
  const config = loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 'test-secret' });
  const app = createApp(buildServices({ db: t.db, config }));
  return {
    ...t,
    app,
    config,
    /** Imports records through the real importer, as a user would. */
    async load(records: Array<Record<string, unknown>>) {
      const file = writeJsonl(path.join(t.test.dataDir, `load-${Date.now()}-${Math.random()}.jsonl`), records);
      return importFiles(t.db.db, [file], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
    },
  };
}
