// The members' side of the daily loop (web/ui/routes.tsx lists the routes): /following (the new
// papers matching what they follow, each saying why), adding and removing follows, the private
// feed token, "not interested" and read marks, the remembered /papers/new filter, and a
// moderator's pick into the Daily feed.
import { parseReason, recordModeration } from '../../../members/moderation.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { sha256 } from '../../../auth/secrets.js';
import { checkFollow, FOLLOWING_DAYS, followingRange, followLabel, matchFollows } from '../../../members/follows.js';
import { parseArxivId } from '../../../papers/arxiv-id.js';
import { formatCategoryFilter, parseCategoryFilter } from '../../../papers/categories.js';
import { dayInZone } from '../../../papers/dates.js';
import { addFollow, type Follow, listFollows, removeFollow, setFeedToken, TooManyFollowsError } from '../../../store/follows.js';
import { listHidden, markedIds, rememberNewFilter, setMark } from '../../../store/member-papers.js';
import { listedPapersByIds } from '../../../store/papers.js';
import { insertFeatured } from '../../../store/votes.js';
import { member } from '../../middleware/context.js';
import { matches } from '../../etag.js';
import { scopeVersion } from '../../../store/versions.js';
import { CsrfField } from '../components/account.js';
import { Card, cardSummary, plural } from '../components/card.js';
import { hasMath, Tex } from '../components/math.js';
import { Layout } from '../layout.js';
import { badRequest, type Members, Notice, notFound, readForm, safeNext, userOf, wantsJson } from './kit.js';

export const FOLLOWING_PAGE = 50;

const KIND_LABEL: Record<Follow['kind'], string> = { category: 'Categories', author: 'Authors', org: 'Organizations', search: 'Saved searches' };

const paperId = (raw: string) => {
  const ref = parseArxivId(raw);
  return ref && ref.id === raw ? ref.id : null;
};

/** A "Follow" button for any page: the kind and value to follow, and where to come back to. */
export function FollowButton(props: { kind: Follow['kind']; value: string; next: string; label?: string }) {
  return (
    <form method="post" action="/following" class="inline follow">
      <CsrfField />
      <input type="hidden" name="kind" value={props.kind} />
      <input type="hidden" name="value" value={props.value} />
      <input type="hidden" name="next" value={props.next} />
      <button class="btn" type="submit">
        {props.label ?? `Follow ${props.kind === 'org' ? 'organization' : props.kind}`}
      </button>
    </form>
  );
}

/** What to follow, as the forms of /following and of a digest's manage page ask it. */
export function FollowFields() {
  return (
    <>
      <label for="follow-kind">Follow</label>
      <select id="follow-kind" name="kind">
        <option value="category">a category (cs.LG, math)</option>
        <option value="author">an author (name as on papers)</option>
        <option value="org">an organization (handle)</option>
        <option value="search">a search (as on /search, operators too)</option>
      </select>
      <input name="value" required maxlength={500} aria-label="What to follow" />
    </>
  );
}

