import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html.js';
import { firstSentences, renderMath } from './math.js';

describe('renderMath', () => {
  it('renders inline and display math with KaTeX', () => {
    const html = renderMath('Rate $\\mathcal{O}(\\varepsilon^{-2})$ holds');
    expect(html.startsWith('Rate <span class="katex">')).toBe(true);
    expect(html).toContain('<math'); // MathML for screen readers
    expect(html.endsWith(' holds')).toBe(true);
    expect(renderMath('$$x^2$$')).toContain('katex-display');
    expect(renderMath('\\(a+b\\) and \\[c\\]')).toMatch(/^<span class="katex">.*katex-display/s);
  });

  it('leaves prices and lone dollars as text', () => {
    expect(renderMath('Can LLMs Earn $1 Million from Freelance Work?')).toBe('Can LLMs Earn $1 Million from Freelance Work?');
    expect(renderMath('from $5 to $10')).toBe('from $5 to $10');
    expect(renderMath('Fixing Bugs for 1$: Cheap')).toBe('Fixing Bugs for 1$: Cheap');
    expect(renderMath('\\$OneMillion-Bench')).toBe('$OneMillion-Bench');
  });

  it('escapes HTML around and never throws on bad TeX', () => {
    expect(renderMath('<script>alert(1)</script> & "x"')).toBe('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    const bad = renderMath('bad $\\frac{1}{$ and $\\undefinedmacro{x}$ end');
    expect(bad).toContain('end');
    expect(bad).not.toContain('<script');
    expect(() => renderMath('$' + '\\def\\a{\\a\\a}\\a'.repeat(3) + '$')).not.toThrow();
    expect(renderMath('$<img src=x onerror=alert(1)>$')).not.toContain('<img');
  });

  it('renders titles of the real kind', () => {
    expect(renderMath('GenM$^3$: Generative Motion')).toMatch(/^GenM<span class="katex">.*<\/span>: Generative Motion$/s);
  });
});

describe('firstSentences', () => {
  it('cuts at a sentence end within the limit', () => {
    const text = 'We study games where each player minimises a non-convex loss. We prove contraction. ' + 'More words. '.repeat(40);
    expect(firstSentences(text, 90)).toBe('We study games where each player minimises a non-convex loss. We prove contraction.');
    expect(firstSentences(text, 500)).toBe('We study games where each player minimises a non-convex loss. We prove contraction.');
    expect(firstSentences(text, 70)).toBe('We study games where each player minimises a non-convex loss.');
    expect(firstSentences('Short.')).toBe('Short.');
  });
  it('cuts at a word outside math when no sentence ends in reach', () => {
    const text = 'word '.repeat(10) + '$a + b + c + d$ ' + 'word '.repeat(60);
    const out = firstSentences(text, 60);
    expect(out.endsWith('…')).toBe(true);
    expect((out.match(/\$/g)?.length ?? 0) % 2).toBe(0);
  });
  it('escapes', () => expect(escapeHtml(`<a href="x">'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&lt;/a&gt;'));
});
