// New papers over the real arXiv sample (../shared/data/arxiv-sample.jsonl.gz, 84k papers with the
// day each appeared in an arXiv listing, `_listed_on`), on every dialect: a day of /api/papers/new
// and /papers/new/D holds exactly the sample's papers listed that day in the instance's categories,
// new submissions (primary category followed) apart from cross-lists.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/ingest/import.js';
import { inCategories } from '../../src/papers/categories.js';
import { testApp } from '../harness/app.js';
import { DIALECTS } from '../harness/db.js';

const SAMPLE = path.resolve(import.meta.dirname, '../../../shared/data/arxiv-sample.jsonl.gz');
const FOLLOWED = ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']; // the default ARXIV_CATEGORIES

interface Listed {
  id: string;
  categories: string[];
  day: string;
}

async function readSample(): Promise<Listed[]> {
  const out: Listed[] = [];
  for await (const line of createInterface({ input: createReadStream(SAMPLE).pipe(createGunzip()), crlfDelay: Infinity })) {
    const r = JSON.parse(line) as { id: string; categories: string; _listed_on?: string };
    if (r._listed_on) out.push({ id: r.id, categories: r.categories.split(/\s+/), day: r._listed_on });
  }
  return out;
}

describe.each(DIALECTS)('new papers over the real sample on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  let sample: Listed[];

  beforeAll(async () => {
    t = await testApp(dialect);
    const summary = await importFiles(t.db.db, [SAMPLE], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
    expect(summary.rejected).toBe(0);
    sample = await readSample();
  });
  afterAll(async () => t?.close());

  /** Every id of a day from the API, following its pages. */
  async function apiDay(day: string, groups: string): Promise<string[]> {
    const ids: string[] = [];
    for (let p = 0; ; p++) {
      const res = await t.app.request(`/api/papers/new?date=${day}&groups=${groups}&limit=100&p=${p}`);
      expect(res.status).toBe(200);
      ids.push(...((await res.json()) as Array<{ paper: { id: string } }>).map((i) => i.paper.id));
      if (!res.headers.get('link')) return ids;
    }
  }

  it('lists exactly the papers of each of the last three listing days, new apart from cross-lists', async () => {
    // Ids listed on more than one day (a record seen twice) would make the expectation ambiguous.
    const count = new Map<string, number>();
    for (const r of sample) count.set(r.id, (count.get(r.id) ?? 0) + 1);
    const days = [...new Set(sample.map((r) => r.day))].sort().slice(-3);
    for (const day of days) {
      const listed = sample.filter((r) => r.day === day && count.get(r.id) === 1 && inCategories(r.categories, FOLLOWED));
      const fresh = listed.filter((r) => inCategories(r.categories.slice(0, 1), FOLLOWED)).map((r) => r.id);
      const cross = listed.filter((r) => !inCategories(r.categories.slice(0, 1), FOLLOWED)).map((r) => r.id);
      expect(fresh.length, day).toBeGreaterThan(10);
      const gotNew = await apiDay(day, 'new');
      const gotCross = await apiDay(day, 'cross');
      expect(gotNew.filter((id) => count.get(id) === 1).sort(), day).toEqual(fresh.sort());
      expect(gotCross.filter((id) => count.get(id) === 1).sort(), day).toEqual(cross.sort());
    }
    const latest = await (await t.app.request('/papers/new')).text();
    expect(latest).toContain(`New submissions (`);
    expect(latest).toContain(
      new Date(`${days.at(-1)}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }),
    );
  });
});
