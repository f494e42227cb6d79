// The recommendation evaluation's database: the real data (../shared/data) imported into a SQLite
// file under /tmp, the built-in model trained and every paper embedded; kept between runs.
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { connect, type Db } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importFiles } from '../src/ingest/import.js';
import { trainBuiltin } from '../src/search/embedders/index.js';
import { createSearch, type SearchService } from '../src/search/index.js';

const DATA = path.resolve(import.meta.dirname, '../../shared/data');

export async function evalDatabase(dir: string): Promise<{ db: Db; search: SearchService }> {
  const config = loadConfig({ DATABASE_URL: `sqlite:${dir}/eval.db`, DATA_DIR: dir, EMBEDDER: 'builtin' });
  const db = await connect(config.database);
  await migrateToLatest(db.db, db.dialect);
  const n = await db.db
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  let search = createSearch({ db, config });
  if (Number(n.n) === 0) {
    let t = Date.now();
    const s = await importFiles(db.db, [path.join(DATA, 'arxiv-sample.jsonl.gz'), path.join(DATA, 'hf-daily-papers.jsonl.gz')], {
      rejectsDir: path.join(dir, 'rejects'),
    });
    console.log(`imported ${s.new} papers in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    t = Date.now();
    await trainBuiltin(db.db, {});
    console.log(`trained the built-in model in ${((Date.now() - t) / 1000).toFixed(0)} s`);
    search = createSearch({ db, config });
    t = Date.now();
    const p = await search.embedPending();
    console.log(`embedded ${p.embedded} papers in ${((Date.now() - t) / 1000).toFixed(0)} s`);
  }
  return { db, search };
}
