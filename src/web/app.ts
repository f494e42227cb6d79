// The Hono app: operations endpoints, then the UI and the JSON API, each with its own route table.
import { Hono } from 'hono';
import { schemaState } from '../db/migrate.js';
import { harvestState } from '../jobs/status.js';
import { apiRoutes } from './api/routes.js';
import { mountMembers } from './ui/members/routes.js';
import { feedRoutes } from './feeds/routes.js';
import type { AppDeps } from './deps.js';
import { Metrics, metricsHandler } from './metrics.js';
import { clientIp, resolveClient } from './middleware/client.js';
import { refuseTokensOnForms } from './middleware/session.js';
import { uiRoutes } from './ui/routes.js';
import { subscribeRoutes } from './ui/subscribe.js';

/** The app over the services built once by the composition root (src/services.ts). */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const metrics = new Metrics();
  app.use('*', resolveClient(deps.config.trustProxy));
  app.use('*', metrics.middleware());
  app.use('*', refuseTokensOnForms());

  app.onError((err, c) => {
    deps.log?.error({ err, path: c.req.path, client: clientIp(c) }, 'request failed');
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'internal error' }, 500);
    return c.text('Internal error: the server could not answer this request. It has been logged.', 500);
  });

  // Liveness: the process answers. Readiness: the database answers and its schema is ours.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    try {
      const state = await schemaState(deps.db.db);
      const current = state.pending.length === 0 && state.unknown.length === 0;
      // arXiv being down does not make this instance unready: it shows in the details only.
      const harvest = current ? await harvestState(deps.db.db) : undefined;
      return c.json(
        { status: current ? 'ready' : 'not ready', database: deps.db.dialect, schema: { applied: state.applied.at(-1) ?? null, pending: state.pending, unknown: state.unknown }, harvest },
        current ? 200 : 503,
      );
    } catch (e) {
      return c.json({ status: 'not ready', database: deps.db.dialect, error: (e as Error).message }, 503);
    }
  });

  app.get('/metrics', metricsHandler(metrics, deps.db, deps.config));

  app.notFound((c) =>
    c.req.path.startsWith('/api/')
      ? c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404)
      : c.text(`Not found: ${c.req.path}`, 404),
  );

  mountMembers(app, deps); // members: security headers, sessions, CSRF, accounts, votes, comments (before the rest)
  app.route('/api', apiRoutes(deps));
  app.route('/', subscribeRoutes(deps)); // digests: /subscribe, /unsubscribe/ID/SIG, /digest/preview
  app.route('/', feedRoutes(deps)); // before the UI: its /papers/:id catch-all would take feed paths
  app.route('/', uiRoutes(deps));
  return app;
}
