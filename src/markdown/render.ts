// Comments: Markdown (CommonMark via markdown-it, raw HTML off) with TeX math, sanitised by
// sanitize-html against an allowlist. Math is cut out before Markdown sees it (so `_` and `*`
// inside formulas stay TeX, and a display formula may span blank lines or lines that look like
// list items), replaced by placeholders from Unicode's private use area. The input's own
// private-use characters are stripped first, so a placeholder can only come from us.
//
// Where a placeholder lands decides what it becomes. In text it becomes KaTeX's HTML, and only
// there: the sanitiser hands us each text node (textFilter) and the formula is put in place of
// the placeholder. Anywhere else (a link's href or title, an image's alt, a code span, a code
// block) the token tree is rewritten before rendering so the placeholder is the formula's TeX
// source again, escaped like any other text of that attribute or code. KaTeX escapes its input
// and, with trust: false, emits no links or raw HTML (papers/math.ts). Defence in depth: even if
// markdown-it let something through, the sanitiser drops every tag, attribute and URL scheme not
// on its list.
//
// Comments are rendered once, when written or edited (members/comments.ts), and the HTML is stored:
// the bounds below are what one write may cost, checked as the formulas are rendered.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { escapeHtml } from '../papers/html.js';
import { renderFormula } from '../papers/math.js';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });
type Token = ReturnType<typeof md.parse>[number];

// An image becomes a link to it, named by its alt text: a comment never makes a reader's browser
// fetch from a third party (no tracking pixels, no hotlinked megabytes). Inside a link, only the
// alt text is kept, since a link cannot hold another.
md.renderer.rules.image = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const alt = escapeHtml(self.renderInlineAsText(token.children ?? [], options, env));
  let depth = 0;
  for (let i = 0; i < idx; i++) depth += tokens[i]!.type === 'link_open' ? 1 : tokens[i]!.type === 'link_close' ? -1 : 0;
  const src = String(token.attrGet('src') ?? '');
  if (depth > 0 || !src) return alt;
  const title = String(token.attrGet('title') ?? '');
  return `<a href="${escapeHtml(src)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${alt || escapeHtml(src)}</a>`;
};

// Same delimiters as titles and abstracts (papers/math.ts): $$..$$, \[..\], \(..\), and $..$ by
// pandoc's rule (no space inside the dollars, no digit after the closing one).
const MATH = /\$\$([^$]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s|\\)\$(?!\d)/g;
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
// A placeholder inside a link destination, as markdown-it's normalizeLink percent-encodes it.
const ENCODED = /%EE%80%80(\d+)%EE%80%81/gi;
// Left-overs of a placeholder another rule split (never seen; dropped rather than shown).
const STRAY = /[\uE000\uE001]/g;
const HAS_PLACEHOLDER = /[\uE000\uE001]/;

/**
 * What one comment's math may cost. The largest comment (10,000 characters) of the worst shapes
 * tried (bench/comments.ts: one huge matrix, hundreds of tiny formulas, nested fractions and
 * roots, \rule and \kern sizes, builtin macros) renders in under 20 ms and adds under 100 KB to a
 * page. KaTeX writes 40 to 170 bytes of HTML per character of TeX (a formula is drawn twice: HTML
 * for the eye, MathML for screen readers), so the HTML cap is the bound that matters, and the
 * others refuse the input before the work.
 */
export const COMMENT_BOUNDS = {
  /** A long review names 30 to 60 symbols and states a few results; 100 leaves room. */
  formulas: 100,
  /**
   * Characters of TeX in all formulas together. 2,000 is a dozen displayed equations of a proof
   * sketch, or 100 inline formulas of 20 characters; at KaTeX's usual ~100 bytes of HTML per TeX
   * character it is about where the HTML cap is met anyway, so it rarely refuses what that would
   * allow, and it bounds the worst formula (~170 bytes per character) to a few milliseconds.
   */
  source: 2_000,
  /**
   * Bytes of the comment's HTML: the page grows by this and a few hundred bytes of frame (author,
   * date, reply form), under 100 KB in all. Plain Markdown of 10,000 characters stays under it
   * (about 60 KB for the most escaped text); a comment over it is math or link spam.
   */
  html: 90_000,
  /**
   * Markdown tokens (each paragraph, list item, table cell, emphasis, link or code span is about
   * three). Parsing and sanitising cost about 10 microseconds a token: 10,000 characters of empty
   * table cells are 27,000 tokens and 130 ms. A long review with lists, links and a table has a
   * few hundred.
   */
  tokens: 3_000,
} as const;

export type CommentBounds = { formulas: number; source: number; html: number; tokens: number };

/** A comment over one of its bounds; the message names the bound and the limit. */
export class CommentBoundError extends Error {
  override name = 'CommentBoundError';
}

// User-defined macros are refused in comments: with them a few hundred characters expand to
// megabytes (a body of n tokens called m times is n*m tokens, and maxExpand counts only the m),
// which no bound on the source can see. KaTeX's own macros have short bodies, bounded by maxExpand.
const DEFINES = /\\(?:[gex]?def|let|futurelet|global|long|newcommand|renewcommand|providecommand)(?![a-zA-Z@])/;

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'hr',
    'em',
    'strong',
    's',
    'del',
    'code',
    'pre',
    'blockquote',
    'ul',
    'ol',
    'li',
    'a',
    'h3',
    'h4',
    'h5',
    'h6',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  // Headings in a comment are demoted below the page's own h2.
  transformTags: {
    h1: 'h3',
    h2: 'h4',
    // UGC links: no ranking credit for spam (rel=ugc nofollow), no window.opener for the target.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
};

