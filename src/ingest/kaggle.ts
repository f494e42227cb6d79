// The Kaggle/Cornell arXiv metadata snapshot (arxiv-metadata-oai-snapshot.json), one JSON object
// per line. Every field but id and title may be missing (the shared sample lacks most of them).
import { z } from 'zod';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { Paper } from '../papers/types.js';
import { isoDate, normalizeSpace, optText, parseCategories, RecordError, zodReason } from './fields.js';

const optString = z.string().nullish();

export const KaggleRecord = z.object({
  id: z.string(),
  title: z.string(),
  submitter: optString,
  authors: optString,
  comments: optString,
  'journal-ref': optString,
  doi: optString,
  'report-no': optString,
  categories: optString,
  license: optString,
  abstract: optString,
  versions: z.array(z.object({ version: z.string(), created: z.string() })).nullish(),
  update_date: optString,
  authors_parsed: z.array(z.array(z.string())).nullish(),
  /** In the shared sample: the day the paper appeared in an arXiv listing. */
  _listed_on: optString,
});

export function isKaggleRecord(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'id' in value && !('paper' in value);
}

/** One snapshot record -> a Paper; throws RecordError with the reason it cannot be loaded. */
export function parseKaggle(value: unknown): Paper {
  const parsed = KaggleRecord.safeParse(value);
  if (!parsed.success) throw new RecordError(zodReason(parsed.error));
  const r = parsed.data;
  const ref = parseArxivId(r.id);
  if (!ref) throw new RecordError(`id: '${r.id}' is not an arXiv identifier`);
  const title = normalizeSpace(r.title);
  if (!title) throw new RecordError('title: empty');

  let version = ref.version;
  let publishedAt: string | null = null;
  let updatedAt: string | null = null;
  if (r.versions?.length) {
    const dated = r.versions.map((v, i) => {
      const n = /^v(\d+)$/.exec(v.version);
      if (!n) throw new RecordError(`versions[${i}].version: '${v.version}' is not like v1`);
      return { n: Number(n[1]), at: isoDate(v.created, `versions[${i}].created`) };
    });
    dated.sort((a, b) => a.n - b.n);
    version = Math.max(version ?? 0, dated.at(-1)!.n);
    publishedAt = dated[0]!.at;
    updatedAt = dated.at(-1)!.at;
  }
  if (r.update_date) {
    const u = isoDate(r.update_date, 'update_date');
    if (!updatedAt || u > updatedAt) updatedAt = u;
  }
  if (!publishedAt && r._listed_on) publishedAt = isoDate(r._listed_on, '_listed_on');
  if (publishedAt && updatedAt && updatedAt < publishedAt) updatedAt = publishedAt;

  const categories = parseCategories(r.categories);
  const comments = optText(r.comments);
  return {
    id: ref.id,
    version,
    title,
    abstract: normalizeSpace(r.abstract ?? ''),
    authors: r.authors_parsed?.length ? namesFromParsed(r.authors_parsed) : splitAuthors(r.authors ?? ''),
    primaryCategory: categories[0] ?? null,
    categories,
    publishedAt,
    updatedAt: updatedAt ?? publishedAt,
    submitter: optText(r.submitter),
    comments,
    journalRef: optText(r['journal-ref']),
    doi: optText(r.doi),
    reportNo: optText(r['report-no']),
    license: optText(r.license),
    codeUrl: null,
    projectUrl: null,
    withdrawn: isWithdrawnComment(comments),
  };
}

/** authors_parsed rows are [last, first, suffix]. */
function namesFromParsed(rows: string[][]): string[] {
  return rows.map(([last = '', first = '', suffix = '']) => normalizeSpace(`${first} ${last} ${suffix}`)).filter(Boolean);
}

/**
 * arXiv's free-text author list: "A. One, B. Two (MIT, Cambridge) and C. Three". Affiliations in
 * parentheses go first, as their commas would split names.
 */
export function splitAuthors(s: string): string[] {
  let text = s;
  for (let prev = ''; prev !== text; ) {
    prev = text;
    text = text.replace(/\([^()]*\)/g, ' ');
  }
  return normalizeSpace(text)
    .split(/\s*,\s*(?:and\s+)?|\s+and\s+/)
    .map((n) => n.trim())
    .filter(Boolean);
}

/** arXiv marks withdrawals in the comments: "This paper has been withdrawn by the author". */
export function isWithdrawnComment(comments: string | null): boolean {
  return comments !== null && /\b(?:has been|is|was|been)\s+withdrawn\b/i.test(comments);
}
