// `npm run bench -- ingest [RUNS]`: how long the real 1,000-record OAI-PMH ListRecords page
// (../shared/data/raw, arXivRaw, 1.7 MB) takes to parse, and to parse and store on SQLite and
// PostgreSQL: into an empty database (all new) and again (a re-harvest: all unchanged). The
// harvest itself waits 3 s between pages (arXiv's terms), so parse+store should stay well under it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDatabaseUrl } from '../src/config.js';
import { connect, type Db } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { parseOaiPage } from '../src/ingest/oai-parse.js';
import { upsertRecords } from '../src/store/papers.js';
import { onEachEngine } from './_engines.js';

const FILE = path.resolve(import.meta.dirname, '../../shared/data/raw/arxiv-oai-pmh_ListRecords_arXivRaw_page-47001.xml');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function store(db: Db, xml: string) {
  const page = parseOaiPage(xml);
  return upsertRecords(
    db.db,
    page.records.flatMap((r) => (r.paper ? [{ paper: r.paper, source: 'oai' }] : [])),
  );
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
  console.log(
    `parse      ${records} records: median ${p.toFixed(0)} ms (min ${Math.min(...parse).toFixed(0)}) = ${Math.round(records / (p / 1000))} records/s`,
  );

  await onEachEngine('ingest', (engine, url) => onDatabase(engine, url, xml, runs));
}
