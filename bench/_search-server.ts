// The server that bench/search.ts measures, in its own process so that the client does not share
// its event loop: the app of `serve` over DATABASE_URL, on PORT; prints "ready" when listening.
import { serve } from '@hono/node-server';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { searchFor } from '../src/search/index.js';
import { createApp } from '../src/web/app.js';
import { buildServices } from '../src/services.js';
import { PageCache } from '../src/web/cache.js';

const config = loadConfig({ ...process.env, SECRET: 'bench', LOG_LEVEL: 'silent' });
const db = await connect(config.database);
await migrateToLatest(db.db, db.dialect);
// Warm the vector copy and the model before the first measured request, as a running server has.
await searchFor({ db, config }).warm();
// A page cache that keeps nothing: the benchmark cycles through its queries, and the shared cache
// (web/cache.ts) would answer every repeat without searching; this measures the search itself.
serve({ fetch: createApp(buildServices({ db, config }, { pageCache: new PageCache(0) })).fetch, port: config.port, hostname: '127.0.0.1' }, () => {
  process.stdout.write('ready\n');
});
setInterval(() => {
  process.stdout.write(`rss ${process.memoryUsage().rss}\n`);
}, 1000).unref();
process.on('SIGTERM', () => void db.close().then(() => process.exit(0)));
