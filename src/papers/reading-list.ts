// What an import into a collection reads: a BibTeX file, or a text list of arXiv ids and URLs (one
// per line; blank lines and lines starting with # are skipped). Pure: text in, the arXiv ids with
// the line each came from, and the bad lines with their number and why.
//
// BibTeX is cut into entries at each `@` that starts a line, and each entry is parsed on its own by
// bibtex-parse (decision 0040), so one broken entry is reported with its line and the rest are kept;
// the file's @string definitions are put before each entry.
// An entry's arXiv id is looked for where reference managers and arXiv's own export put it:
// eprint (with archivePrefix arXiv, or an arXiv-shaped value), an arxiv.org URL, the DOI arXiv
// mints (10.48550/arXiv.ID), or "arXiv:ID" in journal, note or howpublished.
import bibtexParse from 'bibtex-parse';
import { parseArxivId } from './arxiv-id.js';

export interface Found {
  id: string;
  line: number;
}
export interface BadLine {
  line: number;
  message: string;
}
export interface ReadingList {
  format: 'bibtex' | 'ids';
  ids: Found[];
  bad: BadLine[];
}

/** Most ids one import takes (each unknown one costs a polite arXiv request). */
export const IMPORT_MAX_IDS = 1_000;

const looksBibtex = (text: string) => /^\s*@\s*[A-Za-z]+\s*[{(]/m.test(text);

export function readReadingList(text: string): ReadingList {
  const out = looksBibtex(text) ? readBibtex(text) : readIds(text);
  const seen = new Set<string>();
  const ids: Found[] = [];
  for (const f of out.ids) {
    if (seen.has(f.id)) continue;
    seen.add(f.id);
    if (ids.length >= IMPORT_MAX_IDS) {
      out.bad.push({ line: f.line, message: `more than ${IMPORT_MAX_IDS} papers in one import; this one and those after it were left out` });
      break;
    }
    ids.push(f);
  }
  return { ...out, ids, bad: out.bad.sort((a, b) => a.line - b.line) };
}

function readIds(text: string): ReadingList {
  const ids: Found[] = [];
  const bad: BadLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const s = raw.trim();
    if (!s || s.startsWith('#')) return;
    const ref = parseArxivId(s);
    if (ref) ids.push({ id: ref.id, line: i + 1 });
    else bad.push({ line: i + 1, message: `'${s.slice(0, 80)}' is not an arXiv id or URL` });
  });
  return { format: 'ids', ids, bad };
}

type Entry = Record<string, unknown> & { key?: string; type?: string };

const ARXIV_IN_TEXT = /arxiv[:\s]*((?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?)/i;
const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/[^\s}"]+/i;

/** The arXiv id of a parsed entry, or null. */
export function entryArxivId(e: Entry): string | null {
  const field = (k: string) => {
    const v = e[k.toUpperCase()];
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
  };
  const prefix = field('archivePrefix') || field('eprinttype');
  const eprint = field('eprint');
  if (eprint) {
    const ref = parseArxivId(eprint);
    if (ref && (/arxiv/i.test(prefix) || !prefix)) return ref.id;
  }
  for (const k of ['url', 'pdf', 'howpublished', 'note']) {
    const m = ARXIV_URL.exec(field(k));
    const ref = m ? parseArxivId(`https://${m[0]}`) : null;
    if (ref) return ref.id;
  }
  const doi = /10\.48550\/arxiv\.(.+)$/i.exec(field('doi'));
  if (doi) {
    const ref = parseArxivId(doi[1]!);
    if (ref) return ref.id;
  }
  for (const k of ['journal', 'note', 'howpublished', 'eprint']) {
    const m = ARXIV_IN_TEXT.exec(field(k));
    const ref = m ? parseArxivId(m[1]!) : null;
    if (ref) return ref.id;
  }
  return null;
}

function readBibtex(text: string): ReadingList {
  const lines = text.split(/\r?\n/);
  const starts: number[] = [];
  lines.forEach((l, i) => {
    if (/^\s*@/.test(l)) starts.push(i);
  });
  const ids: Found[] = [];
  const bad: BadLine[] = [];
  const chunks = starts.map((start, k) => ({ line: start + 1, text: lines.slice(start, starts[k + 1] ?? lines.length).join('\n') }));
  // @string definitions go before every entry, so an entry parsed alone still sees them.
  const strings = chunks
    .filter((c) => /^\s*@\s*string\s*[{(]/i.test(c.text))
    .map((c) => c.text)
    .join('\n');
  for (const { line, text: chunk } of chunks) {
    if (/^\s*@\s*(string|preamble|comment)\b/i.test(chunk)) continue;
    let entries: Entry[];
    try {
      entries = bibtexParse.entries(strings ? `${strings}\n${chunk}` : chunk) as Entry[];
    } catch (e) {
      const why = e instanceof Error ? e.message.split('\n')[0]!.slice(0, 160) : 'unreadable';
      bad.push({ line, message: `this BibTeX entry could not be read (${why})` });
      continue;
    }
    for (const e of entries) {
      const id = entryArxivId(e);
      if (id) ids.push({ id, line });
      else bad.push({ line, message: `entry '${String(e.key ?? '?').slice(0, 80)}' names no arXiv paper (no eprint, arXiv URL or arXiv DOI)` });
    }
  }
  return { format: 'bibtex', ids, bad };
}
