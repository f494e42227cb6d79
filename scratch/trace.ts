// Trace the SQL of one lexical search: node --import tsx scratch/trace.ts 'query' [sort]
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { postgresLexical } from '../src/search/lexical-postgres.js';
import { parseQuery } from '../src/search/query.js';
const pool = new pg.Pool({ connectionString: process.env.URL ?? 'postgres://postgres@127.0.0.1:5432/dp_bench_1000000', max: 4 });
let trace = false;
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }), log: (e) => { if (trace) console.log(e.queryDurationMillis.toFixed(1).padStart(7), e.query.sql.replace(/\s+/g, ' ').slice(0, 260)); } });
const b = postgresLexical(db);
for (let i = 0; i < 2; i++) {
  trace = i === 1;
  const t = performance.now();
  const r = await b.search({ query: parseQuery(process.argv[2]!), sort: (process.argv[3] ?? 'relevance') as any, limit: 20, offset: 0 });
  console.log('total', (performance.now() - t).toFixed(1), r.total);
}
await db.destroy();
