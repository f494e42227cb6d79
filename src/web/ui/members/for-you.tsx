// /for-you (web/ui/routes.tsx lists the routes): the member's papers ranked by their own model
// (recommend/), each card with its reason; tab `new` the last days' announcements, tab `all` the
// whole corpus. A member with nothing to learn from sees the cold start: categories to follow and a
// sample of papers to save. "Not interested" on a card hides the paper, which the model takes as a
// negative example.
import type { Context } from 'hono';
import { FOLLOWING_DAYS } from '../../../members/follows.js';
import type { Scope } from '../../../recommend/index.js';
import { addFollow, TooManyFollowsError } from '../../../store/follows.js';
import { setSaved } from '../../../store/library.js';
import { listFeatured } from '../../../store/lists.js';
import { listedPapersByIds } from '../../../store/papers.js';
import { CsrfField } from '../components/account.js';
import { Card, cardSummary, plural } from '../components/card.js';
import { hasMath, Tex } from '../components/math.js';
import { Layout } from '../layout.js';
import { type Members, readForm, userOf } from './kit.js';

export const FOR_YOU_PAGE = 30;
/** Papers offered to save in the cold start. */
const SAMPLE = 12;

export function forYouPages(m: Members) {
  const { db } = m.db;

  const show = async (c: Context) => {
    const user = userOf(c);
    const scope: Scope = c.req.query('tab') === 'all' ? 'all' : 'new';
    const page = Math.max(1, Math.min(100, Number(c.req.query('p') ?? 1) || 1));
    const r = await m.recommender.forYou(user.id, { scope, limit: FOR_YOU_PAGE, offset: (page - 1) * FOR_YOU_PAGE });
    const items = await listedPapersByIds(
      db,
      r.items.map((i) => i.id),
    );
    const why = new Map(r.items.map((i) => [i.id, i.reason]));
    const pages = Math.max(1, Math.ceil(r.total / FOR_YOU_PAGE));
    const sample = r.cold ? (await listFeatured(db, {}, 'trending', { offset: 0, limit: SAMPLE })).items : [];
    const tab = (s: Scope) => `/for-you${s === 'all' ? '?tab=all' : ''}`;
    const more = (p: number) => `/for-you?${scope === 'all' ? 'tab=all&' : ''}p=${p}`;
    const html = (
      <Layout
        title="For you - dailypapers"
        math={items.some((i) => hasMath(i.paper.title) || hasMath(cardSummary(i))) || sample.some((i) => hasMath(i.paper.title))}
      >
        <div class="feed-head">
          <h1>
            For you
            <small>
              <span class="visually-hidden">, </span>ranked by what you saved, upvoted, followed and hid
            </small>
          </h1>
          <div class="bar">
            <nav class="tabs" aria-label="Which papers">
              <a href={tab('new')} aria-current={scope === 'new' ? 'page' : undefined}>
                New ({FOLLOWING_DAYS} days)
              </a>
              <a href={tab('all')} aria-current={scope === 'all' ? 'page' : undefined}>
                All papers
              </a>
            </nav>
          </div>
          <p class="count">
            {plural(r.total, 'paper')} ranked{pages > 1 ? `; page ${page} of ${pages}` : ''}. <a href="/map">See them on the map</a>.
          </p>
        </div>
        {r.cold ? <ColdStart categories={m.config.arxivCategories} sample={sample} /> : null}
        {items.length ? (
          <ol class="cards for-you">
            {items.map((item) => (
              <li>
                <Card item={item} badge={why.get(item.paper.id)} />
              </li>
            ))}
          </ol>
        ) : (
          <div class="empty">
            <p>No paper to show here yet{scope === 'new' ? ` among the last ${FOLLOWING_DAYS} days' announcements` : ''}.</p>
          </div>
        )}
        {pages > 1 ? (
          <nav class="more" aria-label="Pages">
            {page > 1 ? (
              <a class="btn" rel="prev" href={more(page - 1)}>
                ← Page {page - 1}
              </a>
            ) : null}
            {page < pages ? (
              <a class="btn btn-primary" rel="next" href={more(page + 1)}>
                Page {page + 1} →
              </a>
            ) : null}
          </nav>
        ) : null}
        <section class="prose members">
          <h2 id="private-feed">Your private For-you feed</h2>
          <p>
            The New tab as a feed: <code>{`${m.config.baseUrl}/for-you/feed.atom?token=…`}</code>, with the secret address token of your{' '}
            <a href="/following#private-feed">private feed</a> (one token serves both). {user.hasFeedToken ? 'You have one.' : 'Create one on /following.'}
          </p>
        </section>
      </Layout>
    );
    return c.html(html, 200, { 'cache-control': 'private, no-cache' });
  };

  /** POST /for-you/start: the cold start's picks become follows (categories) and saves (papers). */
  const start = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const cats = Object.keys(f)
      .filter((k) => k.startsWith('cat:'))
      .map((k) => k.slice(4));
    const papers = Object.keys(f)
      .filter((k) => k.startsWith('paper:'))
      .map((k) => k.slice(6));
    if (cats.length + papers.length === 0) return c.text('Pick at least one category or paper.\n', 400);
    for (const cat of cats) {
      if (!m.config.arxivCategories.includes(cat)) return c.text(`'${cat.slice(0, 40)}' is not one of this instance's categories.\n`, 400);
    }
    try {
      for (const cat of cats) await addFollow(db, { userId: user.id }, 'category', cat);
    } catch (e) {
      if (e instanceof TooManyFollowsError) return c.text(`${e.message}\n`, 400);
      throw e;
    }
    for (const id of papers.slice(0, SAMPLE)) await setSaved(db, user.id, id, true);
    return c.redirect('/for-you', 303);
  };

  return { show, start };
}

function ColdStart(props: { categories: string[]; sample: Array<{ paper: { id: string; title: string } }> }) {
  return (
    <section class="prose members cold-start" aria-labelledby="cold-start">
      <h2 id="cold-start">Start your feed</h2>
      <p>
        Nothing to learn from yet. Pick the categories you read and a few papers you like; or import a BibTeX file into your{' '}
        <a href="/library#import">library</a>. Saving and upvoting papers later teaches the ranking too.
      </p>
      <form method="post" action="/for-you/start" class="stack">
        <CsrfField />
        <fieldset>
          <legend>Categories</legend>
          {props.categories.map((cat) => (
            <label class="inline">
              <input type="checkbox" name={`cat:${cat}`} /> {cat}
            </label>
          ))}
        </fieldset>
        {props.sample.length ? (
          <fieldset>
            <legend>Papers</legend>
            {props.sample.map((s) => (
              <label class="block">
                <input type="checkbox" name={`paper:${s.paper.id}`} /> <Tex text={s.paper.title} />
              </label>
            ))}
          </fieldset>
        ) : null}
        <button class="btn btn-primary" type="submit">
          Start
        </button>
      </form>
    </section>
  );
}
