// render: a composed digest as an email, an HTML part and a plain-text part built from the same
// list so they cannot disagree. The HTML is what mail clients render reliably: layout in
// role="presentation" tables, every style inlined (Gmail drops <style> in some views), no images,
// and explicit text and background colours on every block so a client's forced dark mode has
// nothing transparent to invert badly; clients that honour prefers-color-scheme (Apple Mail,
// Outlook.com, Thunderbird) get a real dark palette from the one <style> block.
import { escapeHtml as esc } from '../papers/html.js';
import { arxivLinks } from '../papers/types.js';
import { type Digest, type DigestPaper, firstAuthors } from './compose.js';

export interface RenderContext {
  baseUrl: string;
  /** The signed page to unsubscribe or change frequency (links.ts manageUrl). */
  manageUrl: string;
  /** What the reader chose, said in the footer ("daily, up to 10 papers, cs.LG"). */
  choices: string;
}

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

const LIGHT = { page: '#f4f4f5', card: '#ffffff', text: '#18181b', muted: '#52525b', link: '#1d4ed8', accent: '#b45309', rule: '#e4e4e7' };

export function subjectOf(d: Digest): string {
  const what = d.period.frequency === 'daily' ? d.period.label : d.period.label.replace(/^Week/, 'week');
  if (d.papers.length === 0) return `New for you: ${d.newForYou.length === 1 ? '1 paper' : `${d.newForYou.length} papers`} of ${what}`;
  return `Top ${d.papers.length === 1 ? 'paper' : `${d.papers.length} papers`} of ${what}`;
}

function intro(d: Digest): string {
  const shown = d.papers.length;
  if (shown === 0) return 'No paper was featured; these new papers match what you follow.';
  return d.matched > shown
    ? `The top ${shown} of ${d.matched} papers featured, by upvotes.`
    : `${shown === 1 ? 'The paper' : `All ${shown} papers`} featured, by upvotes.`;
}

const paperUrl = (ctx: RenderContext, p: DigestPaper) => `${ctx.baseUrl}/papers/${p.id}`;
const upvotes = (n: number) => `${n} upvote${n === 1 ? '' : 's'}`;

function htmlPaper(ctx: RenderContext, p: DigestPaper, n: number): string {
  const a = `color:${LIGHT.link};text-decoration:none`;
  return `<tr><td class="card" style="background:${LIGHT.card};color:${LIGHT.text};padding:16px 24px;border-top:1px solid ${LIGHT.rule}">
<p style="margin:0 0 4px 0;font-size:17px;line-height:1.35;font-weight:bold"><span class="muted" style="color:${LIGHT.muted};font-weight:normal">${n}.</span> <a class="link" href="${esc(paperUrl(ctx, p))}" style="${a}">${esc(p.title)}</a></p>
<p class="muted" style="margin:0 0 8px 0;font-size:13px;line-height:1.4;color:${LIGHT.muted}">${esc(firstAuthors(p.authors))}</p>${p.why ? `\n<p class="muted" style="margin:0 0 8px 0;font-size:13px;line-height:1.4;color:${LIGHT.muted}">Because you follow ${esc(p.why)}</p>` : ''}
<p style="margin:0 0 8px 0;font-size:15px;line-height:1.5;color:${LIGHT.text}" class="text">${esc(p.summary)}</p>
<p style="margin:0;font-size:13px;line-height:1.4"><span class="accent" style="color:${LIGHT.accent};font-weight:bold">&#9650; ${esc(upvotes(p.upvotes))}</span> &nbsp;&middot;&nbsp; <a class="link" href="${esc(paperUrl(ctx, p))}" style="${a}">Paper page</a> &nbsp;&middot;&nbsp; <a class="link" href="${esc(arxivLinks(p.id).abs)}" style="${a}">arXiv</a></p>
</td></tr>`;
}

function htmlHeading(text: string): string {
  return `<tr><td class="card" style="background:${LIGHT.card};color:${LIGHT.text};padding:20px 24px 8px 24px;border-top:1px solid ${LIGHT.rule}"><h2 style="margin:0;font-size:18px;color:${LIGHT.text}" class="text">${esc(text)}</h2></td></tr>`;
}

/** RFC 5322 §2.1.1 recommends lines of at most 78 characters; nodemailer sends 7bit up to 76. */
const LINE = 76;

/**
 * The HTML as 7-bit text in lines of at most 76 characters wherever a space allows: non-ASCII
 * characters become numeric character references and long lines break at spaces (white space in
 * HTML text and between attributes, so the rendering is the same). Such a part goes out as 7bit
 * instead of quoted-printable: no encoding work per message and no `=3D` in every style attribute,
 * which matters at thousands of messages a run.
 */
export function sevenBitHtml(html: string): string {
  const ascii = html.replace(/[^\x00-\x7f]/gu, (c) => `&#${c.codePointAt(0)};`);
  return ascii
    .split('\n')
    .map((line) => {
      if (line.length <= LINE) return line;
      const out: string[] = [];
      let rest = line;
      while (rest.length > LINE) {
        const cut = rest.lastIndexOf(' ', LINE);
        const at = cut > 0 ? cut : rest.indexOf(' ', LINE);
        if (at < 0) break;
        out.push(rest.slice(0, at));
        rest = rest.slice(at + 1);
      }
      out.push(rest);
      return out.join('\n');
    })
    .join('\n');
}

