// The feeds over the real 9,877 featured papers (../shared/data/hf-daily-papers.jsonl.gz), on every
// dialect: every month's RSS and Atom feed is well-formed XML that a feed parser reads back with
// each paper's title intact, whatever the abstracts carry (TeX, markup-like text, odd characters).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/ingest/import.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';

const HF = path.resolve(import.meta.dirname, '../../../shared/data/hf-daily-papers.jsonl.gz');

describe.each(DIALECTS)('feeds over the real featured papers on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  beforeAll(async () => {
    if (!existsSync(HF)) throw new Error(`real data not found: ${HF}`);
    t = await testApp(dialect);
    await importFiles(t.db.db, [HF], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
  });
  afterAll(async () => t?.close());

  it('serves every month as RSS and Atom that parse back with the stored titles', async () => {
    const months = await t.db.db.selectFrom('featured').select('day').distinct().execute();
    const keys = [...new Set(months.map((m) => m.day.slice(0, 7)))].sort();
    expect(keys.length).toBeGreaterThan(20);
    const parser = new Parser();
    let entries = 0;
    for (const month of keys) {
      for (const f of ['rss', 'atom']) {
        const res = await t.app.request(`/papers/month/${month}/feed.${f}`);
        expect(res.status, month).toBe(200);
        const body = await res.text();
        expect(XMLValidator.validate(body), `${month} ${f}`).toBe(true);
        const feed = await parser.parseString(body);
        expect(feed.items.length, month).toBeGreaterThan(0);
        const ids = feed.items.map((i) => /abs\/(.+)$/.exec((i.guid ?? (i as { id?: string }).id)!)![1]!);
        const rows = await t.db.db.selectFrom('papers').select(['id', 'title']).where('id', 'in', ids).execute();
        const title = new Map(rows.map((r) => [r.id, r.title]));
        feed.items.forEach((item, n) => {
          expect(item.title, ids[n]).toBe(title.get(ids[n]!));
        });
        entries += feed.items.length;
      }
    }
    expect(entries).toBeGreaterThan(keys.length * 2 * 20);
  });
});
