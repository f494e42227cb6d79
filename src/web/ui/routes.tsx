// The whole UI route table on one screen: each route with who may call it (web/routing.ts) and
// whether a shared cache may hold it (`listing`, `visitorPage`). A GET never changes state. Pages
// answer with an ETag (a hash of the body: respond.ts for ours, hono/etag with a node:crypto digest
// for the rest) and `Cache-Control: no-cache`, so a reload revalidates and an unchanged page is a
// bodiless 304 (RFC 9110 §13.1.2, If-None-Match).
import { moderationPage } from './moderation.js';
import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { etag } from 'hono/etag';
import { parseArxivId } from '../../papers/arxiv-id.js';
import { getPaperPage, latestFeaturedDay } from '../../store/papers.js';
import { countVotes } from '../../store/votes.js';
import type { AppDeps } from '../deps.js';
import { AboutPage } from './about.js';
import { ErrorPage } from './errors.js';
import { pickDate, renderPeriod, renderTrending } from './feed.js';
import { PaperNotFound, PaperPage } from './paper.js';
import { commentsSection } from './members/comments.js';
import { sendPage } from './respond.js';
import { KATEX_PATH, katexFile, ownAsset } from './static.js';
import { renderSearch, similarList } from './search.js';
import { statusPage } from './status.js';
import { accountPages } from './members/account.js';
import { adminPages } from './members/admin.js';
import { commentPages } from './members/comments.js';
import { forbidden, type Members } from './members/kit.js';
import { orgPages } from './members/orgs.js';
import { peoplePages } from './members/people.js';
import { settingsPages } from './members/settings.js';
import { submitPages } from './members/submit.js';
import { digestSettings } from './digest-settings.js';
import { subscribePages } from './subscribe.js';
import { dailyPages } from './members/daily.js';
import { libraryPages } from './members/library.js';
import { libraryActions } from './members/library-actions.js';
import { libraryBox } from './members/library-paper.js';
import { member } from '../middleware/context.js';
import { forYouPages } from './members/for-you.js';
import { mapPages } from './map.js';
import { renderNew } from './new-papers.js';
import { cookieNames } from '../middleware/session.js';
import { routes } from '../routing.js';
import { PageCache, shared } from '../cache.js';
import { byPaper, byPeriod, contentOnly, latestDay } from '../scopes.js';
import type { Scope } from '../../store/versions.js';
import { memberOverlay, overlayTag } from './components/overlay.js';

