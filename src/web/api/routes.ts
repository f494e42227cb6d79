// The JSON API's route table: each route with who may call it (web/routing.ts) and, for reads every
// caller shares, `everyone` (a shared cache may hold the answer). Errors are JSON {"error": message}
// with the right status. Every route passes the same middleware: CORS open for reads, rate limits
// (ratelimit.ts), and caching headers with an ETag on GETs.
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { etag } from 'hono/etag';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { getListedPaper } from '../../store/papers.js';
import type { AppDeps } from '../deps.js';
import { PageCache, shared } from '../cache.js';
import { routes } from '../routing.js';
import { byPaper, contentOnly } from '../scopes.js';
import type { Scope } from '../../store/versions.js';
import { allPapers, dailyPapers, dailyScope, newPapers } from './daily.js';
import { apiDocs } from './docs.js';
import { API_MAX_AGE, cacheHeaders, okJson } from './http.js';
import { openApiDocument } from './openapi.js';
import { presentPaper } from './papers.js';
import { rateLimit, type RateLimitOptions } from './ratelimit.js';
import { libraryApi } from './library.js';
import { membersApi } from './members.js';
import { searchApi } from './search.js';

export function apiRoutes(deps: AppDeps, limits: RateLimitOptions = {}): Hono {
  const { db } = deps;
  const api = new Hono();
  const r = routes(api, { secret: deps.secret });

  // Anyone's page may read the API (no cookies are sent cross-origin: credentials stay off).
  // Writes get no CORS headers, so browsers keep them to our own pages.
  api.use(
    '*',
    cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], exposeHeaders: ['Link', 'RateLimit', 'RateLimit-Policy', 'ETag', 'X-Total-Count'] }),
  );
  api.use('*', rateLimit({ store: deps.limiter.store, ...limits }));
  api.use('*', cacheHeaders());
  api.use('*', etag());

  // API reads are the same whoever asks (no field depends on the caller): shared by all.
  // Each says what it shows besides content (web/scopes.ts): by default every paper's counts.
  const cache = deps.pageCache ?? new PageCache();
  const everyoneOf = (scope: (c: Context) => Scope) => shared({ db: db.db, cache, sameForAll: true, maxAge: API_MAX_AGE, scope });
  const everyone = everyoneOf(() => 'all');
  const search = searchApi(deps);
  const members = membersApi(deps);
  const library = libraryApi(deps);

  r.get('/', 'anyone', everyoneOf(contentOnly), (c) => c.html(apiDocs(deps.config.baseUrl)));
  r.get('/openapi.json', 'anyone', everyoneOf(contentOnly), (c) => c.json(openApiDocument(deps.config.baseUrl)));
  r.get('/daily_papers', 'anyone', everyoneOf(dailyScope), (c) => dailyPapers(c, deps));
  r.get('/papers', 'anyone', everyone, (c) => allPapers(c, deps));
  r.get('/papers/search', 'anyone', everyone, search.search);
  r.get('/papers/new', 'anyone', everyone, (c) => newPapers(c, deps));
  r.post('/papers/index', 'writer', members.index);
  // Under /papers/ID (old-style ids hold a slash): before the catch-all /papers/:id below.
  r.get('/papers/:id{.+}/similar', 'anyone', everyone, search.similar);
  r.get('/papers/:id{.+}/comments', 'anyone', members.comments);
  r.post('/papers/:id{.+}/comments', 'writer', members.comment);
  r.delete('/papers/:id{.+}/comments', 'anyone', members.notAllowed);
  r.get('/papers/:id{.+}/upvote', 'anyone', members.notAllowed);
  r.post('/papers/:id{.+}/upvote', 'writer', members.upvote);
  r.delete('/papers/:id{.+}/upvote', 'writer', members.unvote);
  r.post('/papers/:id{.+}/save', 'writer', library.save);
  r.delete('/papers/:id{.+}/save', 'writer', library.unsave);
  r.get('/papers/:id{.+}', 'anyone', everyoneOf(byPaper), async (c) => {
    const raw = c.req.param('id') ?? '';
    const ref = parseArxivId(raw);
    if (!ref) return c.json({ error: `'${raw}' is not an arXiv identifier` }, 400);
    const found = await getListedPaper(db.db, ref.id);
    if (!found) return c.json({ error: `paper ${ref.id} not found` }, 404);
    return okJson(c, presentPaper(found));
  });

  // The library (api/library.ts): a private collection is a 404 to all but its owner.
  r.get('/library', 'member', library.library);
  r.get('/collections', 'anyone', library.list);
  r.post('/collections', 'writer', library.create);
  r.get('/collections/:id', 'anyone', library.read);
  r.post('/collections/:id', 'writer', library.update);
  r.delete('/collections/:id', 'writer', library.remove);
  r.post('/collections/:id/papers', 'writer', library.addPaper);
  r.delete('/collections/:id/papers/:paper{.+}', 'writer', library.removePaper);
  r.post('/collections/:id/import', 'writer', library.importText);

  return api;
}
