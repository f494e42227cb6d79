// The whole UI route table on one screen. A GET never changes state. Pages answer with an ETag
// (a hash of the body: respond.ts for ours, hono/etag with a node:crypto digest for the rest) and
// `Cache-Control: no-cache`, so a reload revalidates and an unchanged page is a bodiless 304
// (RFC 9110 §13.1.2, If-None-Match).
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { etag } from 'hono/etag';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { getPaperPage, latestFeaturedDay } from '../../store/papers.js';
import type { AppDeps } from '../app.js';
import { AboutPage } from './about.js';
import { ErrorPage } from './errors.js';
import { pickDate, renderPeriod, renderTrending } from './feed.js';
import { PaperNotFound, PaperPage } from './paper.js';
import { commentsSection } from './members/comments.js';
import { sendPage } from './respond.js';
import { staticRoutes } from './static.js';
import { renderSearch, similarList } from './search.js';
import { statusPage } from './status.js';
import { forbidden, signedIn } from './members/kit.js';
import { isStaff } from '../middleware/context.js';
import { PageCache, shared } from '../cache.js';
import { memberOverlay, overlayTag } from './components/overlay.js';

export function uiRoutes(deps: AppDeps): Hono {
  const { db, config } = deps;
  const ui = new Hono();
  // Who sees what (web/cache.ts): `listing` pages are shared with a member's votes and menu laid
  // over them; `visitorPage`s are shared by visitors, and rendered for each member.
  const cache = deps.pageCache ?? new PageCache();
  const listing = shared({ db: db.db, cache, overlay: memberOverlay, memberTag: overlayTag });
  const visitorPage = shared({ db: db.db, cache });

  ui.route('/static', staticRoutes());

  ui.use('*', async (c, next) => {
    await next();
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-cache');
  });
  ui.use('*', etag({ generateDigest: (body) => new Uint8Array(createHash('sha1').update(body).digest()).buffer }));

  ui.get('/', (c) => c.redirect('/papers'));
  ui.get('/about', listing, (c) => sendPage(c, <AboutPage timezone={config.timezone} />));
  // Ingestion and job state (errors may name internal hosts): moderators and admins only.
  ui.get('/status', (c) => {
    const user = signedIn(c);
    if (user instanceof Response) return user;
    return isStaff(user) ? statusPage(c, deps) : forbidden(c, 'The status page is for moderators and administrators.');
  });

  ui.get('/search', listing, (c) => renderSearch(c, deps));
  ui.get('/papers', listing, (c) => renderPeriod(c, deps, 'day', null));
  ui.get('/papers/trending', listing, (c) => renderTrending(c, deps));
  ui.get('/papers/date', async (c) => {
    const to = pickDate(c);
    if (to) return c.redirect(to);
    const latest = await latestFeaturedDay(db.db);
    return sendPage(c, <ErrorPage status={400} title="Bad date" message="Pick a date in the form YYYY-MM-DD (and a view: day, week or month)." latest={latest} />, 400);
  });
  ui.get('/papers/date/:day', listing, (c) => renderPeriod(c, deps, 'day', c.req.param('day')));
  ui.get('/papers/week', listing, (c) => renderPeriod(c, deps, 'week', null));
  ui.get('/papers/week/:week', listing, (c) => renderPeriod(c, deps, 'week', c.req.param('week')));
  ui.get('/papers/month', listing, (c) => renderPeriod(c, deps, 'month', null));
  ui.get('/papers/month/:month', listing, (c) => renderPeriod(c, deps, 'month', c.req.param('month')));

  // Old-style ids have a slash (hep-th/9901001), hence the catch-all parameter.
  ui.get('/papers/:id{.+}', visitorPage, async (c) => {
    const raw = c.req.param('id');
    const ref = parseArxivId(raw);
    if (!ref) return sendPage(c, <PaperNotFound id={null} raw={raw} latest={await latestFeaturedDay(db.db)} />, 404);
    if (raw !== ref.id) return c.redirect(`/papers/${ref.id}`, 301);
    const found = await getPaperPage(db.db, ref.id);
    if (!found) return sendPage(c, <PaperNotFound id={ref.id} raw={raw} latest={await latestFeaturedDay(db.db)} />, 404);
    return sendPage(c, <PaperPage paper={found.paper} featured={found.featured} config={config} similar={await similarList(deps, ref.id)} comments={await commentsSection(db, ref.id)} />);
  });

  return ui;
}
