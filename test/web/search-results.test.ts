// Search results kept per instance until content changes (web/search-results.ts): a second search
// of the same words asks the search service nothing, yet shows the counts of now; new content, a
// sort by upvotes, and an answer by words alone while the model loads are searched each time.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSearch, type SearchService } from '../../src/search/index.js';
import { buildServices } from '../../src/services.js';
import { searchResults } from '../../src/web/search-results.js';
import { kaggleRecord } from '../fixtures/records.js';
import { insertFeatured } from '../../src/store/votes.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { importFiles } from '../../src/ingest/import.js';
import { writeJsonl } from '../fixtures/records.js';
import path from 'node:path';
import { corpus } from '../search/corpus.js';

const FEATURED = '2501.10000'; // a corpus paper about Nash equilibria, featured below

describe.each(DIALECTS)('search results kept until content changes (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let deps: ReturnType<typeof buildServices>;
  const calls = { search: 0 };
  const load = async (records: Array<Record<string, unknown>>) => {
    await importFiles(t.db.db, [writeJsonl(path.join(t.test.dataDir, `load-${Math.random()}.jsonl`), records)], {
      rejectsDir: path.join(t.test.dataDir, 'rejects'),
    });
    await deps.pageCache.versions?.sync();
  };
  beforeAll(async () => {
    t = await openTestDb(dialect);
    const config = loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 's' });
    const real: SearchService = createSearch({ db: t.db, config });
    // The real service, counting the searches it runs.
    const search: SearchService = {
      ...real,
      search: (input) => {
        calls.search++;
        return real.search(input);
      },
    };
    deps = buildServices({ db: t.db, config }, { search });
    await load([...corpus(8).map((d) => d.record), kaggleRecord()]);
    await insertFeatured(t.db.db, FEATURED, '2025-01-03', 'pick');
    await deps.pageCache.versions?.sync();
    await real.embedPending();
    await deps.pageCache.versions?.sync(); // embedding is content too
  });
  afterAll(async () => t.close());

  it('answers a repeated search from what it kept, with the counts of now', async () => {
    const first = await searchResults(deps, { q: 'nash equilibrium', limit: 10 });
    expect(calls.search).toBe(1);
    const hit = first.hits.find((h) => h.paper.id === FEATURED);
    expect(hit).toBeDefined();
    await sql`update featured set upvotes = upvotes + 1 where paper_id = ${FEATURED}`.execute(t.db.db); // a vote
    await deps.pageCache.versions?.sync();
    const again = await searchResults(deps, { q: 'nash equilibrium', limit: 10 });
    expect(calls.search).toBe(1); // a vote is not content: kept
    expect(again.hits.map((h) => h.paper.id)).toEqual(first.hits.map((h) => h.paper.id));
    const now = again.hits.find((h) => h.paper.id === FEATURED)!;
    expect(now.upvotes).toBe(hit!.upvotes + 1);
    expect(now.snippet).toEqual(hit!.snippet);
  });

  it('searches again after new content, and each time when sorted by upvotes', async () => {
    await searchResults(deps, { q: 'nash equilibrium', limit: 5 });
    const before = calls.search;
    await load([kaggleRecord({ id: '2502.04444', title: 'Nash equilibrium of a new kind' })]);
    const r = await searchResults(deps, { q: 'nash equilibrium', limit: 5 });
    expect(calls.search).toBe(before + 1);
    expect(r.hits.map((h) => h.paper.id)).toContain('2502.04444');
    await searchResults(deps, { q: 'nash equilibrium', sort: 'upvotes' });
    await searchResults(deps, { q: 'nash equilibrium', sort: 'upvotes' });
    expect(calls.search).toBe(before + 3);
  });
});
