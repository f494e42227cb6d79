// A corpus of a million papers for the search benchmark, built from the real ones: each synthetic
// paper recombines real sentences (its first sentence from one paper, the middle from others of
// the same primary category, the last from a second paper), a title from two real titles, and
// authors from both. Word statistics, abstract lengths and topics stay those of arXiv, so index
// sizes and posting lists behave as they would at that scale. Written once in the Kaggle format,
// then imported by the real importer. Ids are YYMM.9NNNN for 2015-2024, numbers arXiv has never
// reached in a month (its busiest months are under 30,000), so they never collide with real ones.
import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { mulberry32 } from '../src/search/embedders/linalg.js';

interface Real {
  title: string;
  abstract: string;
  authors: string;
  categories: string;
}

const sentences = (abstract: string) =>
  abstract
    .replace(/\s+/g, ' ')
    .trim()
    .split(/(?<=[.!?])\s+(?=[A-Z])/)
    .filter((s) => s.length > 20);

async function readReal(file: string): Promise<Real[]> {
  const out: Real[] = [];
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    const r = JSON.parse(line) as Real;
    if (r.title && r.abstract && r.authors && r.categories) out.push({ title: r.title, abstract: r.abstract, authors: r.authors, categories: r.categories });
  }
  return out;
}

/**
 * Writes `count` synthetic papers to `file` (JSON lines, Kaggle format) unless it is there already;
 * returns the file. Written under a temporary name and renamed, so a stopped run leaves no half file.
 */
export async function syntheticCorpus(source: string, count: number, file: string, history?: { perDay: number; end: string }): Promise<string> {
  if (existsSync(file)) return file;
  const real = await readReal(source);
  const byCategory = new Map<string, string[]>();
  for (const r of real) {
    const primary = r.categories.split(' ')[0]!;
    const pool = byCategory.get(primary) ?? [];
    for (const s of sentences(r.abstract)) pool.push(s);
    byCategory.set(primary, pool);
  }
  const rand = mulberry32(20261129);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
  const inMonth = new Map<string, number>();
  const tmp = `${file}.${process.pid}.tmp`;
  const out = createWriteStream(tmp);
  for (let i = 0; i < count; i++) {
    const a = real[i % real.length]!;
    const b = pick(real);
    const pool = byCategory.get(a.categories.split(' ')[0]!)!;
    const sa = sentences(a.abstract);
    const sb = sentences(b.abstract);
    const middle = Array.from({ length: 2 + Math.floor(rand() * 4) }, () => pick(pool));
    const abstract = [sa[0] ?? a.abstract, ...middle, sb.at(-1) ?? b.abstract].join(' ');
    const ta = a.title.split(/\s+/);
    const tb = b.title.split(/\s+/);
    const title = [...ta.slice(0, Math.ceil(ta.length / 2)), ...tb.slice(Math.floor(tb.length / 2))].join(' ');
    const names = [...a.authors.split(/,\s*|\s+and\s+/), ...b.authors.split(/,\s*|\s+and\s+/)].filter((n) => n.trim());
    const authors =
      names
        .filter(() => rand() < 0.5)
        .slice(0, 8)
        .join(', ') || names[0]!;
    let id: string;
    let listed: string;
    if (history) {
      // `perDay` papers listed on each day back from `end`, numbered within their month from 10000.
      listed = new Date(Date.parse(`${history.end}T00:00:00Z`) - Math.floor(i / history.perDay) * 86_400_000).toISOString().slice(0, 10);
      const yymm = listed.slice(2, 4) + listed.slice(5, 7);
      const n = (inMonth.get(yymm) ?? 10_000) + 1;
      inMonth.set(yymm, n);
      id = `${yymm}.${n}`;
    } else {
      const month = Math.floor(i / 10_000); // 120 months from 2015-01
      const yymm = `${15 + Math.floor(month / 12)}${String((month % 12) + 1).padStart(2, '0')}`;
      id = `${yymm}.${90_000 + (i % 10_000)}`;
      listed = `20${yymm.slice(0, 2)}-${yymm.slice(2)}-${String(1 + (i % 28)).padStart(2, '0')}`;
    }
    if (!out.write(`${JSON.stringify({ id, authors, title, categories: a.categories, abstract, _listed_on: listed })}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(tmp, file);
  return file;
}

export const syntheticPath = (dir: string, count: number, tag = '') => path.join(dir, `synthetic-${count}${tag}.jsonl`);
