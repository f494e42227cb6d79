// `npm run eval -- search [--queries N] [--dims 128,256] [--database URL] [--fresh]`: retrieval
// quality on the real data. Loads ../shared/data (84k arXiv + 9.9k Hugging Face papers) into a
// SQLite database under /tmp (kept between runs unless --fresh), or into the PostgreSQL database of
// --database (loaded when it has no papers; --fresh empties only the SQLite one), builds queries
// from the Hugging Face papers' ai_keywords (three keywords of a paper as the query, that paper as
// the one right answer), and prints MRR@10 and Recall@10 for lexical only, semantic only and
// hybrid, per embedder.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { importFiles } from '../src/ingest/import.js';
import { gaussian } from '../src/search/embedders/linalg.js';
import { LSA_DIM, trainBuiltin } from '../src/search/embedders/index.js';
import { createSearch, type Mode } from '../src/search/index.js';

const DATA = path.resolve(import.meta.dirname, '../../shared/data');
const DIR = '/tmp/dailypapers-eval';

async function main(argv: string[]) {
  const [what, ...rest] = argv;
  if (what !== 'search') {
    console.error('usage: npm run eval -- search [--queries N] [--dims 128,256] [--modes lexical,semantic,hybrid] [--database URL] [--no-train] [--fresh]');
    process.exit(2);
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      queries: { type: 'string' },
      dims: { type: 'string' },
      fresh: { type: 'boolean' },
      'no-train': { type: 'boolean' },
      modes: { type: 'string' },
      database: { type: 'string' },
    },
  });
  const modes = (values.modes ?? 'lexical,semantic,hybrid').split(',') as Mode[];
  const nQueries = Number(values.queries ?? 500);
  // By default the dimension the app trains (LSA_DIM), so that the table is of what ships.
  const dims = (values.dims ?? String(LSA_DIM)).split(',').map(Number);
  if (values.fresh) rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, 'eval.db');
  const config = loadConfig({ DATABASE_URL: values.database ?? `sqlite:${file}`, DATA_DIR: DIR, EMBEDDER: 'builtin' });
  const db = await connect(config.database);
  await migrateToLatest(db.db, db.dialect);
  const count = async () =>
    Number(
      (
        await db.db
          .selectFrom('papers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  if ((await count()) === 0) {
    const t = Date.now();
    const s = await importFiles(db.db, [path.join(DATA, 'arxiv-sample.jsonl.gz'), path.join(DATA, 'hf-daily-papers.jsonl.gz')], {
      rejectsDir: path.join(DIR, 'rejects'),
    });
    console.log(`imported ${s.new} papers (${s.updated} updated) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const papers = await count();

  // Queries: a seeded sample of featured papers with at least three keywords.
  const rows = await db.db.selectFrom('featured').select(['paper_id', 'ai_keywords']).orderBy('paper_id').execute();
  const rnd = gaussian(7);
  const uniform = () => 0.5 * (1 + Math.tanh(rnd())); // any seeded number in (0, 1) will do
  const candidates = rows.map((r) => ({ id: r.paper_id, kw: JSON.parse(r.ai_keywords) as string[] })).filter((r) => r.kw.length >= 3);
  const queries: Array<{ q: string; id: string }> = [];
  const used = new Set<number>();
  while (queries.length < Math.min(nQueries, candidates.length)) {
    const i = Math.floor(uniform() * candidates.length);
    if (used.has(i)) continue;
    used.add(i);
    const kw = [...candidates[i]!.kw];
    const pick: string[] = [];
    while (pick.length < 3) pick.push(kw.splice(Math.floor(uniform() * kw.length), 1)[0]!);
    queries.push({ q: pick.join(' '), id: candidates[i]!.id });
  }
  console.log(`${papers} papers, ${candidates.length} featured papers with >= 3 ai_keywords, ${queries.length} queries (e.g. "${queries[0]?.q}")`);

  const table: string[] = ['| embedder | mode | MRR@10 | Recall@10 | mean ms/query |', '| --- | --- | --- | --- | --- |'];
  let lexicalDone = false;
  for (const dim of dims) {
    const t0 = Date.now();
    // --no-train evaluates the model trained last (e.g. after an interrupted run).
    const emb = values['no-train'] ? await createSearch({ db, config }).embedder() : await trainBuiltin(db.db, { dim });
    const trainS = (Date.now() - t0) / 1000;
    const search = createSearch({ db, config });
    const t1 = Date.now();
    const p = await search.embedPending();
    await search.warm(); // the vector graph is built before the first query, not during the timed ones
    console.log(`${db.dialect}, ${emb?.model}: trained in ${trainS.toFixed(1)} s, embedded ${p.embedded} papers in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    for (const mode of modes) {
      if (mode === 'lexical' && lexicalDone) continue;
      let rr = 0;
      let hits = 0;
      const t = performance.now();
      for (const { q, id } of queries) {
        const r = await search.search({ q, mode, limit: 10 });
        if (r.mode !== mode) throw new Error(`asked for ${mode}, got ${r.mode} for "${q}"`);
        const rank = r.hits.findIndex((h) => h.paper.id === id);
        if (rank >= 0) {
          rr += 1 / (rank + 1);
          hits++;
        }
      }
      const ms = (performance.now() - t) / queries.length;
      const label =
        mode === 'lexical'
          ? db.dialect === 'sqlite'
            ? 'none (FTS5 bm25)'
            : 'none (tsvector, ts_rank_cd)'
          : `builtin LSA ${emb?.model.match(/lsa(\d+)/)?.[1] ?? dim}-d`;
      table.push(`| ${label} | ${mode} | ${(rr / queries.length).toFixed(3)} | ${(hits / queries.length).toFixed(3)} | ${ms.toFixed(1)} |`);
      if (mode === 'lexical') lexicalDone = true;
      console.log(table.at(-1));
    }
  }
  console.log('\n' + table.join('\n'));
  await db.close();
}

await main(process.argv.slice(2));