/** The sanitiser's allowlist (tags and attributes of the Markdown around the math). */
export const SANITIZER_ALLOWLIST = { tags: ALLOWED.allowedTags as string[], attributes: ALLOWED.allowedAttributes as Record<string, string[]> };

interface Formula {
  whole: string;
  tex: string;
  display: boolean;
}

function cutMath(source: string): { text: string; maths: Formula[] } {
  const maths: Formula[] = [];
  const text = source.replace(/[\uE000-\uF8FF]/g, '').replace(MATH, (whole, d1?: string, d2?: string, i1?: string, i2?: string) => {
    maths.push({ whole, tex: (d1 ?? d2 ?? i1 ?? i2)!, display: d1 !== undefined || d2 !== undefined });
    return `${OPEN}${maths.length - 1}${CLOSE}`;
  });
  return { text, maths };
}

/** Every placeholder outside text (attributes, code, image alt, a link's own URL text) back to its TeX source. */
function restoreOutsideText(tokens: Token[], maths: Formula[]) {
  const source = (s: string) => s.replace(PLACEHOLDER, (_, i: string) => maths[Number(i)]?.whole ?? '');
  const href = (s: string) => s.replace(ENCODED, (_, i: string) => md.normalizeLink(maths[Number(i)]?.whole ?? ''));
  const walk = (list: Token[], asText: boolean) => {
    let autolink = 0;
    for (const t of list) {
      if (t.type === 'link_open' && t.info === 'auto') autolink++;
      if (t.type === 'link_close' && t.info === 'auto') autolink--;
      if (t.attrs) for (const a of t.attrs) a[1] = a[0] === 'href' ? source(href(String(a[1]))) : source(String(a[1]));
      if (t.type !== 'inline' && (t.type !== 'text' || asText || autolink > 0)) t.content = source(t.content);
      t.info = source(t.info);
      // An image's alt is its children flattened to text; an inline token's children are text.
      if (t.children) walk(t.children, asText || t.type === 'image');
    }
  };
  walk(tokens, false);
}

/**
 * Safe HTML for a comment's Markdown, math rendered by KaTeX. Throws CommentBoundError when the
 * comment is over one of `bounds`, having stopped rendering at the formula that crossed it.
 */
export function renderComment(source: string, bounds: CommentBounds = COMMENT_BOUNDS): string {
  return render(source, bounds);
}

/**
 * HTML for a comment stored before these bounds: rendered as above when within them, else with
 * every formula shown as its TeX source (no KaTeX), so an old comment over a bound stays readable
 * and cheap.
 */
export function renderCommentWithinBounds(source: string): string {
  try {
    return render(source, COMMENT_BOUNDS);
  } catch (e) {
    if (e instanceof CommentBoundError) return renderCommentWithoutMath(source);
    throw e;
  }
}

/** Safe HTML for a comment's Markdown with every formula shown as its TeX source: no KaTeX. */
export const renderCommentWithoutMath = (source: string): string => render(source, null);

function render(source: string, bounds: CommentBounds | null): string {
  const { text, maths } = cutMath(source);
  const env = {};
  const tokens = md.parse(text, env);
  const count = tokens.reduce((n, t) => n + 1 + (t.children?.length ?? 0), 0);
  if (bounds && count > bounds.tokens)
    throw new CommentBoundError(
      `A comment may hold at most ${bounds.tokens.toLocaleString('en')} Markdown elements (paragraphs, list items, table cells, links, emphasis); this one has ${count.toLocaleString('en')}.`,
    );
  restoreOutsideText(tokens, maths);
  let formulas = 0;
  let tex = 0;
  let bytes = 0;
  const html = sanitizeHtml(md.renderer.render(tokens, md.options, env), {
    ...ALLOWED,
    // Text nodes only: the one place a formula's HTML may go.
    // Called once per text chunk (the parser splits text at each entity): the test first is cheap.
    textFilter: (escaped) =>
      !HAS_PLACEHOLDER.test(escaped)
        ? escaped
        : escaped
            .replace(PLACEHOLDER, (_, i: string) => {
              const f = maths[Number(i)];
              if (!f) return '';
              if (!bounds || !f.tex.trim()) return escapeHtml(f.whole);
              if (++formulas > bounds.formulas) throw new CommentBoundError(`A comment may hold at most ${bounds.formulas} formulas; this one has more.`);
              tex += f.tex.length;
              if (tex > bounds.source)
                throw new CommentBoundError(
                  `The formulas of a comment may hold at most ${bounds.source.toLocaleString('en')} characters of TeX together; these have more.`,
                );
              if (DEFINES.test(f.tex))
                throw new CommentBoundError('Formulas in comments cannot define macros (\\def, \\newcommand, \\let, ...): write the formula out.');
              const out = renderFormula(f.tex, f.display);
              bytes += out.length;
              if (bytes > bounds.html) throw tooLarge(bounds);
              return out;
            })
            .replace(STRAY, ''),
  });
  if (bounds && html.length > bounds.html) throw tooLarge(bounds);
  return html;
}

const tooLarge = (b: CommentBounds) =>
  new CommentBoundError(
    `A comment may take at most ${Math.round(b.html / 1000)} KB on the page; this one takes more (formulas are the usual cause: each is drawn as HTML and MathML). Use fewer or shorter formulas.`,
  );
