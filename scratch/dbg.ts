import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { postgresLexical } from '../src/search/lexical-postgres.js';
import { parseQuery } from '../src/search/query.js';
const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dp_mig', DATA_DIR: '/tmp/dpmig' });
const db = await connect(config.database);
const b = postgresLexical(db.db);
console.log(await b.search({ query: parseQuery(process.argv[2] ?? 'nash'), sort: 'relevance', limit: 10, offset: 0 }));
await db.close();
