// OAI-PMH responses (http://www.openarchives.org/OAI/2.0/openarchivesprotocol.htm) in arXiv's
// `arXivRaw` metadata format (http://arxiv.org/OAI/arXivRaw.xsd), parsed as pure functions:
// XML text in, paper records out. Fetching lives in oai-harvest.ts.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseArxivId } from '../papers/arxiv-id.js';
import type { Paper } from '../papers/types.js';
import { isoDate, normalizeSpace, optText, parseCategories, RecordError } from './fields.js';
import { isWithdrawnComment, splitAuthors } from './kaggle.js';

/** The response is not well-formed XML (a page cut off in transit): worth fetching again. */
export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError';
}

export interface OaiError {
  /** OAI-PMH §3.6: badArgument, badResumptionToken, noRecordsMatch, idDoesNotExist, ... */
  code: string;
  message: string;
}

export interface OaiRecord {
  /** oai:arXiv.org:2405.15738 */
  identifier: string;
  /** Day the record last changed in the repository, YYYY-MM-DD (arXiv's granularity). */
  datestamp: string;
  setSpecs: string[];
  /** Header status="deleted": the repository no longer has the item (OAI-PMH §2.5.1). */
  deleted: boolean;
  /** The paper, unless deleted or unreadable. */
  paper: Paper | null;
  /** Why the metadata could not be read, when it could not. */
  problem: string | null;
}

export interface OaiPage {
  responseDate: string | null;
  error: OaiError | null;
  records: OaiRecord[];
  /** OAI-PMH §3.5: an empty token on the last page of a list means "complete". */
  resumptionToken: { token: string | null; cursor: number | null; completeListSize: number | null } | null;
}

const ARRAYS = new Set(['record', 'version', 'setSpec', 'error', 'entry', 'author', 'category', 'link']);

/** One parser for OAI-PMH and Atom: namespaces dropped, every value kept as text. */
export const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  // Ids like 0704.0471 must stay text, not become the number 704.0471.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

type Node = Record<string, unknown>;

/** Parses well-formed XML; a truncated or garbled document throws MalformedXmlError. */
export function parseXml(xml: string): Node {
  // The parser is lenient and would return the part of a cut-off page it could read, silently
  // losing the rest; the validator is strict (and costs a tenth of the parse).
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new MalformedXmlError(`malformed XML at line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg}`);
  }
  return xmlParser.parse(xml) as Node;
}

export const text = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return text((v as Node)['#text']);
  return String(v);
};
export const attr = (v: unknown, name: string): string | null => {
  if (v === null || typeof v !== 'object') return null;
  const a = (v as Node)[`@_${name}`];
  return a === undefined ? null : String(a);
};
const list = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? v : [v]);

/** A ListRecords or GetRecord response -> records, resumption token, or the OAI error it carries. */
export function parseOaiPage(xml: string): OaiPage {
  const root = parseXml(xml)['OAI-PMH'] as Node | undefined;
  if (!root || typeof root !== 'object') throw new MalformedXmlError('not an OAI-PMH response: no <OAI-PMH> root element');
  const err = list(root.error)[0];
  const page: OaiPage = {
    responseDate: text(root.responseDate) || null,
    error: err === undefined ? null : { code: attr(err, 'code') ?? 'unknown', message: normalizeSpace(text(err)) },
    records: [],
    resumptionToken: null,
  };
  const body = (root.ListRecords ?? root.GetRecord) as Node | undefined;
  if (!body || typeof body !== 'object') return page;
  page.records = list(body.record).map((r) => parseRecord(r as Node));
  if ('resumptionToken' in body) {
    const t = body.resumptionToken;
    const num = (s: string | null) => (s === null || !/^\d+$/.test(s) ? null : Number(s));
    page.resumptionToken = {
      token: text(t).trim() || null,
      cursor: num(attr(t, 'cursor')),
      completeListSize: num(attr(t, 'completeListSize')),
    };
  }
  return page;
}

function parseRecord(r: Node): OaiRecord {
  const header = (r.header ?? {}) as Node;
  const rec: OaiRecord = {
    identifier: text(header.identifier),
    datestamp: text(header.datestamp),
    setSpecs: list(header.setSpec).map(text),
    deleted: attr(header, 'status') === 'deleted',
    paper: null,
    problem: null,
  };
  if (rec.deleted) return rec;
  const meta = (r.metadata as Node | undefined)?.arXivRaw as Node | undefined;
  if (!meta) {
    rec.problem = 'no arXivRaw metadata in the record';
    return rec;
  }
  try {
    rec.paper = paperFromArxivRaw(meta);
  } catch (e) {
    if (!(e instanceof RecordError)) throw e;
    rec.problem = `${rec.identifier}: ${e.message}`;
  }
  return rec;
}

/** arXivRaw metadata -> Paper. Throws RecordError naming the field at fault. */
export function paperFromArxivRaw(m: Node): Paper {
  const rawId = text(m.id);
  const ref = parseArxivId(rawId);
  if (!ref) throw new RecordError(`id: '${rawId}' is not an arXiv identifier`);
  const title = normalizeSpace(text(m.title));
  if (!title) throw new RecordError('title: empty');
  const versions = list(m.version).map((v, i) => {
    const label = attr(v, 'version') ?? '';
    const n = /^v(\d+)$/.exec(label);
    if (!n) throw new RecordError(`version[${i}]: '${label}' is not like v1`);
    const node = v as Node;
    return { n: Number(n[1]), at: isoDate(text(node.date), `version ${label} date`), sourceType: text(node.source_type) };
  });
  versions.sort((a, b) => a.n - b.n);
  const first = versions[0];
  const latest = versions.at(-1);
  const categories = parseCategories(text(m.categories));
  const comments = optText(text(m.comments));
  const abstract = normalizeSpace(text(m.abstract));
  return {
    id: ref.id,
    version: latest?.n ?? ref.version,
    title,
    abstract,
    authors: splitAuthors(text(m.authors)),
    primaryCategory: categories[0] ?? null,
    categories,
    publishedAt: first?.at ?? null,
    updatedAt: latest?.at ?? null,
    submitter: optText(text(m.submitter)),
    comments,
    journalRef: optText(text(m['journal-ref'])),
    doi: optText(text(m.doi)),
    reportNo: optText(text(m['report-no'])),
    license: optText(text(m.license)),
    codeUrl: null,
    projectUrl: null,
    withdrawn: isWithdrawn(latest?.sourceType ?? '', comments, abstract),
  };
}

/**
 * arXiv withdraws a paper by announcing a new version without source: source_type "I" (and a
 * 0-1 kb size), usually with "This paper has been withdrawn" in the comments or the abstract.
 */
export function isWithdrawn(sourceType: string, comments: string | null, abstract: string): boolean {
  return sourceType.includes('I') || isWithdrawnComment(comments) || /^this (?:paper|article|submission) has been withdrawn\b/i.test(abstract);
}

/** `oai:arXiv.org:hep-th/9901001` -> `hep-th/9901001`. */
export function idFromIdentifier(identifier: string): string | null {
  const m = /^oai:arXiv\.org:(.+)$/i.exec(identifier.trim());
  return m ? (parseArxivId(m[1]!)?.id ?? null) : null;
}
