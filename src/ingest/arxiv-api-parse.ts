// arXiv API responses (Atom 1.0 with arXiv's extensions, https://info.arxiv.org/help/api/user-manual.html
// §5.2) parsed as a pure function: XML in, papers out. Fetching lives in arxiv-api.ts.
import { parseArxivId } from '../papers/arxiv-id.js';
import type { Paper } from '../papers/types.js';
import { isoDate, normalizeSpace, optText, parseCategories, RecordError } from './fields.js';
import { isWithdrawn, MalformedXmlError, parseXml, text, attr } from './oai-parse.js';

export interface AtomResult {
  papers: Paper[];
  /** Entries the API answered with an error (user manual §3.4: `<title>Error</title>`, id .../api/errors#...). */
  errors: string[];
  /** Entries that could not be read, with the reason. */
  problems: string[];
  totalResults: number | null;
}

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]) as Node[];

export function parseAtomFeed(xml: string): AtomResult {
  const feed = parseXml(xml).feed as Node | undefined;
  if (!feed || typeof feed !== 'object') throw new MalformedXmlError('not an Atom feed: no <feed> root element');
  const total = text(feed.totalResults);
  const out: AtomResult = { papers: [], errors: [], problems: [], totalResults: /^\d+$/.test(total) ? Number(total) : null };
  for (const entry of list(feed.entry)) {
    const id = text(entry.id);
    if (/\/api\/errors(#|$)/.test(id)) {
      out.errors.push(normalizeSpace(text(entry.summary)) || id);
      continue;
    }
    try {
      out.papers.push(paperFromEntry(entry));
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      out.problems.push(`${id}: ${e.message}`);
    }
  }
  return out;
}

export function paperFromEntry(e: Node): Paper {
  const rawId = text(e.id);
  const ref = parseArxivId(rawId);
  if (!ref) throw new RecordError(`id: '${rawId}' is not an arXiv abstract URL`);
  const title = normalizeSpace(text(e.title));
  if (!title) throw new RecordError('title: empty');
  const primary = attr(e.primary_category, 'term');
  const terms = list(e.category).map((c) => attr(c, 'term') ?? '');
  // The primary category first, as arXiv lists them elsewhere (arXivRaw, the snapshot).
  const categories = parseCategories([primary ?? '', ...terms].join(' '));
  const comments = optText(text(e.comment));
  const abstract = normalizeSpace(text(e.summary));
  const published = text(e.published);
  const updated = text(e.updated);
  return {
    id: ref.id,
    version: ref.version,
    title,
    abstract,
    authors: list(e.author)
      .map((a) => normalizeSpace(text(a.name)))
      .filter(Boolean),
    primaryCategory: categories[0] ?? null,
    categories,
    publishedAt: published ? isoDate(published, 'published') : null,
    updatedAt: updated ? isoDate(updated, 'updated') : null,
    submitter: null,
    comments,
    journalRef: optText(text(e.journal_ref)),
    doi: optText(text(e.doi)),
    reportNo: null,
    license: null,
    codeUrl: null,
    projectUrl: null,
    withdrawn: isWithdrawn('', comments, abstract),
  };
}
