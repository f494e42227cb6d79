import { describe, expect, it } from 'vitest';
import { COMMENT_BOUNDS, CommentBoundError, renderComment, renderCommentWithinBounds } from './render.js';

describe('renderComment', () => {
  it('renders Markdown and keeps math as TeX (underscores are not emphasis)', () => {
    const html = renderComment('**Nice**: the loss $a_i + b_i$ works.\n\n$$\\sum_{i} x_i$$');
    expect(html).toContain('<strong>Nice</strong>');
    expect(html).toContain('class="katex"');
    expect(html).not.toContain('<em>i');
    expect(html).toContain('katex-display');
  });

  it.each([
    ['<script>alert(1)</script>', '<script'],
    ['<img src=x onerror=alert(1)>', '<img'],
    ['[x](javascript:alert(1))', 'href="javascript:'],
    ['[x](JaVaScRiPt:alert(1))', 'avascript:'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', 'href="data:'],
    ['<a href="https://e.org" onclick="x()">a</a>', 'onclick='],
    ['$\\href{javascript:alert(1)}{x}$', 'href="javascript:'],
    ['<svg/onload=alert(1)>', '<svg'],
    ['"><iframe src=//evil>', '<iframe'],
  ])('renders %s inert', (payload, forbidden) => {
    const html = renderComment(payload);
    // Text may mention anything (it is escaped); no tag may carry the payload.
    const tags = html.match(/<[^>]*>/g) ?? [];
    for (const tag of tags) {
      expect(tag.toLowerCase()).not.toContain(forbidden.toLowerCase());
      expect(tag).not.toMatch(/\son\w+\s*=/i);
      expect(tag).not.toMatch(/<(script|img|svg|iframe|object|embed|style)/i);
      expect(tag).not.toMatch(/href="\s*(javascript|data|vbscript):/i);
    }
  });

  it('turns an image into a link to it, named by its alt text (no third-party fetch)', () => {
    expect(renderComment('see ![the plot](https://example.org/f.png "Fig. 2")')).toBe(
      '<p>see <a href="https://example.org/f.png" title="Fig. 2" rel="nofollow ugc noopener">the plot</a></p>\n',
    );
    expect(renderComment('![](https://example.org/f.png)')).toContain('>https://example.org/f.png</a>');
    expect(renderComment('[![badge $x_1$](https://e.org/b.svg)](https://e.org/)')).toBe(
      '<p><a href="https://e.org/" rel="nofollow ugc noopener">badge $x_1$</a></p>\n',
    );
    expect(renderComment('![x](javascript:alert(1))')).not.toContain('href="javascript');
    expect(renderComment('![a](https://e.org/x.png)')).not.toContain('&lt;img');
  });

  it('marks links as user content', () => {
    expect(renderComment('see https://example.org/x')).toContain('<a href="https://example.org/x" rel="nofollow ugc noopener">');
  });

  it('ignores placeholder characters typed by the user', () => {
    expect(renderComment('\uE0000\uE001 and $x$')).not.toContain('\uE000');
  });
});

describe('math outside text stays TeX source', () => {
  const katexIn = (html: string, re: RegExp) => (re.exec(html)?.[1] ?? '').includes('katex');
  it.each([
    ['a link title', '[link](https://example.com "$x^2$")', /title="([^"]*)"/, 'title="$x^2$"'],
    ['a link destination', '[link](https://example.com/$x$)', /href="([^"]*)"/, 'href="https://example.com/$x$"'],
    ['a code span', '`$x^2$` and $y$', /<code>([^<]*)<\/code>/, '<code>$x^2$</code>'],
    ['a code block', '```\n$$\\sum x$$\n```', /<code>([^<]*)<\/code>/, '<code>$$\\sum x$$\n</code>'],
    ['an autolink', '<https://e.org/$x$>', /<a [^>]*>([^<]*)<\/a>/, '>https://e.org/$x$</a>'],
  ])('in %s', (_, source, where, expected) => {
    const html = renderComment(source);
    expect(html).toContain(expected);
    expect(katexIn(html, where)).toBe(false);
  });

  it('still renders math in link text, headings, tables and emphasis', () => {
    const html = renderComment('# $a$\n\n[$b$](https://e.org) *$c$*\n\n| $d$ |\n|---|\n| $e$ |');
    expect(html.match(/class="katex"/g)).toHaveLength(5);
  });
});

describe('bounds on a comment', () => {
  const refused = (source: string) => {
    try {
      renderComment(source);
    } catch (e) {
      if (e instanceof CommentBoundError) return e.message;
      throw e;
    }
    return null;
  };

  it('accepts a careful review with formulas', () => {
    // 30 formulas, 500 characters of TeX (the review in bench/comments.ts has 25).
    const review = 'The rate $O(\\sqrt{d/n})$ needs $L$-smoothness: $\\|\\nabla f(x) - \\nabla f(y)\\| \\le L\\|x-y\\|$. '.repeat(10);
    expect(refused(review)).toBeNull();
  });

  it.each([
    ['formulas', '$x$ '.repeat(COMMENT_BOUNDS.formulas + 1), /at most 100 formulas/],
    ['TeX characters', `$${'x+'.repeat(COMMENT_BOUNDS.source / 2)}y$`, /2,000 characters of TeX/],
    ['rendered size', `$${'\\sqrt{'.repeat(200)}x${'}'.repeat(200)}$`, /at most 90 KB on the page/],
    ['macro definitions', '$\\def\\a{xxxxxxxx}\\a\\a$', /cannot define macros/],
    ['macro definitions by newcommand', '$\\newcommand{\\a}{x}\\a$', /cannot define macros/],
  ])('refuses a comment over the bound on %s, saying which', (_, source, message) => {
    expect(refused(source)).toMatch(message);
  });

  it('refuses Markdown with too many elements to parse and sanitise quickly', () => {
    expect(refused('*a* '.repeat(1200))).toMatch(/at most 3,000 Markdown elements/);
    expect(refused('*a* '.repeat(600))).toBeNull();
  });

  it('applies the size bound to the Markdown around the math too', () => {
    expect(() => renderComment('All good here. '.repeat(100), { ...COMMENT_BOUNDS, html: 1000 })).toThrow(/at most 1 KB on the page/);
  });

  it('caps \\rule and \\kern at maxSize and keeps \\message off the console', () => {
    const html = renderComment('$\\rule{1000em}{1000em}\\kern{5000em}\\message{hi}x$');
    const sizes = [...html.replace(/<annotation[\s\S]*?<\/annotation>/, '').matchAll(/(\d+(?:\.\d+)?)em/g)].map((m) => Number(m[1]));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(20);
    expect(html).not.toContain('\\@gobble');
  });

  it('shows an old comment over a bound with its formulas as TeX source', () => {
    const html = renderCommentWithinBounds('$x$ '.repeat(150));
    expect(html).not.toContain('katex');
    expect(html).toContain('$x$ $x$');
  });
});
