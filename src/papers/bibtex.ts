// A BibTeX entry for a paper (the paper page, and the library's exports: papers/citations.ts), in
// the @misc form arXiv itself offers ("Export BibTeX citation" on an abstract page), which biblatex
// and natbib styles both read.
import type { Paper } from './types.js';
import { idMonth } from './arxiv-id.js';

/** LaTeX specials outside math ($...$ is kept as written, it is already TeX). */
function texEscape(text: string): string {
  return text
    .split(/(\$[^$]*\$)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(/(?<!\\)([&%#_])/g, '\\$1')))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Braces must balance inside a BibTeX field; drop the ones that do not. */
function balance(text: string): string {
  const chars = [...text];
  const open: number[] = [];
  chars.forEach((ch, i) => {
    if (ch === '{') open.push(i);
    else if (ch === '}' && open.pop() === undefined) chars[i] = '';
  });
  for (const i of open) chars[i] = '';
  return chars.join('');
}

export function bibtexKey(paper: Paper): string {
  const last = (paper.authors[0] ?? 'anonymous').split(/\s+/).at(-1)!;
  const word =
    paper.title
      .split(/\s+/)
      .map((w) => w.replace(/[^A-Za-z0-9]/g, ''))
      .find((w) => w.length > 3) ?? 'paper';
  const year = (paper.publishedAt ?? idMonth(paper.id) ?? '').slice(0, 4);
  return `${
    last
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase() || 'anonymous'
  }${year}${word.toLowerCase()}`;
}

export function bibtex(paper: Paper, key = bibtexKey(paper)): string {
  const year = (paper.publishedAt ?? idMonth(paper.id) ?? '').slice(0, 4);
  const fields: Array<[string, string | null]> = [
    ['title', `{${balance(texEscape(paper.title))}}`],
    ['author', paper.authors.length ? balance(texEscape(paper.authors.join(' and '))) : null],
    ['year', year || null],
    ['eprint', paper.id],
    ['archivePrefix', 'arXiv'],
    ['primaryClass', paper.primaryCategory ?? paper.categories[0] ?? null],
    ['doi', paper.doi],
    ['url', `https://arxiv.org/abs/${paper.id}`],
  ];
  const body = fields
    .filter(([, v]) => v)
    .map(([k, v]) => `  ${k} = {${v}},`)
    .join('\n');
  return `@misc{${key},\n${body}\n}`;
}
