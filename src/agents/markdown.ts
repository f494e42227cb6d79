// Papers and listings as Markdown, for assistants and agents (`/papers/ID.md`, the listings' `.md`
// twins, the MCP tools). Pure: the loaders in reads.ts hand in the read model (store/papers.ts
// ListedPaper) and the comments, and these return text. Abstracts, titles and summaries go out as
// they are stored, TeX and all ($x^2$ stays $x^2$): a model reads TeX better than rendered HTML, and
// escaping Markdown inside TeX would change the formula. Only link texts are escaped, where a `]`
// would end the link.
import { formatDay } from '../papers/dates.js';
import { firstSentences } from '../papers/math.js';
import { arxivLinks } from '../papers/types.js';
import type { Comment } from '../store/comments.js';
import type { ListedPaper } from '../store/papers.js';

/** Link text with the characters that would end or nest a link escaped (CommonMark 6.3). */
export const linkText = (s: string) => s.replace(/\s+/g, ' ').replace(/([[\]\\])/g, '\\$1');

/** One line: newlines would break a list item or a heading. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Authors, the first `max` of them and a count of the rest. */
function authorList(names: string[], max = Number.POSITIVE_INFINITY): string {
  if (names.length === 0) return 'unknown';
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** The paper's page on this instance. */
export const paperUrl = (base: string, id: string) => `${base}/papers/${id}`;

/** `GET /papers/ID.md`: everything the paper page shows, and its visible discussion as a quoted thread. */
export function paperMarkdown(item: ListedPaper, comments: Comment[], base: string): string {
  const { paper, featured } = item;
  const links = arxivLinks(paper.id);
  const out: string[] = [`# ${oneLine(paper.title)}${paper.withdrawn ? ' (withdrawn)' : ''}`, ''];
  const facts: Array<[string, string | null]> = [
    ['Authors', authorList(paper.authors)],
    ['arXiv', `[${paper.id}${paper.version ? `v${paper.version}` : ''}](${links.abs})`],
    ['PDF', links.pdf],
    ['Published', day(paper.publishedAt)],
    ['Updated', paper.updatedAt && day(paper.updatedAt) !== day(paper.publishedAt) ? day(paper.updatedAt) : null],
    ['Featured', featured ? `${formatDay(featured.day, false)} (${base}/papers/date/${featured.day})` : null],
    ['Submitted by', featured?.submittedByName ?? null],
    ['Organization', featured?.organization ? (featured.organizationName ?? featured.organization) : null],
    ['Upvotes', featured ? String(item.upvotes) : null],
    ['Comments', featured ? String(item.commentCount) : null],
    ['Code', paper.codeUrl],
    ['Project page', paper.projectUrl],
    ['Categories', paper.categories.length ? paper.categories.join(', ') : null],
    ['Journal', paper.journalRef],
    ['DOI', paper.doi ? `https://doi.org/${paper.doi}` : null],
    ['arXiv comments', paper.comments ? oneLine(paper.comments) : null],
    ['Page', paperUrl(base, paper.id)],
  ];
  for (const [label, value] of facts) if (value) out.push(`- **${label}:** ${value}`);
  if (featured?.aiSummary) out.push('', '## AI summary', '', featured.aiSummary.trim());
  if (featured?.aiKeywords.length) out.push('', `**Keywords:** ${featured.aiKeywords.join(', ')}`);
  out.push('', '## Abstract', '', paper.abstract.trim() || '(No abstract is stored for this paper.)');
  const thread = discussion(comments);
  if (thread) out.push('', '## Discussion', '', thread);
  return `${out.join('\n')}\n`;
}

/**
 * The visible discussion: each top-level comment as a quote, its replies quoted inside it. A hidden
 * or deleted comment keeps its place (its replies would lose their context) without its text.
 */
export function discussion(comments: Comment[]): string {
  const children = new Map<number | null, Comment[]>();
  for (const c of comments) {
    const list = children.get(c.parentId) ?? [];
    list.push(c);
    children.set(c.parentId, list);
  }
  const quote = (c: Comment, depth: number): string[] => {
    const prefix = '> '.repeat(depth + 1);
    const head = c.deleted ? '*(deleted)*' : c.hidden ? '*(hidden by a moderator)*' : `**${c.username}** on ${day(c.createdAt)}:`;
    const body = c.deleted || c.hidden ? [] : c.body.trim().split('\n');
    const lines = [head, ...(body.length ? [''] : []), ...body].map((l) => `${prefix}${l}`.trimEnd());
    for (const reply of children.get(c.id) ?? []) lines.push(prefix.trimEnd(), ...quote(reply, depth + 1));
    return lines;
  };
  const roots = children.get(null) ?? [];
  // Threads nobody can read any more (a removed comment with no replies) are left out.
  const shown = roots.filter((c) => !(c.deleted || c.hidden) || (children.get(c.id)?.length ?? 0) > 0);
  return shown.map((c) => quote(c, 0).join('\n')).join('\n\n');
}

/** A list of papers: a day, a week, a month, trending or search results. */
export interface Listing {
  title: string;
  /** One sentence: what the list is and how it is ordered. */
  description: string;
  /** The HTML page of this list (absolute). */
  page: string;
  /** The same list as JSON, when the API has it (absolute). */
  json?: string;
  items: ListedPaper[];
  /** The position of the first item (pages after the first start further down). */
  offset?: number;
  /** Total papers in the list, when known. */
  total?: number | null;
  /** Markdown links to neighbouring lists or pages. */
  nav?: Array<{ label: string; href: string }>;
  /** A line under an item, by paper id (why a paper is in a member's feed). */
  notes?: Map<string, string>;
}

/** One list item: the title linked to this instance's page, counts, authors, the gist. */
export function itemMarkdown(item: ListedPaper, n: number, base: string, note?: string): string {
  const { paper, featured } = item;
  const counts = featured ? `, ${plural(item.upvotes, 'upvote')}, ${plural(item.commentCount, 'comment')}` : '';
  const when = featured ? `featured ${featured.day}` : paper.publishedAt ? `published ${day(paper.publishedAt)}` : 'undated';
  const gist = featured?.aiSummary ?? firstSentences(paper.abstract, 300);
  const lines = [
    `${n}. **[${linkText(paper.title)}](${paperUrl(base, paper.id)})** (arXiv ${paper.id}; ${when}${counts})`,
    `   ${authorList(paper.authors, 6)}.`,
  ];
  if (note) lines.push(`   ${oneLine(note)}.`);
  if (gist) lines.push(`   ${oneLine(gist)}`);
  lines.push(`   Markdown: ${paperUrl(base, paper.id)}.md${paper.codeUrl ? ` · Code: ${paper.codeUrl}` : ''}`);
  return lines.join('\n');
}

export function listingMarkdown(l: Listing, base: string): string {
  const offset = l.offset ?? 0;
  const out = [`# ${l.title}`, '', l.description];
  const count =
    l.items.length === 0
      ? 'No papers.'
      : l.total != null
        ? `Papers ${offset + 1} to ${offset + l.items.length} of ${l.total}.`
        : `${plural(l.items.length, 'paper')}.`;
  out.push('', `${count} Page: ${l.page}${l.json ? ` · JSON: ${l.json}` : ''}`, '');
  l.items.forEach((item, i) => {
    out.push(itemMarkdown(item, offset + i + 1, base, l.notes?.get(item.paper.id)), '');
  });
  if (l.nav?.length) out.push(l.nav.map((n) => `[${linkText(n.label)}](${n.href})`).join(' · '), '');
  return out.join('\n');
}
