// Property: whatever Markdown construct a formula sits in (link text, link destination and title,
// image, code span and block, heading, table, list, emphasis, blockquote, autolink), the comment's
// HTML, read by an HTML5 parser (parse5), holds only allowed elements and attributes, no attribute
// value holds markup, and sanitising it again changes nothing.
import fc from 'fast-check';
import { type DefaultTreeAdapterMap, parseFragment, serialize } from 'parse5';
import sanitizeHtml from 'sanitize-html';
import { describe, expect, it } from 'vitest';
import { SANITIZER_ALLOWLIST, renderComment } from './render.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

// What KaTeX emits with trust: false (HTML for the eye, MathML for screen readers, SVG for
// stretchy glyphs). A KaTeX upgrade that emits more fails here first.
const KATEX_TAGS = [
  'span',
  'math',
  'semantics',
  'annotation',
  'mrow',
  'mi',
  'mn',
  'mo',
  'ms',
  'mtext',
  'mspace',
  'msup',
  'msub',
  'msubsup',
  'mfrac',
  'msqrt',
  'mroot',
  'mstyle',
  'mpadded',
  'mphantom',
  'mover',
  'munder',
  'munderover',
  'mtable',
  'mtr',
  'mtd',
  'menclose',
  'svg',
  'path',
  'line',
];
const KATEX_ATTRIBUTES = [
  'class',
  'style',
  'aria-hidden',
  'xmlns',
  'encoding',
  'display',
  'mathvariant',
  'stretchy',
  'fence',
  'separator',
  'lspace',
  'rspace',
  'width',
  'height',
  'depth',
  'voffset',
  'viewBox',
  'preserveAspectRatio',
  'd',
  'columnalign',
  'rowspacing',
  'columnspacing',
  'columnlines',
  'rowlines',
  'mathcolor',
  'mathbackground',
  'accent',
  'accentunder',
  'linethickness',
  'scriptlevel',
  'displaystyle',
  'minsize',
  'maxsize',
  'notation',
  'movablelimits',
  'symmetric',
  'x1',
  'x2',
  'y1',
  'y2',
  'stroke-width',
];

const TAGS = new Set([...SANITIZER_ALLOWLIST.tags, ...KATEX_TAGS]);
const attributesOf = (tag: string) => new Set([...(SANITIZER_ALLOWLIST.attributes[tag] ?? []), ...(KATEX_TAGS.includes(tag) ? KATEX_ATTRIBUTES : [])]);
const SANITIZE_AGAIN: sanitizeHtml.IOptions = {
  allowedTags: [...TAGS],
  allowedAttributes: Object.fromEntries([...TAGS].map((t) => [t, [...attributesOf(t)]])),
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  parser: { lowerCaseAttributeNames: false },
  // KaTeX's inline styles pass as they are (the sanitiser would re-serialise them).
  parseStyleAttributes: false,
};

function elements(node: Node, out: Element[] = []): Element[] {
  if ('tagName' in node) out.push(node);
  if ('childNodes' in node) for (const child of node.childNodes) elements(child, out);
  return out;
}

// TeX without '<' (so any '<' in an attribute can only be markup), with the characters that need
// escaping in HTML: quotes, ampersands, '>'.
const tex = fc.constantFrom(
  'x^2',
  'a_i + b_i',
  '\\frac{a}{b}',
  '\\sqrt{2}',
  '\\mathbb{R}',
  'a > b',
  "f'(x)",
  '\\text{"q"}',
  'a \\& b',
  '\\{x\\}',
  '\\hat\\theta_n',
  '\\begin{pmatrix}a&b\\\\c&d\\end{pmatrix}',
  '\\overrightarrow{AB}',
  '\\sum_{i=1}^n x_i',
);
const math = fc.tuple(tex, fc.constantFrom(['$', '$'], ['$$', '$$'], ['\\(', '\\)'], ['\\[', '\\]'])).map(([t, [o, c]]) => `${o}${t}${c}`);
const word = fc.constantFrom('see', 'the', 'bound', 'x', '"quoted"', "it's", 'a&b', '2>1', '*', '_', '|');
const inline = fc.array(fc.oneof(word, math), { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));
const url = fc.oneof(word, math).map((part) => `https://example.com/${part.replace(/[\s()<>]/g, '')}`);
const block = fc.oneof(
  inline,
  fc.tuple(inline, url, inline).map(([text, href, title]) => `[${text}](${href} "${title.replaceAll('"', '')}")`),
  fc.tuple(inline, url, inline).map(([alt, src, title]) => `![${alt}](${src} "${title.replaceAll('"', '')}")`),
  url.map((href) => `<${href}>`),
  inline.map((t) => `\`${t.replaceAll('`', '')}\``),
  inline.map((t) => `\`\`\`\n${t}\n\`\`\``),
  inline.map((t) => `    ${t}`),
  inline.map((t) => `*${t}*`),
  inline.map((t) => `**${t}**`),
  inline.map((t) => `# ${t}`),
  inline.map((t) => `- ${t}\n- ${t}`),
  inline.map((t) => `1. ${t}`),
  inline.map((t) => `> ${t}`),
  fc.tuple(inline, inline).map(([a, b]) => `| ${a.replaceAll('|', '')} | b |\n|---|:-:|\n| c | ${b.replaceAll('|', '')} |`),
);
const markdown = fc.array(block, { minLength: 1, maxLength: 6 }).map((blocks) => blocks.join('\n\n'));

describe('renderComment output, property-based', () => {
  it('holds only allowed markup, none in attributes, and sanitising it again changes nothing', () => {
    fc.assert(
      fc.property(markdown, (source) => {
        const html = renderComment(source);
        for (const el of elements(parseFragment(html))) {
          expect(TAGS, `<${el.tagName}> in ${html}`).toContain(el.tagName);
          const allowed = attributesOf(el.tagName);
          for (const a of el.attrs) {
            expect(allowed, `${a.name} on <${el.tagName}>`).toContain(a.name);
            expect(a.value, `${a.name} on <${el.tagName}>`).not.toContain('<');
            if (a.name === 'href') expect(a.value).toMatch(/^(https?|mailto):/);
          }
        }
        const again = sanitizeHtml(html, SANITIZE_AGAIN);
        expect(serialize(parseFragment(again))).toBe(serialize(parseFragment(html)));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps math as its TeX source in a link title (the case of issue 24)', () => {
    const el = elements(parseFragment(renderComment('[link](https://example.com "$x^2$")'))).find((e) => e.tagName === 'a')!;
    expect(el.attrs.find((a) => a.name === 'title')?.value).toBe('$x^2$');
  });
});
