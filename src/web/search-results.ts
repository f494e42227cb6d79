// Search results as pages and the API ask for them, kept per instance until content changes: what
// a query finds and in which order (ranked by words and meaning, not by counts) changes only with
// the papers, while a search costs several queries and an embedding. A kept result is answered
// with its papers read again (one query), so that its counts are those of now. Results sorted by
// upvotes, and results answered by words alone while the model loads, are not kept.
import type { SearchInput, SearchResults } from '../search/index.js';
import { loadHits } from '../search/hits.js';
import type { AppDeps } from './deps.js';

const KEEP = 500;

interface Kept {
  tag: string;
  results: SearchResults;
}

const kept = new WeakMap<object, Map<string, Kept>>();

export async function searchResults(deps: Pick<AppDeps, 'db' | 'search' | 'pageCache'>, input: SearchInput): Promise<SearchResults> {
  // A page cache that keeps nothing (the search benchmark's) keeps no results either.
  if (input.sort === 'upvotes' || !deps.pageCache || deps.pageCache.maxBytes === 0) return deps.search.search(input);
  let mine = kept.get(deps.pageCache);
  if (!mine) {
    mine = new Map();
    kept.set(deps.pageCache, mine);
  }
  const key = JSON.stringify([input.q, input.sort ?? 'relevance', input.page ?? 1, input.limit ?? null, input.mode ?? null]);
  const tag = await deps.pageCache.tag(deps.db.db, 'content');
  const k = mine.get(key);
  if (k && k.tag === tag) {
    const started = performance.now();
    const fresh = new Map(
      (
        await loadHits(
          deps.db.db,
          k.results.hits.map((h) => h.paper.id),
        )
      ).map((h) => [h.paper.id, h]),
    );
    const hits = k.results.hits.flatMap((h) => {
      const now = fresh.get(h.paper.id);
      return now ? [{ ...now, snippet: h.snippet }] : [];
    });
    return { ...k.results, hits, tookMs: performance.now() - started };
  }
  const results = await deps.search.search(input);
  if (!results.degraded) {
    mine.delete(key);
    mine.set(key, { tag, results });
    if (mine.size > KEEP) mine.delete(mine.keys().next().value!);
  }
  return results;
}
