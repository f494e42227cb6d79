// The JSON API's route table. Errors are JSON {"error": message} with the right status.
import { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { getFeaturedPaper, getPaper } from '../../store/papers.js';
import type { AppDeps } from '../app.js';
import { presentPaper } from './papers.js';

export function apiRoutes({ db }: AppDeps): Hono {
  const api = new Hono();

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
