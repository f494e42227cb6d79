// An app over a fresh, migrated test database, for request tests through app.request().
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/db/schema.js';
import { importFiles } from '../../src/ingest/import.js';
import { PageCache } from '../../src/web/cache.js';
import { createApp } from '../../src/web/app.js';
import { writeJsonl } from '../fixtures/records.js';
import { openTestDb } from './db.js';
import { buildServices } from '../../src/services.js';

export async function testApp(dialect: Dialect, opts: { clock?: () => number } = {}) {
  const t = await openTestDb(dialect);
  const config = loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 'test-secret' });
  const services = buildServices({ db: t.db, config });
  // A clock of the test's own for the page cache (renders' age, COALESCE_MS), with the services' kept versions.
  if (opts.clock) services.pageCache = new PageCache(undefined, services.pageCache.versions, opts.clock);
  const app = createApp(services);
  /** Once this returns, the app has heard of every write made around it (on PostgreSQL, by NOTIFY). */
  const settle = () => services.pageCache.versions?.sync() ?? Promise.resolve();
  return {
    ...t,
    app,
    config,
    /** The app's services (its rate limiter, its page cache). */
    services,
    settle,
    /** Imports records through the real importer, as a user would (a command beside the server). */
    async load(records: Array<Record<string, unknown>>) {
      const file = writeJsonl(path.join(t.test.dataDir, `load-${Date.now()}-${Math.random()}.jsonl`), records);
      const report = await importFiles(t.db.db, [file], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
      await settle();
      return report;
    },
  };
}
