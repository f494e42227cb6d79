// The JSON API's route table. Errors are JSON {"error": message} with the right status.
import { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { getFeaturedPaper, getPaper } from '../../store/papers.js';
import type { AppDeps } from '../app.js';
import { presentPaper } from './papers.js';
import { registerSearchApi } from './search.js';

export function apiRoutes(deps: AppDeps): Hono {
  const { db } = deps;
  const api = new Hono();
  registerSearchApi(api, deps); // before the catch-all /papers/:id below

  api.get('/papers/:id{.+}', async (c) => {
    const raw = c.req.param('id');
    const ref = parseArxivId(raw);
    if (!ref) return c.json({ error: `'${raw}' is not an arXiv identifier` }, 400);
    const paper = await getPaper(db.db, ref.id);
    if (!paper) return c.json({ error: `paper ${ref.id} not found` }, 404);
    return c.json(presentPaper(paper, await getFeaturedPaper(db.db, ref.id)));
  });

  return api;
}
