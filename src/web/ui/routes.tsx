// The whole UI route table on one screen. A GET never changes state.
import { Hono } from 'hono';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { getFeaturedPaper, getPaper, latestFeaturedDay, listFeaturedOnDay } from '../../store/papers.js';
import type { AppDeps } from '../app.js';
import { PaperPage, NotFoundPage } from './paper.js';
import { EmptyPage, PapersDayPage } from './papers-day.js';

export function uiRoutes({ db }: AppDeps): Hono {
  const ui = new Hono();

  ui.get('/', (c) => c.redirect('/papers'));

  ui.get('/papers', async (c) => {
    const day = await latestFeaturedDay(db.db);
    if (!day) return c.html(<EmptyPage />);
    return c.html(<PapersDayPage day={day} items={await listFeaturedOnDay(db.db, day)} />);
  });

  // Old-style ids have a slash (hep-th/9901001), hence the catch-all parameter.
  ui.get('/papers/:id{.+}', async (c) => {
    const raw = c.req.param('id');
    const ref = parseArxivId(raw);
    if (!ref) return c.html(<NotFoundPage message={`'${raw}' is not an arXiv identifier.`} />, 404);
    if (raw !== ref.id) return c.redirect(`/papers/${ref.id}`, 301);
    const paper = await getPaper(db.db, ref.id);
    if (!paper) return c.html(<NotFoundPage message={`No paper ${ref.id} in this instance.`} />, 404);
    return c.html(<PaperPage paper={paper} featured={await getFeaturedPaper(db.db, ref.id)} />);
  });

  return ui;
}
