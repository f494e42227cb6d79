// /search?q=: hybrid search results with highlighted snippets (an arXiv id or URL redirects to its paper), the count and the time taken,
// filters as links (each adds or removes one operator of the query language), sorting and
// pagination. Also the "Similar papers" list of the paper page.
import { FollowButton } from './members/daily.js';
import type { Context } from 'hono';
import { z } from 'zod';
import type { SearchResults } from '../../search/index.js';
import type { Hit } from '../../search/hits.js';
import { formatQuery, highlightTerms, type ParsedQuery, SORTS } from '../../search/query.js';
import { type Segment, snippet } from '../../search/snippet.js';
import { COUNT_CAP } from '../../search/types.js';
import { keptSimilar, SIMILAR_ON_PAGE } from '../../search/kept-similar.js';
import type { AppDeps } from '../deps.js';
import { searchResults } from '../search-results.js';
import { sharedText } from '../cache.js';
import { raw } from 'hono/html';
import { authorLine, plural, Votes } from './components/card.js';
import { Layout } from './layout.js';
import { Tex } from './components/math.js';

const Params = z.object({
  q: z.string().max(500).catch(''),
  sort: z.enum(SORTS).catch('relevance'),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});

const PAGE_SIZE = 20;

export async function renderSearch(c: Context, deps: AppDeps) {
  const { q, sort, page } = Params.parse({ q: c.req.query('q') ?? '', sort: c.req.query('sort') ?? 'relevance', page: c.req.query('page') ?? 1 });
  const results = await searchResults(deps, { q, sort, page, limit: PAGE_SIZE });
  // An arXiv id or URL typed in the box opens that paper.
  if (results.opens) return c.redirect(`/papers/${results.opens}`, 302);
  // Words alone while the model loads: fine for this visitor, not to keep for the next ones.
  if (results.degraded) c.header('cache-control', 'no-store');
  return c.html(<SearchPage q={q} results={results} />);
}

const href = (q: string, sort: string, page = 1) =>
  `/search?q=${encodeURIComponent(q)}${sort !== 'relevance' ? `&sort=${sort}` : ''}${page > 1 ? `&page=${page}` : ''}`;

