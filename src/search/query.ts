// The search query language (INTERFACE.md, /search): words, "exact phrases", -excluded,
// author:name, cat:cs.LG, after:YYYY-MM-DD, before:YYYY-MM-DD, has:code, featured:yes, similar:ID;
// an arXiv id or URL alone names a paper.
// Parsing never fails: anything that is not a well-formed operator is searched as words, so a
// user typing `after:yesterday` or an unclosed quote still gets results.
import { parseArxivId } from '../papers/arxiv-id.js';
import { parseDay } from '../papers/dates.js';

export type Sort = 'relevance' | 'date' | 'upvotes';
export const SORTS: Sort[] = ['relevance', 'date', 'upvotes'];

export interface ParsedQuery {
  /** Single words (as typed, lower-cased); all must match (AND). */
  words: string[];
  /** Quoted phrases, each a list of words in order. */
  phrases: string[][];
  /** Words or phrases that must not match. */
  excluded: string[][];
  authors: string[];
  categories: string[];
  /** Inclusive lower bound, YYYY-MM-DD. */
  after: string | null;
  /** Exclusive upper bound, YYYY-MM-DD. */
  before: string | null;
  hasCode: boolean;
  featured: boolean | null;
  /** The box holds an arXiv id or URL and nothing else: that paper is opened when it is here. */
  paper: string | null;
  /** similar:ID (or "papers like ID"): the papers nearest in meaning to that one. */
  similar: string | null;
}

const CATEGORY = /^[a-z-]+(\.[a-z-]+)?$/i;
/** "papers like ID", "similar to ID": the same as similar:ID. */
const LIKE = /^\s*(?:papers?\s+like|similar\s+to|more\s+like)\s+(\S+)\s*$/i;

/** Splits text into words the way both engines' tokenizers roughly do (letters and digits). */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function emptyQuery(): ParsedQuery {
  return {
    words: [],
    phrases: [],
    excluded: [],
    authors: [],
    categories: [],
    after: null,
    before: null,
    hasCode: false,
    featured: null,
    paper: null,
    similar: null,
  };
}

export function parseQuery(input: string): ParsedQuery {
  const q = emptyQuery();
  let text = input.slice(0, 500); // bounded: a search box is not a document
  q.paper = parseArxivId(text)?.id ?? null;
  const like = LIKE.exec(text);
  if (like && parseArxivId(like[1]!)) {
    q.similar = parseArxivId(like[1]!)!.id;
    text = '';
  }
  for (const { neg, key, value, closed } of tokens(text)) {
    if (key && !neg && applyOperator(q, key.toLowerCase(), value)) continue;
    const words = wordsOf(key ? `${key} ${value}` : value);
    if (words.length === 0) continue;
    if (neg) q.excluded.push(words);
    else if (closed && words.length > 1) q.phrases.push(words);
    else q.words.push(...words);
  }
  q.words = [...new Set(q.words)];
  return q;
}