export function renderDigest(d: Digest, ctx: RenderContext): RenderedMail {
  const subject = subjectOf(d);
  const kind = d.period.frequency === 'daily' ? 'Daily' : 'Weekly';
  const other = d.period.frequency === 'daily' ? 'weekly' : 'daily';
  const a = `color:${LIGHT.link};text-decoration:underline`;
  const rows = [
    ...d.papers.map((p, i) => htmlPaper(ctx, p, i + 1)),
    ...(d.newForYou.length ? [htmlHeading('New for you'), ...d.newForYou.map((p, i) => htmlPaper(ctx, p, i + 1))] : []),
    ...(d.picked.length ? [htmlHeading('Picked for you'), ...d.picked.map((p, i) => htmlPaper(ctx, p, i + 1))] : []),
  ];
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${esc(subject)}</title>
<style>
@media (prefers-color-scheme: dark) {
  .page { background: #18181b !important; }
  .card { background: #27272a !important; color: #f4f4f5 !important; border-color: #3f3f46 !important; }
  .text { color: #f4f4f5 !important; }
  .muted { color: #a1a1aa !important; }
  .link { color: #93c5fd !important; }
  .accent { color: #fbbf24 !important; }
}
</style></head>
<body class="page" style="margin:0;padding:0;background:${LIGHT.page};font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif">
<div style="display:none;max-height:0;overflow:hidden">${esc(intro(d))}</div>
<table role="presentation" class="page" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${LIGHT.page}"><tr><td align="center" style="padding:24px 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;border-collapse:collapse">
<tr><td class="card" style="background:${LIGHT.card};color:${LIGHT.text};padding:24px 24px 12px 24px">
<p style="margin:0 0 4px 0;font-size:13px;letter-spacing:0.05em;text-transform:uppercase" class="accent"><span style="color:${LIGHT.accent};font-weight:bold" class="accent">dailypapers</span> <span class="muted" style="color:${LIGHT.muted}">&middot; ${kind} digest</span></p>
<h1 style="margin:0 0 6px 0;font-size:22px;line-height:1.3;color:${LIGHT.text}" class="text">${esc(d.period.label)}</h1>
<p class="muted" style="margin:0;font-size:14px;color:${LIGHT.muted}">${esc(intro(d))}</p>
</td></tr>
${rows.join('\n')}
<tr><td class="card" style="background:${LIGHT.card};color:${LIGHT.muted};padding:16px 24px 24px 24px;border-top:1px solid ${LIGHT.rule};font-size:12px;line-height:1.5">
<p class="muted" style="margin:0 0 6px 0;color:${LIGHT.muted}">You get this because you subscribed at <a class="link" href="${esc(ctx.baseUrl)}/papers" style="${a}">${esc(ctx.baseUrl.replace(/^https?:\/\//, ''))}</a> (${esc(ctx.choices)}).</p>
<p class="muted" style="margin:0;color:${LIGHT.muted}"><a class="link" href="${esc(ctx.manageUrl)}" style="${a}">Unsubscribe</a> in one click, or <a class="link" href="${esc(ctx.manageUrl)}" style="${a}">switch to ${other}</a> instead.</p>
</td></tr>
</table></td></tr></table>
</body></html>
`;
  const textPaper = (p: DigestPaper, n: number) =>
    `${n}. ${p.title}\n   ${firstAuthors(p.authors)}\n${p.why ? `   Because you follow ${p.why}\n` : ''}   ${p.summary}\n   ▲ ${upvotes(p.upvotes)}\n   Paper page: ${paperUrl(ctx, p)}\n   arXiv: ${arxivLinks(p.id).abs}\n`;
  const text = [
    `dailypapers · ${kind} digest`,
    d.period.label,
    intro(d),
    '',
    d.papers.map((p, i) => textPaper(p, i + 1)).join('\n'),
    ...(d.newForYou.length ? ['New for you', '', d.newForYou.map((p, i) => textPaper(p, i + 1)).join('\n')] : []),
    ...(d.picked.length ? ['Picked for you', '', d.picked.map((p, i) => textPaper(p, i + 1)).join('\n')] : []),
    '-- ',
    `You get this because you subscribed at ${ctx.baseUrl}/papers (${ctx.choices}).`,
    `Unsubscribe in one click, or switch to ${other} instead: ${ctx.manageUrl}`,
    '',
  ].join('\n');
  return { subject, html: sevenBitHtml(html), text };
}

/** "daily, up to 10 papers, categories cs.LG, keywords diffusion". */
export function describeChoices(s: { frequency: string; maxPapers: number; categories: string[]; keywords: string[] }): string {
  const parts = [s.frequency, `up to ${s.maxPapers} papers`];
  if (s.categories.length) parts.push(`categories ${s.categories.join(', ')}`);
  if (s.keywords.length) parts.push(`keywords ${s.keywords.join(', ')}`);
  return parts.join(', ');
}
