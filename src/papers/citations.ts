// A list of papers as a citation file that reference managers import (Zotero, JabRef, Mendeley):
// BibTeX (papers/bibtex.ts's entries, with keys made unique in the file), RIS (the tagged format
// of Research Information Systems: `TY  - ` opens a record, `ER  - ` closes it) and CSL-JSON (the
// Citation Style Language's data schema, https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html).
// Pure: papers in, text out.
import { idMonth } from './arxiv-id.js';
import { bibtex, bibtexKey } from './bibtex.js';
import { arxivLinks, type Paper } from './types.js';

export const EXPORT_FORMATS = {
  bibtex: { extension: 'bib', type: 'application/x-bibtex; charset=utf-8' },
  ris: { extension: 'ris', type: 'application/x-research-info-systems; charset=utf-8' },
  csl: { extension: 'json', type: 'application/vnd.citationstyles.csl+json; charset=utf-8' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;
export const isExportFormat = (s: string): s is ExportFormat => Object.hasOwn(EXPORT_FORMATS, s);

/** Citation keys for the papers, unique in the file: a second "smith2024deep" becomes "smith2024deepb". */
export function uniqueKeys(papers: Paper[]): string[] {
  const taken = new Set<string>();
  return papers.map((p) => {
    const key = bibtexKey(p);
    let out = key;
    // b..z, then numbers: the suffixes biblatex users know from "2024a", "2024b".
    for (let n = 1; taken.has(out); n++) out = `${key}${n < 26 ? String.fromCharCode(97 + n) : n + 1}`;
    taken.add(out);
    return out;
  });
}

export function toBibtex(papers: Paper[]): string {
  const keys = uniqueKeys(papers);
  return papers.map((p, i) => bibtex(p, keys[i])).join('\n\n') + (papers.length ? '\n' : '');
}

/** "Ada B. Lovelace" -> family "Lovelace", given "Ada B."; a single word is a family name. */
export function splitName(name: string): { family: string; given?: string } {
  const parts = name.trim().split(/\s+/);
  if (parts.length < 2) return { family: parts[0] ?? '' };
  return { family: parts.at(-1)!, given: parts.slice(0, -1).join(' ') };
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The date parts arXiv gives: v1's date, else the id's month. */
function dateParts(p: Paper): number[] | null {
  const iso = p.publishedAt ?? idMonth(p.id);
  const m = iso ? /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(iso) : null;
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), ...(m[3] && p.publishedAt ? [Number(m[3])] : [])];
}

export function toRis(papers: Paper[]): string {
  return papers
    .map((p) => {
      const links = arxivLinks(p.id);
      const d = dateParts(p);
      const tags: Array<[string, string | null | undefined]> = [
        // UNPB (unpublished work): what an arXiv preprint is until a journal takes it.
        ['TY', 'UNPB'],
        ['TI', oneLine(p.title)],
        ...p.authors.map((a): [string, string] => {
          const n = splitName(a);
          return ['AU', n.given ? `${n.family}, ${n.given}` : n.family];
        }),
        ['PY', d ? String(d[0]) : null],
        ['DA', d ? `${d[0]}/${String(d[1]).padStart(2, '0')}/${d[2] ? String(d[2]).padStart(2, '0') : ''}/` : null],
        ['AB', p.abstract ? oneLine(p.abstract) : null],
        ['DO', p.doi],
        ['UR', links.abs],
        ['L1', links.pdf],
        ['PB', 'arXiv'],
        ['M1', `arXiv:${p.id}`],
        ['N1', p.comments ? oneLine(p.comments) : null],
        ...p.categories.map((c): [string, string] => ['KW', c]),
        ['ER', ''],
      ];
      return tags
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => `${k}  - ${v}`.trimEnd())
        .join('\r\n');
    })
    .map((r) => `${r}\r\n`)
    .join('\r\n');
}

/** CSL-JSON items: Zotero's mapping of an arXiv preprint (type "article", archive arXiv). */
export function toCslJson(papers: Paper[]) {
  const keys = uniqueKeys(papers);
  return papers.map((p, i) => {
    const d = dateParts(p);
    return {
      id: keys[i],
      type: 'article',
      title: oneLine(p.title),
      author: p.authors.map(splitName),
      ...(d ? { issued: { 'date-parts': [d] } } : {}),
      ...(p.abstract ? { abstract: oneLine(p.abstract) } : {}),
      ...(p.doi ? { DOI: p.doi } : {}),
      URL: arxivLinks(p.id).abs,
      number: `arXiv:${p.id}`,
      publisher: 'arXiv',
      ...(p.categories.length ? { keyword: p.categories.join(', ') } : {}),
    };
  });
}

export function exportPapers(papers: Paper[], format: ExportFormat): string {
  if (format === 'bibtex') return toBibtex(papers);
  if (format === 'ris') return toRis(papers);
  return `${JSON.stringify(toCslJson(papers), null, 2)}\n`;
}
