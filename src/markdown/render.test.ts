import { describe, expect, it } from 'vitest';
import { renderComment } from './render.js';

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

  it('marks links as user content', () => {
    expect(renderComment('see https://example.org/x')).toContain('<a href="https://example.org/x" rel="nofollow ugc noopener">');
  });

  it('ignores placeholder characters typed by the user', () => {
    expect(renderComment('\uE0000\uE001 and $x$')).not.toContain('\uE000');
  });
});
