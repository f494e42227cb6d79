// Comments: Markdown (CommonMark via markdown-it, raw HTML off) with TeX math, sanitised by
// sanitize-html against an allowlist. Math is cut out before Markdown sees it (so `_` and `*`
// inside formulas stay TeX), replaced by placeholders from Unicode's private use area, and put
// back after sanitising as KaTeX output, which escapes its input and, with trust: false, emits no
// links or raw HTML (papers/math.ts). The input's own private-use characters are stripped first,
// so a placeholder can only come from us. Defence in depth: even if markdown-it let something
// through, the sanitiser drops every tag, attribute and URL scheme not on its list.
import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { renderMath } from '../papers/math.js';

const md = new MarkdownIt({ html: false, linkify: true, breaks: false, typographer: false });

// Same delimiters as titles and abstracts (papers/math.ts): $$..$$, \[..\], \(..\), and $..$ by
// pandoc's rule (no space inside the dollars, no digit after the closing one).
const MATH = /\$\$([^$]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|(?<!\\)\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s|\\)\$(?!\d)/g;
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'hr', 'em', 'strong', 's', 'del', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  // Headings in a comment are demoted below the page's own h2.
  transformTags: {
    h1: 'h3', h2: 'h4',
    // UGC links: no ranking credit for spam (rel=ugc nofollow), no window.opener for the target.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'nofollow ugc noopener' } }),
  },
};

/** Safe HTML for a comment's Markdown. */
export function renderComment(source: string): string {
  const maths: string[] = [];
  const text = source.replace(/[\uE000-\uF8FF]/g, '').replace(MATH, (whole) => {
    maths.push(whole);
    return `${OPEN}${maths.length - 1}${CLOSE}`;
  });
  const clean = sanitizeHtml(md.render(text), ALLOWED);
  return clean.replace(PLACEHOLDER, (_, i: string) => renderMath(maths[Number(i)] ?? ''));
}

/** Whether a comment needs KaTeX's stylesheet. */
export const commentHasMath = (source: string) => MATH.test(source) && ((MATH.lastIndex = 0), true);
