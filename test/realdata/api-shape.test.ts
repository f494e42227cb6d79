// Our API against Hugging Face's real answers (../shared/data/raw/hf-api-daily_papers_date=*.json),
// on every dialect: the two days are imported, then served back by /api/daily_papers,
// /api/papers/ID and /api/papers/search. Every key we send must be a key Hugging Face sends at the
// same place with the same JSON type (additions only where docs/decisions/0011 lists them), and
// the values must be the ones Hugging Face gave.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../src/ingest/import.js';
import { DIALECTS } from '../harness/db.js';
import { testApp } from '../harness/app.js';

const RAW = path.resolve(import.meta.dirname, '../../../shared/data/raw');
const DAYS = ['2024-05-27', '2026-08-21'];
const file = (day: string) => path.join(RAW, `hf-api-daily_papers_date=${day}.json`);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const typeOf = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Every key path with the JSON types seen there: `paper.authors[].name` -> {string}. */
function shapes(values: Json[], into = new Map<string, Set<string>>(), prefix = ''): Map<string, Set<string>> {
  for (const v of values) {
    if (Array.isArray(v)) shapes(v, into, `${prefix}[]`);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const key = prefix ? `${prefix}.${k}` : k;
        if (!into.has(key)) into.set(key, new Set());
        into.get(key)!.add(typeOf(child));
        shapes([child], into, key);
      }
    }
  }
  return into;
}

/** Keys of ours Hugging Face's daily_papers items do not have, each listed in decision 0011. */
const ADDITIONS = {
  daily: [] as string[],
  paper: [
    'numComments',
    'version',
    'updatedAt',
    'categories',
    'categories[]',
    'primaryCategory',
    'comments',
    'journalRef',
    'doi',
    'license',
    'withdrawn',
    'arxivUrl',
    'pdfUrl',
  ],
  search: ['highlightedSummary'],
};

function mismatches(ours: Json[], theirs: Map<string, Set<string>>, additions: string[]): string[] {
  const out: string[] = [];
  for (const [key, types] of shapes(ours)) {
    if (additions.includes(key)) continue;
    const hf = theirs.get(key);
    if (!hf) out.push(`${key}: not a key of Hugging Face's`);
    else for (const t of types) if (!hf.has(t)) out.push(`${key}: ${t} where Hugging Face has ${[...hf].join('|')}`);
  }
  return out;
}

describe.each(DIALECTS)('API shape against Hugging Face on %s', (dialect) => {
  let t: Awaited<ReturnType<typeof testApp>>;
  const hf = new Map<string, Array<Record<string, any>>>();
  let hfItems: Map<string, Set<string>>;
  let hfPapers: Map<string, Set<string>>;
  beforeAll(async () => {
    for (const d of DAYS) if (!existsSync(file(d))) throw new Error(`real data not found: ${file(d)}`);
    t = await testApp(dialect);
    for (const d of DAYS) hf.set(d, JSON.parse(readFileSync(file(d), 'utf8')));
    const r = await importFiles(t.db.db, DAYS.map(file), { rejectsDir: path.join(t.test.dataDir, 'rejects') });
    expect(r).toBeTruthy();
    const all = [...hf.values()].flat();
    hfItems = shapes(all as Json[]);
    hfPapers = shapes(all.map((i) => i.paper) as Json[]);
  });
  afterAll(async () => t?.close());

  it('serves each day with Hugging Face keys and types only, and its values', async () => {
    for (const day of DAYS) {
      const res = await t.app.request(`/api/daily_papers?date=${day}&limit=100`);
      expect(res.status).toBe(200);
      const ours = (await res.json()) as Array<Record<string, any>>;
      const theirs = hf.get(day)!;
      expect(ours.length, day).toBe(theirs.length);
      expect(mismatches(ours as Json[], hfItems, ADDITIONS.daily), day).toEqual([]);
      for (const h of theirs) {
        const o = ours.find((i) => i.paper.id === h.paper.id)!;
        expect(o, h.paper.id).toBeDefined();
        expect(o.paper.upvotes).toBe(h.paper.upvotes);
        expect(o.numComments).toBe(h.numComments);
        expect(o.paper.authors.map((a: { name: string }) => a.name)).toEqual(h.paper.authors.map((a: { name: string }) => a.name.replace(/\s+/g, ' ').trim()));
        expect(o.paper.publishedAt).toBe(new Date(h.paper.publishedAt).toISOString());
        expect(o.paper.githubRepo).toBe(h.paper.githubRepo);
        expect(o.paper.projectPage).toBe(h.paper.projectPage);
        expect(o.paper.ai_summary).toBe(h.paper.ai_summary);
        expect(o.paper.ai_keywords).toEqual(h.paper.ai_keywords);
        expect(o.organization?.name).toBe(h.organization?.name);
        expect(o.organization?.fullname).toBe(h.organization?.fullname?.replace(/\s+/g, ' ').trim());
        expect(o.submittedBy?.name).toBe(h.submittedBy?.name ?? h.paper.submittedOnDailyBy?.user);
        if (h.paper.submittedOnDailyAt) expect(o.paper.submittedOnDailyAt).toBe(h.paper.submittedOnDailyAt);
      }
    }
  });

  it("serves GET /api/papers/ID with the keys and types of Hugging Face's paper object", async () => {
    for (const h of [...hf.values()].flat()) {
      const res = await t.app.request(`/api/papers/${h.paper.id}`);
      expect(res.status).toBe(200);
      const ours = (await res.json()) as Json;
      expect(mismatches([ours], hfPapers, ADDITIONS.paper), h.paper.id).toEqual([]);
    }
  });

  it("serves search results with the keys and types of Hugging Face's items", async () => {
    for (const q of ['visual', 'agents', 'language model']) {
      const res = await t.app.request(`/api/papers/search?q=${encodeURIComponent(q)}&limit=10`);
      expect(res.status).toBe(200);
      const ours = (await res.json()) as Json[];
      expect(ours.length, q).toBeGreaterThan(0);
      expect(mismatches(ours, hfItems, ADDITIONS.search), q).toEqual([]);
    }
  });
});