export function uiRoutes(deps: AppDeps): Hono {
  const { db, config } = deps;
  const ui = new Hono();
  const r = routes(ui, { forbidden });
  // Who sees what (web/cache.ts): `listing` pages are shared with a member's votes and menu laid
  // over them; `visitorPage`s are shared by visitors, and rendered for each member; pages with
  // neither are rendered for each request.
  const cache = deps.pageCache ?? new PageCache();
  // Each says what it shows besides content (web/scopes.ts): by default every paper's counts.
  const listingOf = (scope: (c: Context) => Scope) => shared({ db: db.db, cache, overlay: memberOverlay, memberTag: overlayTag, scope });
  const listing = listingOf(() => 'all');
  const visitorPage = shared({ db: db.db, cache });
  const m: Members = { ...deps, names: cookieNames(config.baseUrl) };
  const daily = dailyPages(m);
  const library = libraryPages(m);
  const saving = libraryActions(m);
  const forYou = forYouPages(m);
  const map = mapPages(deps);
  const [account, settings, comments, submit, people, orgs, admin, subs] = [
    accountPages(m),
    settingsPages(m),
    commentPages(m),
    submitPages(m),
    peoplePages(m),
    orgPages(m),
    adminPages(m),
    subscribePages(deps),
  ];

  r.get(KATEX_PATH, 'anyone', katexFile); // immutable, fingerprinted: before the ETag below
  r.get('/static/:name', 'anyone', ownAsset);
  ui.use('*', async (c, next) => {
    await next();
    if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-cache');
  });
  ui.use('*', etag({ generateDigest: (body) => new Uint8Array(createHash('sha1').update(body).digest()).buffer }));

  r.get('/', 'anyone', (c) => c.redirect('/papers'));
  r.get('/about', 'anyone', listingOf(contentOnly), (c) =>
    sendPage(c, <AboutPage timezone={config.timezone} minUpvotes={config.featureMinUpvotes} categories={config.arxivCategories} />),
  );
  r.get('/status', 'staff', (c) => statusPage(c, deps)); // job errors may name internal hosts
  r.get('/moderation', 'anyone', (c) => moderationPage(c, deps));
  r.get('/search', 'anyone', listing, (c) => renderSearch(c, deps));
  r.get('/papers', 'anyone', listingOf(latestDay), (c) => renderPeriod(c, deps, 'day', null));
  r.get('/papers/trending', 'anyone', listing, (c) => renderTrending(c, deps));
  // The day's new arXiv papers; a member's remembered category filter applies when the URL has none.
  r.get('/papers/new', 'anyone', daily.applyRememberedFilter, listing, (c) => renderNew(c, deps, null));
  r.get('/papers/new/:day{[0-9]{4}-[0-9]{2}-[0-9]{2}}', 'anyone', daily.applyRememberedFilter, listing, (c) => renderNew(c, deps, c.req.param('day') ?? null));
  r.post('/papers/new/filter', 'member', daily.rememberFilter);
  r.get('/papers/date', 'anyone', (c) => pickedDate(c, deps));
  r.get('/papers/date/:day', 'anyone', listingOf(byPeriod('day', 'day')), (c) => renderPeriod(c, deps, 'day', c.req.param('day') ?? null));
  r.get('/papers/week', 'anyone', listing, (c) => renderPeriod(c, deps, 'week', null));
  r.get('/papers/week/:week', 'anyone', listingOf(byPeriod('week', 'week')), (c) => renderPeriod(c, deps, 'week', c.req.param('week') ?? null));
  r.get('/papers/month', 'anyone', listing, (c) => renderPeriod(c, deps, 'month', null));
  r.get('/papers/month/:month', 'anyone', listingOf(byPeriod('month', 'month')), (c) => renderPeriod(c, deps, 'month', c.req.param('month') ?? null));
  // Old-style ids have a slash (hep-th/9901001), hence the catch-all parameter.
  r.post('/papers/:id{.+}/upvote', 'member', comments.upvote);
  r.post('/papers/:id{.+}/comments', 'member', comments.comment);
  for (const action of ['hide', 'unhide', 'read', 'unread'] as const) r.post(`/papers/:id{.+}/${action}`, 'member', daily.mark(action));
  r.post('/papers/:id{.+}/feature', 'staff', daily.pick); // a moderator's pick into today's Daily feed
  r.post('/papers/:id{.+}/save', 'member', saving.save);
  r.post('/papers/:id{.+}/unsave', 'member', saving.unsave);
  r.post('/papers/:id{.+}/note', 'member', saving.note); // the member's private note
  r.get('/papers/:id{.+}', 'anyone', shared({ db: db.db, cache, scope: byPaper }), (c) => paperPage(c, deps));
  r.get('/comments/:id{[0-9]+}/edit', 'member', comments.editForm);
  r.post('/comments/:id{[0-9]+}/:action{edit|delete|hide|unhide}', 'member', comments.change); // hide: staff, checked by members/comments.ts

  r.get('/signup', 'anyone', account.signupForm);
  r.post('/signup', 'anyone', account.signup);
  r.get('/confirm/:token', 'anyone', account.confirmForm);
  r.post('/confirm/:token', 'anyone', account.confirm);
  r.get('/login', 'anyone', account.loginForm);
  r.post('/login', 'anyone', account.login);
  r.post('/logout', 'anyone', account.logout);
  r.get('/reset', 'anyone', account.resetForm);
  r.post('/reset', 'anyone', account.requestReset);
  r.get('/reset/:token', 'anyone', account.newPasswordForm);
  r.post('/reset/:token', 'anyone', account.resetPassword);

  r.get('/settings', 'member', settings.show);
  r.post('/settings/password', 'member', settings.password);
  r.post('/settings/sessions/end-all', 'member', settings.endSessions);
  r.post('/settings/privacy', 'member', settings.privacy);
  r.post('/settings/digest', 'member', digestSettings(deps));
  r.post('/settings/tokens', 'member', settings.createToken);
  r.post('/settings/tokens/:id/revoke', 'member', settings.revokeToken);
  r.get('/settings/export.json', 'member', settings.exportData); // a download: private, no-store
  r.post('/settings/delete', 'member', settings.deleteAccount);

  r.get('/settings/hidden', 'member', daily.hiddenList);
  r.get('/following', 'member', daily.following);
  r.post('/following', 'member', daily.follow);
  r.post('/following/:id{[0-9]+}/delete', 'member', daily.unfollow);
  r.post('/following/feed-token', 'member', daily.feedToken);
  r.post('/following/feed-token/revoke', 'member', daily.feedToken);
  r.get('/for-you', 'member', forYou.show);
  r.post('/for-you/start', 'member', forYou.start);
  // The map: a shared page with its script; its points as compact JSON (the stored layout), and a
  // member's own marks (saved papers) or a search's hits to highlight, asked for separately.
  r.get('/map', 'anyone', visitorPage, map.page);
  r.get('/map/points.json', 'anyone', map.points);
  r.get('/map/highlight.json', 'anyone', map.highlight); // a member's saved papers need their session; a search anyone

  // The library: saved papers and collections (members/library.tsx, library-actions.tsx). A
  // collection's page, export and feed are for anyone when unlisted or public, else 404.
  r.get('/library', 'member', library.library);
  r.get('/library/export/:format', 'member', saving.exportLibrary);
  r.post('/library/collections', 'member', saving.create);
  r.get('/collections/:id', 'anyone', library.collection);
  r.get('/collections/:id/export/:format', 'anyone', saving.exportCollection);
  r.post('/collections/:id/edit', 'member', saving.edit);
  r.post('/collections/:id/delete', 'member', saving.remove);
  r.post('/collections/:id/move', 'member', saving.move);
  r.post('/collections/:id/papers', 'member', saving.addPaper);
  r.post('/collections/:id/papers/remove', 'member', saving.removePaper);
  r.post('/collections/:id/papers/move', 'member', saving.movePaper);
  r.post('/collections/:id/import', 'member', saving.importForm);

  r.get('/submit', 'member', submit.form);
  r.post('/submit', 'member', submit.submit);
  r.get('/users/:name', 'anyone', people.profile);
  r.get('/authors/:name', 'anyone', people.author);
  r.post('/claims', 'member', people.claim);
  r.get('/orgs/new', 'member', orgs.newOrgForm);
  r.post('/orgs', 'member', orgs.create);
  r.get('/orgs/:name', 'anyone', orgs.show);
  r.post('/orgs/:name/members', 'member', orgs.addMember); // the organization's admins: checked by the handler

  r.get('/admin', 'staff', admin.dashboard);
  r.post('/admin/featured/remove', 'staff', admin.removeFeatured);
  r.post('/admin/users/:id{[0-9]+}/:action{suspend|role}', 'admin', admin.changeUser);
  r.post('/admin/claims/:id{[0-9]+}', 'admin', admin.decide);
  r.post('/admin/orgs/assign', 'admin', admin.assignOrg);

  // Digests by email: double opt-in, the signed manage link (also RFC 8058's one-click POST).
  r.get('/subscribe', 'anyone', subs.form);
  r.post('/subscribe', 'anyone', subs.subscribe);
  r.get('/subscribe/confirm', 'anyone', subs.confirmForm);
  r.post('/subscribe/confirm', 'anyone', subs.confirm);
  r.get('/unsubscribe/:id{[0-9]+}/:sig', 'anyone', subs.manageForm);
  r.post('/unsubscribe/:id{[0-9]+}/:sig', 'anyone', subs.manage);
  r.get('/digest/preview', 'admin', subs.preview);

  return ui;
}

