// The Hono app: the middleware every request passes, the operations endpoints, and the route tables
// (api/, mcp/, feeds/, agents/ for Markdown, ui/: each a routes file). Every route is registered
// through web/routing.ts, with who may call it.
import { IMPORT_MAX_BYTES } from '../members/library.js';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { harvestState } from '../jobs/status.js';
import { schemaHealth } from '../store/health.js';
import { agentRoutes } from './agents/routes.js';
import { apiRoutes } from './api/routes.js';
import type { AppDeps } from './deps.js';
import { feedRoutes } from './feeds/routes.js';
import { hearOwnWrites } from './cache.js';
import { mcpRoutes } from './mcp/routes.js';
import { Metrics, metricsHandler, operatorOnly } from './metrics.js';
import { clientIp, resolveClient } from './middleware/client.js';
import { refuseCrossOrigin } from './middleware/csrf.js';
import { requestLog } from './middleware/request-log.js';
import { securityHeaders } from './middleware/security.js';
import { cookieNames, loadMember, refuseTokensOnForms } from './middleware/session.js';
import { mount, routes } from './routing.js';
import { uiRoutes } from './ui/routes.js';

/** Largest request body: a comment is at most 10,000 characters; nothing we accept is bigger. */
export const MAX_BODY_BYTES = 64 * 1024;

/** The app over the services built once by the composition root (src/services.ts). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const metrics = deps.metrics ?? new Metrics();
  const r = routes(app, { operator: operatorOnly(deps.config) });
  const names = cookieNames(deps.config.baseUrl);
  app.use('*', resolveClient(deps.config.trustProxy));
  app.use('*', requestLog(metrics, deps.log));
  app.use('*', refuseTokensOnForms());
  app.use('*', hearOwnWrites(deps.pageCache));

  app.onError((err, c) => {
    deps.log?.error({ err, path: c.req.path, client: clientIp(c) }, 'request failed');
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'internal error' }, 500);
    return c.text('Internal error: the server could not answer this request. It has been logged.', 500);
  });
  app.notFound((c) =>
    c.req.path.startsWith('/api/') ? c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404) : c.text(`Not found: ${c.req.path}`, 404),
  );

  // Operations, before the middleware of pages and API: liveness (the process answers), readiness
  // (the database answers and its schema is ours), metrics.
  r.get('/healthz', 'anyone', (c) => c.json({ status: 'ok' }));
  r.get('/readyz', 'anyone', (c) => readiness(c, deps));
  r.get('/metrics', 'operator', metricsHandler(metrics, { db: deps.db, pageCache: deps.pageCache, limits: deps.limiter.store }));

  // Every other request: security headers, a bounded body, cross-site refusal, its member.
  app.use('*', securityHeaders(names.https));
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) =>
        c.req.path.startsWith('/api/') ? c.json({ error: `request body over ${maxSize} bytes` }, 413) : c.text(`Request body over ${maxSize} bytes.`, 413),
    });
  const limitBody = limit(MAX_BODY_BYTES);
  // An import into a collection carries a whole BibTeX file (members/library.ts bounds it).
  const limitImport = limit(IMPORT_MAX_BYTES + MAX_BODY_BYTES);
  const isImport = (path: string) => /^(\/api)?\/collections\/[^/]+\/import$/.test(path);
  // Only requests that may carry a body: bodyLimit reads c.req.raw.body, which makes
  // @hono/node-server build a full Request object, a third of the cost of a cached page.
  app.use('*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS' ? next() : isImport(c.req.path) ? limitImport(c, next) : limitBody(c, next),
  );
  app.use('*', refuseCrossOrigin(deps.config.baseUrl));
  app.use('*', loadMember(deps.db.db, deps.secret, names));

  // The route tables.
  mount(app, '/api', apiRoutes(deps, deps.apiLimits));
  mount(app, '/mcp', mcpRoutes(deps));
  mount(app, '/', feedRoutes(deps)); // before the pages: their /papers/:id catch-all would take feed paths
  mount(app, '/', agentRoutes(deps)); // the same: /papers/ID.md
  mount(app, '/', uiRoutes(deps));
  return app;
}

/** 'loaded', 'loading', or why semantic search is off (lexical search still answers then). */
async function searchReadiness(deps: AppDeps): Promise<string> {
  const warm = deps.search.warm().then(
    () => 'loaded',
    (e: Error) => `failed: ${e.message}`,
  );
  let timer: NodeJS.Timeout | undefined;
  const wait = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('loading'), READY_WAIT_MS);
  });
  try {
    return await Promise.race([warm, wait]);
  } finally {
    clearTimeout(timer);
  }
}

/** How long /readyz waits for a warm-up under way before answering 'not ready'. */
const READY_WAIT_MS = 2000;

async function readiness(c: Context, deps: AppDeps) {
  try {
    const { current, applied, pending, unknown } = await schemaHealth(deps.db.db);
    // arXiv being down does not make this instance unready: it shows in the details only.
    const harvest = current ? await harvestState(deps.db.db) : undefined;
    // The search model and vector index load at start (serve calls warm()); ready once they have,
    // so that a balancer sends no search to an instance that would answer it by words alone.
    const search = current ? await searchReadiness(deps) : 'not checked';
    const ready = current && search !== 'loading';
    return c.json(
      { status: ready ? 'ready' : 'not ready', database: deps.db.dialect, schema: { applied, pending, unknown }, search, harvest },
      ready ? 200 : 503,
    );
  } catch (e) {
    return c.json({ status: 'not ready', database: deps.db.dialect, error: (e as Error).message }, 503);
  }
}