export function dailyPages(m: Members) {
  const { db } = m.db;
  const deps = { db, search: m.search };

  /** GET /following; after a new feed token, the same page showing it once. */
  /**
   * Rendered /following pages by member and page, with the tag of everything they show: a reload,
   * or a second look before anything changed, costs a few lookups instead of matching and
   * rendering 50 cards (decision 0035). Bounded; oldest first out.
   */
  const rendered = new Map<string, { tag: string; html: string }>();
  const RENDERED_MAX = 1000;

  const following = async (c: Context, newToken: string | null = null) => {
    const user = userOf(c);
    const me = member(c);
    const page = Math.max(1, Math.min(10_000, Number(c.req.query('p') ?? 1) || 1));
    // The session's user row: a token made in this request is shown by newToken.
    const token = newToken !== null || user.hasFeedToken;
    const [follows, version, range] = await Promise.all([listFollows(db, { userId: user.id }), scopeVersion(db, 'all'), followingRange(db)]);
    const hidden = me.hidden ?? (await markedIds(db, 'hidden', user.id));
    const key = `${user.id}:${page}`;
    const tag = `W/"f${createHash('sha1')
      .update(
        JSON.stringify([
          version,
          range,
          follows.map((f) => [f.id, f.kind, f.value]),
          token,
          [...hidden].sort(),
          [...(me.read ?? [])].sort(),
          [...(me.saved ?? [])].sort(),
          [...me.voted].sort(),
          me.csrf,
          user.username,
          user.role,
        ]),
      )
      .digest('base64url')}"`;
    const headers = { etag: tag, 'cache-control': 'private, no-cache' };
    if (newToken === null) {
      if (matches(c.req.header('if-none-match'), tag)) return new Response(null, { status: 304, headers });
      const hit = rendered.get(key);
      if (hit?.tag === tag) return c.html(hit.html, 200, headers);
    }
    const found = await matchFollows(deps, follows, range, hidden);
    const shown = found.slice((page - 1) * FOLLOWING_PAGE, page * FOLLOWING_PAGE);
    const items = await listedPapersByIds(
      db,
      shown.map((x) => x.id),
    );
    const why = new Map(shown.map((x) => [x.id, x.reasons.join(' · ')]));
    const pages = Math.max(1, Math.ceil(found.length / FOLLOWING_PAGE));
    const byKind = (k: Follow['kind']) => follows.filter((f) => f.kind === k);
    const html = await (
      <Layout title="Following - dailypapers" section="following" math={items.some((i) => hasMath(i.paper.title) || hasMath(cardSummary(i)))}>
        <div class="feed-head">
          <h1>
            Following
            <small>
              <span class="visually-hidden">, </span>new papers of the last {FOLLOWING_DAYS} days
            </small>
          </h1>
          <p class="count">
            {plural(found.length, 'paper')} {found.length === 1 ? 'matches' : 'match'} what you follow{pages > 1 ? `; page ${page} of ${pages}` : ''}.
          </p>
        </div>
        {follows.length === 0 ? (
          <div class="empty">
            <p>
              You follow nothing yet. Follow a category, an author (on their page, <code>/authors/NAME</code>), an organization or a search (on{' '}
              <code>/search</code>
              ), or add one below; the new papers that match appear here, in your private feed, and in your digest.
            </p>
          </div>
        ) : items.length ? (
          <ol class="cards">
            {items.map((item) => (
              <li>
                <Card item={item} badge={why.get(item.paper.id)} />
              </li>
            ))}
          </ol>
        ) : (
          <div class="empty">
            <p>
              No new paper of the last {FOLLOWING_DAYS} days matches what you follow. See all of them on <a href="/papers/new">New</a>.
            </p>
          </div>
        )}
        {pages > 1 ? (
          <nav class="more" aria-label="Pages">
            {page > 1 ? (
              <a class="btn" rel="prev" href={`/following?p=${page - 1}`}>
                ← Page {page - 1}
              </a>
            ) : null}
            {page < pages ? (
              <a class="btn btn-primary" rel="next" href={`/following?p=${page + 1}`}>
                Page {page + 1} →
              </a>
            ) : null}
          </nav>
        ) : null}
        <section class="prose members following-settings" aria-labelledby="follows">
          <h2 id="follows">What you follow</h2>
          {(['category', 'author', 'org', 'search'] as const).map((k) =>
            byKind(k).length ? (
              <>
                <h3>{KIND_LABEL[k]}</h3>
                <ul class="follows">
                  {byKind(k).map((f) => (
                    <li>
                      {f.kind === 'author' ? (
                        <a href={`/authors/${encodeURIComponent(f.value)}`}>{f.value}</a>
                      ) : f.kind === 'org' ? (
                        <a href={`/orgs/${encodeURIComponent(f.value)}`}>{f.value}</a>
                      ) : f.kind === 'search' ? (
                        <a href={`/search?q=${encodeURIComponent(f.value)}`}>{f.value}</a>
                      ) : (
                        <a href={`/papers/new?cat=${encodeURIComponent(f.value)}`}>{f.value}</a>
                      )}{' '}
                      (<a href={feedOf(f)}>feed</a>){' '}
                      <form method="post" action={`/following/${f.id}/delete`} class="inline">
                        <CsrfField />
                        <button class="linklike" type="submit" aria-label={`Unfollow ${followLabel(f)}`}>
                          unfollow
                        </button>
                      </form>
                    </li>
                  ))}
                </ul>
              </>
            ) : null,
          )}
          <form method="post" action="/following" class="stack">
            <CsrfField />
            <input type="hidden" name="next" value="/following" />
            <FollowFields />
            <button class="btn btn-primary" type="submit">
              Follow
            </button>
          </form>
          <h2 id="private-feed">Your private feed</h2>
          {newToken ? (
            <Notice>
              Your feed: <code id="feed-url">{`${m.config.baseUrl}/following/feed.atom?token=${newToken}`}</code> (also <code>feed.rss</code>). Copy it now: it
              is shown once.
            </Notice>
          ) : null}
          <p>
            One feed of everything you follow, for a feed reader; its address holds a secret, so anyone with it can read what you follow.{' '}
            {token ? 'You have one.' : 'You have none yet.'}
          </p>
          <form method="post" action="/following/feed-token" class="inline">
            <CsrfField />
            <button class="btn" type="submit">
              {token ? 'Replace the feed address' : 'Create a feed address'}
            </button>
          </form>{' '}
          {token ? (
            <form method="post" action="/following/feed-token/revoke" class="inline">
              <CsrfField />
              <button class="btn" type="submit">
                Revoke it
              </button>
            </form>
          ) : null}
        </section>
      </Layout>
    ).toString();
    if (newToken !== null) return c.html(html, 200, { 'cache-control': 'no-store' });
    rendered.delete(key);
    rendered.set(key, { tag, html });
    if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value!);
    return c.html(html, 200, headers);
  };

  const follow = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const checked = checkFollow(f.kind ?? '', f.value ?? '');
    if (!checked.ok) return wantsJson(c) ? c.json({ error: checked.error }, 400) : c.text(`${checked.error}\n`, 400);
    try {
      await addFollow(db, { userId: user.id }, checked.kind, checked.value);
    } catch (e) {
      if (e instanceof TooManyFollowsError) return c.text(`${e.message}\n`, 400);
      throw e;
    }
    return c.redirect(safeNext(f.next ?? '/following'), 303);
  };

  const unfollow = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    if (!(await removeFollow(db, { userId: user.id }, Number(c.req.param('id'))))) return notFound(c, 'You do not follow that.');
    return c.redirect('/following', 303);
  };

  const feedToken = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    if (c.req.path.endsWith('/revoke')) {
      await setFeedToken(db, user.id, null);
      return c.redirect('/following#private-feed', 303);
    }
    const token = `dpf_${randomBytes(24).toString('base64url')}`;
    await setFeedToken(db, user.id, sha256(token));
    // Shown once, on this answer; only its hash is kept.
    return following(c, token);
  };

  /** POST /papers/ID/(hide|unhide|read|unread): a member's marks; back where they were. */
  const mark = (action: 'hide' | 'unhide' | 'read' | 'unread') => async (c: Context) => {
    const user = userOf(c);
    const id = paperId(c.req.param('id') ?? '');
    if (!id) return notFound(c, `'${c.req.param('id')}' is not an arXiv identifier`);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const ok = await setMark(db, action.endsWith('hide') ? 'hidden' : 'read', user.id, id, !action.startsWith('un'));
    if (!ok) return notFound(c, `There is no paper ${id}.`);
    if (wantsJson(c)) return c.json({ id, [action.endsWith('hide') ? 'hidden' : 'read']: !action.startsWith('un') });
    return c.redirect(safeNext(f.next ?? c.req.header('referer')?.replace(/^https?:\/\/[^/]+/, '') ?? `/papers/${id}`), 303);
  };

  /** GET /settings/hidden: the papers the member hid, each with "show again". */
  const hiddenList = async (c: Context) => {
    const user = userOf(c);
    const rows = await listHidden(db, user.id);
    return c.html(
      <Layout title="Hidden papers - dailypapers">
        <div class="prose members">
          <h1>Hidden papers</h1>
          <p>Papers you marked "not interested" are left out of every listing you see. Show one again:</p>
          {rows.length ? (
            <ul>
              {rows.map((r) => (
                <li>
                  <a href={`/papers/${r.id}`}>
                    <Tex text={r.title} />
                  </a>{' '}
                  <form method="post" action={`/papers/${r.id}/unhide`} class="inline">
                    <CsrfField />
                    <input type="hidden" name="next" value="/settings/hidden" />
                    <button class="linklike" type="submit">
                      show again
                    </button>
                  </form>
                </li>
              ))}
            </ul>
          ) : (
            <p>You have hidden no paper.</p>
          )}
        </div>
      </Layout>,
    );
  };

  /** POST /papers/new/filter: remember (or, empty, forget) the category filter of /papers/new. */
  const rememberFilter = async (c: Context) => {
    const user = userOf(c);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const parsed = parseCategoryFilter([f.cat ?? '']);
    if (!parsed.ok) return c.text(`${parsed.error}\n`, 400);
    const text = formatCategoryFilter(parsed.filter);
    await rememberNewFilter(db, user.id, text || null);
    return c.redirect(text ? `/papers/new?${new URLSearchParams(text.split(' ').map((x): [string, string] => ['cat', x]))}` : '/papers/new?cat=', 303);
  };

  /** Before /papers/new's shared page: a member with a remembered filter and no `cat` goes to it. */
  const applyRememberedFilter = async (c: Context, next: () => Promise<void>) => {
    const remembered = member(c).user?.newCategories;
    if (remembered && c.req.queries('cat') === undefined) {
      const url = new URL(c.req.url);
      for (const x of remembered.split(' ')) url.searchParams.append('cat', x);
      return c.redirect(url.pathname + url.search, 302);
    }
    await next();
  };

  /** POST /papers/ID/feature: a moderator's pick into today's Daily feed. */
  const pick = async (c: Context) => {
    const user = userOf(c);
    const id = paperId(c.req.param('id') ?? '');
    if (!id) return notFound(c, `'${c.req.param('id')}' is not an arXiv identifier`);
    const f = await readForm(c, m);
    if (f instanceof Response) return f;
    const why = parseReason(f.reason);
    if (!why.ok) return badRequest(c, why.message);
    const exists = await listedPapersByIds(db, [id]);
    if (exists.length === 0) return notFound(c, `There is no paper ${id}.`);
    await insertFeatured(db, id, dayInZone(new Date(), m.config.timezone), 'pick', undefined, { userId: user.id, username: user.username });
    await recordModeration(db, user, 'picked paper', { kind: 'paper', id, label: id }, why.reason);
    return c.redirect(`/papers/${id}`, 303);
  };

  return { following: (c: Context) => following(c), follow, unfollow, feedToken, mark, hiddenList, rememberFilter, applyRememberedFilter, pick };
}

/** The public feed of one follow (every follow has one). */
export function feedOf(f: Pick<Follow, 'kind' | 'value'>): string {
  const v = encodeURIComponent(f.value);
  if (f.kind === 'author') return `/authors/${v}/feed.atom`;
  if (f.kind === 'org') return `/orgs/${v}/feed.atom`;
  if (f.kind === 'search') return `/search/feed.atom?q=${v}`;
  return `/papers/new/feed.atom?cat=${v}`;
}