/** /papers/date?date=...&view=...: a redirect to that period's page. */
async function pickedDate(c: Context, deps: AppDeps) {
  const to = pickDate(c);
  if (to) return c.redirect(to);
  const latest = await latestFeaturedDay(deps.db.db);
  return sendPage(
    c,
    <ErrorPage status={400} title="Bad date" message="Pick a date in the form YYYY-MM-DD (and a view: day, week or month)." latest={latest} />,
    400,
  );
}

/** A paper's page; a variant of its id (an arXiv URL, a version) redirects to the canonical one. */
async function paperPage(c: Context, deps: AppDeps) {
  const { db, config } = deps;
  const raw = c.req.param('id') ?? '';
  const ref = parseArxivId(raw);
  if (!ref) return sendPage(c, <PaperNotFound id={null} raw={raw} latest={await latestFeaturedDay(db.db)} />, 404);
  if (raw !== ref.id) return c.redirect(`/papers/${ref.id}`, 301);
  // The paper, its thread and its similar papers in one round trip's time: a page of counts is
  // rendered again on every vote (an unknown id costs its similar list a lookup that finds nothing).
  const [found, comments, similar] = await Promise.all([getPaperPage(db.db, ref.id), commentsSection(db, ref.id), similarList(deps, ref.id)]);
  const me = member(c).user;
  if (!found) return sendPage(c, <PaperNotFound id={ref.id} raw={raw} latest={await latestFeaturedDay(db.db)} />, 404);
  return sendPage(
    c,
    <PaperPage
      paper={found.paper}
      featured={found.featured}
      config={config}
      similar={similar}
      comments={comments}
      pendingUpvotes={found.featured ? 0 : await countVotes(db.db, ref.id)}
      library={me ? await libraryBox(db.db, me, ref.id) : undefined}
    />,
  );
}