function Highlighted(props: { segments: Segment[] }) {
  return <>{props.segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</>;
}

/** Links that narrow (or widen) the current query by one operator. */
function filterLinks(query: ParsedQuery, sort: string): Array<{ label: string; href: string; on: boolean }> {
  const toggle = (label: string, on: boolean, change: (q: ParsedQuery) => void) => {
    const next: ParsedQuery = structuredClone(query);
    change(next);
    return { label, on, href: href(formatQuery(next), sort) };
  };
  const year = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const links = [
    toggle('Has code', query.hasCode, (n) => (n.hasCode = !n.hasCode)),
    toggle('Featured', query.featured === true, (n) => (n.featured = n.featured === true ? null : true)),
    toggle('Past year', query.after === year, (n) => (n.after = n.after === year ? null : year)),
  ];
  for (const cat of ['cs.LG', 'cs.CL', 'cs.CV', 'cs.AI', 'stat.ML']) {
    const on = query.categories.includes(cat);
    links.push(toggle(cat, on, (n) => (n.categories = on ? n.categories.filter((c) => c !== cat) : [...n.categories, cat])));
  }
  return links;
}

export function SearchPage(props: { q: string; results: SearchResults }) {
  const { q, results: r } = props;
  const terms = highlightTerms(r.query);
  const pages = Math.ceil(r.total / r.limit);
  const title = q ? `${q} - search - dailypapers` : 'Search - dailypapers';
  return (
    <Layout title={title} query={q} description="Search papers by words and by meaning">
      <div class="search-page">
        <h1>Search</h1>
        <search aria-label="Search with options">
          <form action="/search" method="get" class="pager">
            <label for="q2" class="visually-hidden">
              Query
            </label>
            <input type="search" id="q2" name="q" value={q} placeholder='words, "phrases", -excluded, author:name, cat:cs.LG, after:2025-01-01' size={48} />
            <label for="sort">Sort by</label>
            <select id="sort" name="sort">
              {SORTS.map((s) => (
                <option value={s} selected={s === r.sort}>
                  {s}
                </option>
              ))}
            </select>
            <button class="btn btn-primary" type="submit">
              Search
            </button>
          </form>
        </search>
        {q ? (
          <>
            <p class="count" aria-live="polite">
              {r.total >= COUNT_CAP ? `${COUNT_CAP.toLocaleString('en-US')}+ results` : `${r.approximate ? 'about ' : ''}${plural(r.total, 'result')}`} in{' '}
              {r.tookMs.toFixed(0)} ms
              {r.mode === 'hybrid' ? ' (by words and by meaning)' : r.mode === 'lexical' ? ' (by words)' : ''}{' '}
              <FollowButton kind="search" value={q} next={`/search?q=${encodeURIComponent(q)}`} label="Follow this search" />
            </p>
            <nav aria-label="Filters">
              <ul class="tags">
                {filterLinks(r.query, r.sort).map((l) => (
                  <li>
                    {/* A link cannot carry aria-pressed: the state is in its text, "(on)" for screen readers. */}
                    <a class="tag" href={l.href}>
                      {l.on ? `✓ ${l.label}` : l.label}
                      {l.on ? <span class="visually-hidden"> (on)</span> : null}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </>
        ) : (
          <p class="slot">
            Type words or a sentence, "an exact phrase", -a word to exclude, author:name, cat:cs.LG, after:2025-01-01, before:2026-01-01, has:code,
            featured:yes, or similar:2405.15738 for the papers nearest to one. An arXiv id or link opens that paper. Results are found by words and by meaning.
          </p>
        )}
        {q && r.hits.length === 0 ? <p>No papers match. Try fewer words, or remove a filter.</p> : null}
        <ol class="cards" start={(r.page - 1) * r.limit + 1}>
          {r.hits.map((h) => (
            <li class="card">
              <Votes id={h.paper.id} upvotes={h.upvotes} />
              <div>
                <h2>
                  <a href={`/papers/${h.paper.id}`}>
                    <Highlighted segments={snippet(h.paper.title, terms, 1000)} />
                  </a>
                </h2>
                <p class="authors">{authorLine(h.paper.authors)}</p>
                <p class="summary">
                  <Highlighted segments={h.snippet} />
                </p>
                <ul class="meta">
                  <li>{h.paper.id}</li>
                  {h.paper.publishedAt ? <li>{h.paper.publishedAt.slice(0, 10)}</li> : null}
                  {h.paper.codeUrl ? (
                    <li>
                      <a href={h.paper.codeUrl} rel="noopener">
                        Code
                      </a>
                    </li>
                  ) : null}
                  {h.paper.categories.slice(0, 3).map((c) => (
                    <li class="tag">{c}</li>
                  ))}
                </ul>
              </div>
            </li>
          ))}
        </ol>
        {pages > 1 || r.page > 1 ? (
          <nav class="pager" aria-label="Pages">
            {r.page > 1 ? (
              <a class="btn" rel="prev" href={href(q, r.sort, r.page - 1)}>
                ← Previous
              </a>
            ) : null}
            <span>
              Page {r.page} of {Math.min(pages, 1000)}
            </span>
            {r.page < pages ? (
              <a class="btn" rel="next" href={href(q, r.sort, r.page + 1)}>
                Next →
              </a>
            ) : null}
          </nav>
        ) : null}
      </div>
    </Layout>
  );
}

/**
 * The paper page's "Similar papers" list (nearest by meaning, the paper itself excluded), computed
 * once a day across instances (search/kept-similar.ts). It shows no counts, so its rendering is
 * kept until content changes (a vote re-renders the page, not this list); a list that found
 * nothing is not kept (the model may be loading).
 */
export async function similarList(deps: AppDeps, id: string) {
  const html = await sharedText(
    deps.db.db,
    deps.pageCache,
    `similar:${id}`,
    async () => {
      const s = await keptSimilar(deps.search, deps.db.db, id, SIMILAR_ON_PAGE).catch(() => ({ hits: [] as Hit[], reason: 'search failed' }));
      return { text: await similarHtml(s).toString(), keep: s.hits.length > 0 };
    },
    'content',
  );
  return raw(html);
}

function similarHtml(s: { hits: Hit[]; reason?: string | null | undefined }) {
  if (s.hits.length === 0) return <p class="slot">No similar papers yet{s.reason ? ` (${s.reason})` : ''}.</p>;
  return (
    <ul class="similar">
      {s.hits.map((h) => (
        <li>
          <a href={`/papers/${h.paper.id}`}>
            <Tex text={h.paper.title} />
          </a>
          <span class="meta">
            {' '}
            {authorLine(h.paper.authors, 2)}
            {h.paper.publishedAt ? ` · ${h.paper.publishedAt.slice(0, 4)}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
