// TeX math in titles and abstracts, rendered to HTML on the server with KaTeX so it shows without
// JavaScript. Everything outside math is HTML-escaped here, so the result is safe to insert raw.
import katex from 'katex';
import { escapeHtml } from './html.js';

// Delimiters as arXiv authors write them: $$...$$ and \[...\] (display), $...$ and \(...\)
// (inline). A lone `$` is text: pandoc's rule (pandoc manual, "Math": the opening $ must have a
// non-space character immediately to its right, the closing $ a non-space character immediately
// to its left and must not be followed immediately by a digit) keeps "$200k" and "from $5 to $10"
// as prices. `\$` is a literal dollar.
const MATH = /\$\$([^$]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$(?!\s)((?:\\\$|[^$])+?)(?<!\s|\\)\$(?!\d)/g;

// Titles and abstracts repeat on every page view; rendering is pure, so remember recent results.
const cache = new Map<string, string>();
const CACHE_SIZE = 5000;

/** HTML for text with TeX math; never throws (bad TeX is shown as its source, marked). */
export function renderMath(text: string): string {
  if (!text.includes('$') && !text.includes('\\')) return escapeHtml(text);
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  let out = '';
  let last = 0;
  for (const m of text.matchAll(MATH)) {
    const display = m[1] !== undefined || m[2] !== undefined;
    const tex = (m[1] ?? m[2] ?? m[3] ?? m[4])!;
    out += unescapeDollars(escapeHtml(text.slice(last, m.index)));
    out += tex.trim() ? tex1(tex, display) : escapeHtml(m[0]);
    last = m.index + m[0].length;
  }
  out += unescapeDollars(escapeHtml(text.slice(last)));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, out);
  return out;
}

const unescapeDollars = (s: string) => s.replaceAll('\\$', '$');

function tex1(tex: string, displayMode: boolean): string {
  try {
    return renderFormula(tex, displayMode);
  } catch {
    return `<code class="tex-error">${escapeHtml(tex)}</code>`;
  }
}

// KaTeX's \message, \errmessage and \show write to the server's console; in untrusted TeX they
// swallow their argument instead (a macro shadows a builtin of the same name). A fresh object per
// call: KaTeX stores \gdef definitions in this object, and a shared one would carry them into the
// next formula.
const gobble = (context: object) => {
  (context as { consumeArgs(n: number): unknown }).consumeArgs(1);
  return '';
};
const quiet = () => ({ '\\message': gobble, '\\errmessage': gobble, '\\show': gobble });

/**
 * One formula as KaTeX HTML. throwOnError: false renders a ParseError as the source in red; other
 * errors (rare) still throw. trust: false keeps \href and \url from emitting links. maxExpand
 * bounds macro bombs in untrusted text; maxSize (in em) caps \rule, \kern and \hspace, which are
 * otherwise unbounded boxes laid over the page (20em is wider than a phone's screen).
 */
export function renderFormula(tex: string, displayMode: boolean): string {
  return katex.renderToString(tex, { displayMode, throwOnError: false, trust: false, strict: 'ignore', maxExpand: 200, maxSize: 20, macros: quiet() });
}

/** Plain text for places HTML cannot go (<title>, meta description): math kept as its TeX source. */
export function plainText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The first one or two sentences of an abstract, at most about `max` characters. */
export function firstSentences(text: string, max = 300, sentences = 2): string {
  const clean = plainText(text);
  // A sentence ends at . ! or ? followed by a space and a capital or digit ("e.g. this" does not).
  const ends = [...clean.matchAll(/[.!?](?=\s+[A-Z0-9])/g)].map((m) => m.index + 1);
  if (clean.length <= max && ends.length < sentences) return clean;
  const cut = ends
    .slice(0, sentences)
    .filter((i) => i <= max)
    .at(-1);
  if (cut && cut >= 60) return clean.slice(0, cut);
  // No sentence end in reach: cut at a word, outside math (an odd count of $ means we are inside).
  let end = clean.lastIndexOf(' ', max);
  while (end > 0 && (clean.slice(0, end).match(/(?<!\\)\$/g)?.length ?? 0) % 2 === 1) end = clean.lastIndexOf(' ', end - 1);
  return clean.slice(0, end > 0 ? end : max) + '…';
}
