// Text with TeX math rendered on the server (papers/math.ts escapes everything else).
import { renderMath } from '../../../papers/math.js';

export function Tex(props: { text: string; block?: boolean }) {
  const html = { __html: renderMath(props.text) };
  return props.block ? <p class="abstract" dangerouslySetInnerHTML={html} /> : <span dangerouslySetInnerHTML={html} />;
}

/** Whether a text will contain rendered math (so the page needs KaTeX's stylesheet). */
export const hasMath = (text: string) => /\$|\\\(|\\\[/.test(text);

/** Whether HTML rendered elsewhere (a slot such as the similar list) holds math rendered by Tex. */
export const mathIn = (html: unknown) => html !== undefined && html !== null && String(html).includes('class="katex');