/** The typed tokens: optional '-', optional 'key:', then a "quoted run" or a bare run of non-space. */
function* tokens(text: string): Generator<{ neg: boolean; key: string | undefined; value: string; closed: boolean }> {
  const re = /(-?)(?:([a-z]+):)?("([^"]*)"|"[^"]*$|\S+)/gi;
  for (const m of text.matchAll(re)) {
    const [, neg, key, body, quoted] = m;
    const closed = quoted !== undefined;
    yield { neg: neg === '-', key, value: closed ? quoted : body!.replace(/^"/, ''), closed };
  }
}

/**
 * The adjacent pairs of the query's words as typed (words and phrases alike; operators and
 * exclusions left out, stop words skipped), once each: what hybrid.ts's pair vote looks for.
 * "robot folding clothes from videos" gives "robot folding", "folding clothes", "clothes videos".
 */
export function wordPairs(input: string): string[] {
  const seq: string[] = [];
  const operators = emptyQuery();
  for (const { neg, key, value } of tokens(input.slice(0, 500))) {
    if (neg || (key && applyOperator(operators, key.toLowerCase(), value))) continue;
    for (const w of wordsOf(key ? `${key} ${value}` : value)) if (!STOP_WORDS.has(w)) seq.push(w);
  }
  const pairs = new Set<string>();
  for (let i = 1; i < seq.length; i++) pairs.add(`${seq[i - 1]} ${seq[i]}`);
  return [...pairs];
}

function applyOperator(q: ParsedQuery, key: string, value: string): boolean {
  switch (key) {
    case 'author':
      if (wordsOf(value).length === 0) return false;
      q.authors.push(value.trim());
      return true;
    case 'cat':
      if (!CATEGORY.test(value)) return false;
      q.categories.push(value);
      return true;
    case 'after':
    case 'before':
      if (!parseDay(value).ok) return false;
      q[key] = value;
      return true;
    case 'has':
      if (value.toLowerCase() !== 'code') return false;
      q.hasCode = true;
      return true;
    case 'similar': {
      const ref = parseArxivId(value);
      if (!ref) return false;
      q.similar = ref.id;
      return true;
    }
    case 'featured': {
      const v = value.toLowerCase();
      if (!['yes', 'no', 'true', 'false'].includes(v)) return false;
      q.featured = v === 'yes' || v === 'true';
      return true;
    }
    default:
      return false;
  }
}

/**
 * PostgreSQL's English stop words (its english.stop, from Snowball), which its tsqueries leave out:
 * SQLite leaves them out of the AND the same way, unless the query has nothing else, and no snippet
 * highlights them. "in" or "to"
 * match nine papers in ten, and intersecting their posting lists was most of the time of a long
 * query at a million papers (decision 0010). Phrases keep them.
 */
export const STOP_WORDS = new Set(
  `i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
  she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are was
  were be been being have has had having do does did doing a an the and but if or because as until while of at by for with
  about against between into through during before after above below to from up down in out on off over under again further
  then once here there when where why how all any both each few more most other some such no nor not only own same so than
  too very s t can will just don should now`.split(/\s+/),
);

/** The query's words less the stop words. */
export function contentWords(q: ParsedQuery): string[] {
  return q.words.filter((w) => !STOP_WORDS.has(w));
}

/** The words and phrase words a snippet highlights: stop words only when the query is nothing else. */
export function highlightTerms(q: ParsedQuery): string[] {
  const all = [...q.words, ...q.phrases.flat()];
  const content = all.filter((w) => !STOP_WORDS.has(w));
  return content.length ? content : all;
}

/** True when the query has words or phrases to rank by (filters alone only list). */
export function hasText(q: ParsedQuery): boolean {
  return q.words.length > 0 || q.phrases.length > 0;
}

export function hasFilters(q: ParsedQuery): boolean {
  return q.authors.length > 0 || q.categories.length > 0 || q.after !== null || q.before !== null || q.hasCode || q.featured !== null;
}

/** The free text of the query, for embedding: words and phrases, without operators. */
export function semanticText(q: ParsedQuery): string {
  return [...q.phrases.map((p) => p.join(' ')), ...q.words].join(' ');
}

/** Writes a query back as text (for filter links that add or remove one operator). */
export function formatQuery(q: ParsedQuery): string {
  const parts: string[] = [
    ...q.words,
    ...q.phrases.map((p) => `"${p.join(' ')}"`),
    ...q.excluded.map((e) => (e.length > 1 ? `-"${e.join(' ')}"` : `-${e[0]}`)),
    ...q.authors.map((a) => (/\s/.test(a) ? `author:"${a}"` : `author:${a}`)),
    ...q.categories.map((c) => `cat:${c}`),
  ];
  if (q.after) parts.push(`after:${q.after}`);
  if (q.before) parts.push(`before:${q.before}`);
  if (q.hasCode) parts.push('has:code');
  if (q.featured !== null) parts.push(`featured:${q.featured ? 'yes' : 'no'}`);
  if (q.similar) parts.push(`similar:${q.similar}`);
  return parts.join(' ');
}
