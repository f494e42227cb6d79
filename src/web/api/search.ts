// GET /api/papers/search?q=&limit= (items shaped like Hugging Face's paper search results:
// {paper: {...}, title, summary, publishedAt, ...}) and GET /api/papers/ID/similar?limit=.
import type { Context } from 'hono';
import { z } from 'zod';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { escapeHtml } from '../../papers/html.js';
import type { Hit } from '../../search/hits.js';
import { SORTS } from '../../search/query.js';
import type { AppDeps } from '../deps.js';
import { searchResults } from '../search-results.js';
import { okJson } from './http.js';

export const SearchParams = z.object({
  // huggingface_hub's list_papers() sends no q at all when given no query.
  q: z.string().max(500, 'q: at most 500 characters').default(''),
  limit: z.coerce.number().int('limit: an integer').min(1, 'limit: at least 1').max(100, 'limit: at most 100').default(20),
  page: z.coerce.number().int('page: an integer').min(1, 'page: at least 1').max(1000).default(1),
  sort: z.enum(SORTS, { message: `sort: one of ${SORTS.join(', ')}` }).default('relevance'),
});

export const LimitParam = z.object({ limit: z.coerce.number().int().min(1).max(50).default(10) });

/** One search item, as Hugging Face's /api/papers/search returns them. */
export function presentHit(h: Hit, highlight?: string) {
  const p = h.paper;
  const paper = {
    id: p.id,
    authors: p.authors.map((name) => ({ name })),
    publishedAt: p.publishedAt,
    title: p.title,
    summary: p.abstract,
    upvotes: h.upvotes,
    githubRepo: p.codeUrl,
    projectPage: p.projectUrl,
    ai_summary: h.featured?.aiSummary ?? null,
    ai_keywords: h.featured?.aiKeywords ?? [],
    submittedOnDailyAt: h.featured?.featuredAt ?? null,
  };
  return {
    // Hugging Face leaves out what a paper lacks; a null where clients expect a string breaks them.
    paper: Object.fromEntries(Object.entries(paper).filter(([, v]) => v !== null)),
    publishedAt: p.publishedAt ?? undefined,
    title: p.title,
    summary: p.abstract,
    numComments: h.commentCount,
    ...(highlight !== undefined ? { highlightedSummary: highlight } : {}),
  };
}

/** The handlers of /api/papers/search and /api/papers/ID/similar (api/routes.ts lists them). */
export function searchApi(deps: AppDeps) {
  const search = async (c: Context) => {
    const parsed = SearchParams.safeParse(c.req.query());
    if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => i.message).join('; ') }, 400);
    const r = await searchResults(deps, parsed.data);
    c.header('x-search-mode', r.mode);
    c.header('x-total-count', String(r.total));
    c.header('server-timing', `search;dur=${r.tookMs.toFixed(1)}`);
    if (r.degraded) c.header('cache-control', 'no-store');
    return okJson(
      c,
      r.hits.map((h) => presentHit(h, h.snippet.map((s) => (s.hit ? `<mark>${escapeHtml(s.text)}</mark>` : escapeHtml(s.text))).join(''))),
    );
  };

  const similar = async (c: Context) => {
    const raw = c.req.param('id') ?? '';
    const ref = parseArxivId(raw);
    if (!ref) return c.json({ error: `'${raw}' is not an arXiv identifier` }, 400);
    const limit = LimitParam.safeParse(c.req.query());
    if (!limit.success) return c.json({ error: 'limit: an integer from 1 to 50' }, 400);
    const s = await deps.search.similar(ref.id, limit.data.limit);
    if (s.hits.length === 0 && s.reason === `paper ${ref.id} not found`) return c.json({ error: s.reason }, 404);
    return okJson(
      c,
      s.hits.map((h) => presentHit(h)),
    );
  };

  return { search, similar };
}
