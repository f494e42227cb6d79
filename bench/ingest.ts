// `npm run bench -- ingest [RUNS]`: how long the real 1,000-record OAI-PMH ListRecords page
// (../shared/data/raw, arXivRaw, 1.7 MB) takes to parse, and to parse and store on SQLite and
// PostgreSQL: into an empty database (all new) and again (a re-harvest: all unchanged). The
// harvest itself waits 3 s between pages (arXiv's terms), so parse+store should stay well under it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseDatabaseUrl } from '../src/config.js';
import { connect, type Db } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { parseOaiPage } from '../src/ingest/oai-parse.js';
import { upsertRecords } from '../src/store/papers.js';

const FILE = path.resolve(import.meta.dirname, '../../shared/data/raw/arxiv-oai-pmh_ListRecords_arXivRaw_page-47001.xml');
const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function store(db: Db, xml: string) {
  const page = parseOaiPage(xml);
  return upsertRecords(db.db, page.records.flatMap((r) => (r.paper ? [{ paper: r.paper, source: 'oai' }] : [])));
}

async function onDatabase(label: string, url: string, xml: string, runs: number) {
  const db = await connect(parseDatabaseUrl(url));
  try {
    await migrateToLatest(db.db, db.dialect);
    let t0 = process.hrtime.bigint();
    const first = await store(db, xml);
    const fresh = ms(t0);
    const again: number[] = [];
    let unchanged = 0;
    for (let i = 0; i < runs; i++) {
      t0 = process.hrtime.bigint();
      const out = await store(db, xml);
      again.push(ms(t0));
      unchanged = out.filter((o) => o === 'unchanged').length;
    }
    console.log(
      `${label.padEnd(10)} parse+store, empty database: ${fresh.toFixed(0)} ms (${first.filter((o) => o === 'new').length} new); ` +
        `re-harvest: median ${median(again).toFixed(0)} ms of ${runs} (${unchanged} unchanged)`,
    );
  } finally {
    await db.close();
  }
}

export default async function bench(args: string[]) {
  const runs = Number(args[0] ?? 5);
  const xml = readFileSync(FILE, 'utf8');
  console.log(`ingest benchmark: ${path.basename(FILE)} (${(xml.length / 1e6).toFixed(1)} MB), ${runs} runs each`);
  parseOaiPage(xml); // warm-up: JIT and the parser's first allocations
  const parse: number[] = [];
  let records = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    records = parseOaiPage(xml).records.length;
    parse.push(ms(t0));
  }
  const p = median(parse);
  console.log(`parse      ${records} records: median ${p.toFixed(0)} ms (min ${Math.min(...parse).toFixed(0)}) = ${Math.round(records / (p / 1000))} records/s`);

  const dir = mkdtempSync(path.join(tmpdir(), 'dp-bench-ingest-'));
  try {
    await onDatabase('sqlite', `sqlite:${dir}/bench.db`, xml, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const name = `dp_bench_ingest_${process.pid}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN });
  try {
    await admin.connect();
  } catch (e) {
    console.log(`postgres   skipped: cannot connect to ${PG_ADMIN} (${(e as Error).message})`);
    return;
  }
  try {
    await admin.query(`create database ${name}`);
    const u = new URL(PG_ADMIN);
    u.pathname = `/${name}`;
    await onDatabase('postgres', u.toString(), xml, runs);
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
