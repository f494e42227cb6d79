import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
const config = loadConfig({ DATABASE_URL: process.argv[2]!, DATA_DIR: '/tmp/dailypapers-bench' });
const db = await connect(config.database);
const t = Date.now();
await migrateToLatest(db.db, db.dialect);
console.log('migrated in', (Date.now() - t) / 1000, 's');
await db.close();
