import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { postgresLexical } from '../src/search/lexical-postgres.js';
import { parseQuery } from '../src/search/query.js';
const config = loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/dp_bench_1000000', DATA_DIR: '/tmp/dpmig' });
const db = await connect(config.database);
const b = postgresLexical(db.db);
for (const q of process.argv.slice(2)) for (let i = 0; i < 2; i++) {
  const t = performance.now();
  const r = await b.search({ query: parseQuery(q), sort: 'relevance', limit: 20, offset: 0 });
  console.log(q, (performance.now() - t).toFixed(1), r.total, (r as any).approximate);
}
await db.close();
