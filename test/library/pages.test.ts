// The library through its pages on every dialect: saving from a card (JSON for app.js, a redirect
// without it) with the member's state laid over the shared page while the visitors' copy stays the
// same bytes; collections private, unlisted and public, each seen by whom it should be on the page,
// the API, the feed and the export (a private one is a 404 to others, never a 403); notes shown to
// their author alone and bounded before they are stored; ordering; the account's data and its
// deletion with counts kept right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { listCollections } from '../../src/store/collections.js';
import { createUser } from '../../src/store/users.js';
import { savedIds } from '../../src/store/library.js';
import { getFeaturedPaper } from '../../src/store/papers.js';
import { FEATURED } from '../api/fixtures.js';
import { DIALECTS } from '../harness/db.js';
import type { Client } from '../members/client.js';
import { collectionOf, libraryApp, PASSWORD } from './helpers.js';

const ON_PAPERS = FEATURED[6]!.id; // featured on the latest day: a card on /papers

describe.each(DIALECTS)('the library pages (%s)', (dialect) => {
  let l: Awaited<ReturnType<typeof libraryApp>>;
  let ada: Client;
  let bob: Client;
  beforeAll(async () => {
    l = await libraryApp(dialect);
    ada = await l.login('ada');
    bob = await l.login('bob');
  });
  afterAll(async () => l.close());

  it('saves from a card without a reload, lays the saved state over the shared page, and leaves the visitors’ page as it was', async () => {
    const before = await l.visitor().get('/papers');
    expect(before.html).toContain(`<form class="save" method="post" action="/papers/${ON_PAPERS}/save">`);
    expect(before.html).toContain('title="Log in to save"');
    const saved = await ada.json('POST', `/papers/${ON_PAPERS}/save`, undefined, { 'x-csrf-token': ada.csrf });
    expect(saved.res.status).toBe(200);
    expect(saved.body).toEqual({ id: ON_PAPERS, saved: true });
    expect(await savedIds(l.t.db.db, l.users.ada!.id)).toEqual(new Set([ON_PAPERS]));

    const mine = await ada.get('/papers');
    expect(mine.res.headers.get('cache-control')).toBe('private, no-cache');
    expect(mine.html).toContain(`action="/papers/${ON_PAPERS}/unsave"`);
    expect(mine.html).toMatch(new RegExp(`/papers/${ON_PAPERS}/unsave">[\\s\\S]*?aria-pressed="true"[\\s\\S]*?>Saved</button>`));
    expect((await bob.get('/papers')).html).not.toContain('/unsave"');
    const after = await l.visitor().get('/papers');
    expect(after.html).toBe(before.html);
    expect(after.res.headers.get('etag')).toBe(before.res.headers.get('etag'));
    expect(after.res.headers.get('cache-control')).toMatch(/^public/);

    // Without JavaScript: the plain form POST, back where the member was.
    const plain = await ada.post(`/papers/${FEATURED[1]!.id}/save`, { next: '/papers' });
    expect(plain.status).toBe(303);
    expect(plain.headers.get('location')).toBe('/papers');
    const lib = await ada.get('/library');
    expect(lib.html).toContain('2 saved papers, newest first');
    expect(lib.html.indexOf(`p-${FEATURED[1]!.id}`)).toBeLessThan(lib.html.indexOf(`p-${ON_PAPERS}`));
    expect((await ada.json('POST', `/papers/${FEATURED[1]!.id}/unsave`, undefined, { 'x-csrf-token': ada.csrf })).body).toEqual({
      id: FEATURED[1]!.id,
      saved: false,
    });
    expect((await ada.post('/papers/2501.99999/save')).status).toBe(404);
    // Visitors are sent to log in; a forged form is refused.
    expect((await l.visitor().post(`/papers/${ON_PAPERS}/save`)).status).not.toBe(200);
    expect((await ada.post(`/papers/${ON_PAPERS}/save`, { csrf: 'forged' })).status).toBe(403);
  });

  it('keeps a private collection a 404 to everyone else on page, API, feed and export; unlisted by its URL; public on the profile', async () => {
    const id = collectionOf(await ada.post('/library/collections', { title: 'Reading group <week 1>', description: 'Games & agents', visibility: 'private' }));
    expect((await ada.post(`/collections/${id}/papers`, { paper: FEATURED[2]!.id, next: `/collections/${id}` })).status).toBe(303);
    const own = await ada.get(`/collections/${id}`);
    expect(own.res.status).toBe(200);
    expect(own.html).toContain('Reading group &lt;week 1&gt;');
    expect(own.html).toContain(`p-${FEATURED[2]!.id}`);

    const looks = async (expected: number) => {
      for (const who of [bob, l.visitor()]) {
        expect((await who.get(`/collections/${id}`)).res.status).toBe(expected);
        expect((await who.get(`/collections/${id}/feed.atom`)).res.status).toBe(expected);
        expect((await who.get(`/collections/${id}/export/bibtex`)).res.status).toBe(expected);
      }
      expect((await bob.json('GET', `/api/collections/${id}`, undefined, { authorization: `Bearer ${l.users.bob!.read}` })).res.status).toBe(expected);
      expect((await l.visitor().json('GET', `/api/collections/${id}`)).res.status).toBe(expected);
    };
    await looks(404);
    const missing = await bob.get(`/collections/${id}`);
    expect(missing.html).not.toContain('Reading group');
    // Someone else's writes answer as if there were nothing there.
    expect((await bob.post(`/collections/${id}/edit`, { title: 'mine now', visibility: 'public' })).status).toBe(404);
    expect((await bob.post(`/collections/${id}/delete`)).status).toBe(404);
    expect((await bob.json('DELETE', `/api/collections/${id}`, undefined, { authorization: `Bearer ${l.users.bob!.write}` })).res.status).toBe(404);
    const listed = await bob.json('GET', '/api/collections?owner=ada', undefined, { authorization: `Bearer ${l.users.bob!.read}` });
    expect(listed.body).toEqual([]);
    expect((await l.visitor().get('/users/ada')).html).not.toContain(id);
    // Its owner reads it, by session and by token.
    expect((await ada.get(`/collections/${id}/feed.atom`)).res.headers.get('cache-control')).toBe('private, no-store');
    const api = await l.visitor().json('GET', `/api/collections/${id}`, undefined, { authorization: `Bearer ${l.users.ada!.read}` });
    expect(api.res.status).toBe(200);
    expect(api.body.items.map((p: { id: string }) => p.id)).toEqual([FEATURED[2]!.id]);

    expect((await ada.post(`/collections/${id}/edit`, { title: 'Reading group', description: '', visibility: 'unlisted' })).status).toBe(303);
    await looks(200);
    const feed = await l.visitor().get(`/collections/${id}/feed.atom`);
    expect(feed.res.headers.get('content-type')).toContain('application/atom+xml');
    expect(feed.html).toContain(`/papers/${FEATURED[2]!.id}`);
    expect((await l.visitor().get('/users/ada')).html).not.toContain(id);
    expect((await l.visitor().json('GET', '/api/collections?owner=ada')).body).toEqual([]);

    expect((await ada.post(`/collections/${id}/edit`, { title: 'Reading group', description: '', visibility: 'public' })).status).toBe(303);
    expect((await l.visitor().get('/users/ada')).html).toContain(`href="/collections/${id}"`);
    const pub = await l.visitor().json('GET', '/api/collections?owner=ada');
    expect(pub.body.map((x: { id: string }) => x.id)).toEqual([id]);
    expect(pub.res.headers.get('cache-control')).toMatch(/^public/);
  });

  it('orders collections and the papers inside one with up and down', async () => {
    const a = collectionOf(await ada.post('/library/collections', { title: 'Order A' }));
    const b = collectionOf(await ada.post('/library/collections', { title: 'Order B' }));
    const titles = async () => (await listCollections(l.t.db.db, l.users.ada!.id)).map((x) => x.title).filter((x) => x.startsWith('Order'));
    expect(await titles()).toEqual(['Order A', 'Order B']);
    expect((await ada.post(`/collections/${b}/move`, { dir: 'up' })).status).toBe(303);
    expect(await titles()).toEqual(['Order B', 'Order A']);
    expect((await bob.post(`/collections/${a}/move`, { dir: 'up' })).status).toBe(404);
    for (const p of [FEATURED[3]!, FEATURED[4]!, FEATURED[5]!]) await ada.post(`/collections/${a}/papers`, { paper: p.id });
    expect((await ada.post(`/collections/${a}/papers/move`, { paper: FEATURED[5]!.id, dir: 'up' })).status).toBe(303);
    const page = (await ada.get(`/collections/${a}`)).html;
    const at = (i: number) => page.indexOf(`id="p-${FEATURED[i]!.id}"`);
    expect(at(3)).toBeLessThan(at(5));
    expect(at(5)).toBeLessThan(at(4));
    // A paper in two collections; taking it out of one leaves the other.
    await ada.post(`/collections/${b}/papers`, { paper: FEATURED[3]!.id });
    expect((await ada.post(`/collections/${a}/papers/remove`, { paper: FEATURED[3]!.id })).status).toBe(303);
    expect((await ada.get(`/collections/${b}`)).html).toContain(`id="p-${FEATURED[3]!.id}"`);
    expect((await ada.get(`/collections/${a}`)).html).not.toContain(`id="p-${FEATURED[3]!.id}"`);
    const paperPage = (await ada.get(`/papers/${FEATURED[3]!.id}`)).html;
    expect(paperPage).toContain(`aria-label="Remove from Order B"`);
    expect(paperPage).toContain(`aria-label="Add to Order A"`);
  });

  it('shows a note to its author alone, renders its math, and refuses one over its bounds before storing it', async () => {
    const id = FEATURED[7]!.id;
    const res = await ada.post(`/papers/${id}/note`, { body: 'Key step: **contraction** at rate $\\varepsilon^{-2}$. Secret-word-7.' });
    expect(res.status).toBe(303);
    const mine = (await ada.get(`/papers/${id}`)).html;
    expect(mine).toContain('<strong>contraction</strong>');
    expect(mine).toContain('class="katex');
    expect(mine).toContain('Secret-word-7');
    expect((await bob.get(`/papers/${id}`)).html).not.toContain('Secret-word-7');
    expect((await l.visitor().get(`/papers/${id}`)).html).not.toContain('Secret-word-7');
    expect((await l.visitor().get(`/papers/${id}.md`)).html).not.toContain('Secret-word-7');
    const tooMuchMath = Array.from({ length: 150 }, (_, i) => `$x_${i}$`).join(' ');
    const refused = await ada.post(`/papers/${id}/note`, { body: tooMuchMath });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toMatch(/formula/i);
    expect((await ada.post(`/papers/${id}/note`, { body: 'x'.repeat(10_001) })).status).toBe(400);
    expect((await ada.get(`/papers/${id}`)).html).toContain('Secret-word-7');
    expect((await ada.post(`/papers/${id}/note`, { body: '' })).status).toBe(303);
    expect((await ada.get(`/papers/${id}`)).html).not.toContain('Secret-word-7');
  });

  it('keeps the last administrator from deleting their account', async () => {
    await createUser(l.t.db.db, {
      username: 'root',
      email: 'root@example.org',
      passwordHash: await hashPassword(PASSWORD),
      role: 'admin',
      emailConfirmed: true,
    });
    const root = await l.login('root');
    await root.get('/settings');
    const refused = await root.post('/settings/delete', { password: PASSWORD });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('only administrator');
    expect((await root.get('/settings')).res.status).toBe(200);
  });

  it('downloads everything a member made as JSON, and deletes the account with its password, keeping counts and threads', async () => {
    const carol = await l.login('bob');
    const paper = FEATURED[0]!.id;
    const before = (await getFeaturedPaper(l.t.db.db, paper))!;
    await carol.json('POST', `/papers/${paper}/upvote`, undefined, { 'x-csrf-token': carol.csrf });
    await carol.post(`/papers/${paper}/comments`, { body: 'A comment by bob, word-91.' });
    await carol.post(`/papers/${paper}/note`, { body: 'Bob’s note.' });
    await carol.post(`/papers/${paper}/save`);
    await carol.post('/library/collections', { title: 'Bob’s list', visibility: 'public' });
    const mid = (await getFeaturedPaper(l.t.db.db, paper))!;
    expect(mid.upvotes).toBe(before.upvotes + 1);
    expect(mid.commentCount).toBe(before.commentCount + 1);

    const data = await carol.request('/settings/export.json');
    expect(data.headers.get('content-disposition')).toBe('attachment; filename="dailypapers-bob.json"');
    expect(data.headers.get('cache-control')).toBe('private, no-store');
    const text = await data.text();
    expect(text).not.toMatch(/password|hash/i);
    const json = JSON.parse(text);
    expect(json.account.username).toBe('bob');
    expect(json.library.map((x: { paper_id: string }) => x.paper_id)).toContain(paper);
    expect(json.notes[0].body).toBe('Bob’s note.');
    expect(json.votes.map((x: { paper_id: string }) => x.paper_id)).toContain(paper);
    expect(json.comments[0].body).toContain('word-91');
    expect(json.collections.map((x: { title: string }) => x.title)).toContain('Bob’s list');
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['follows', 'hidden', 'subscriptions']));

    await carol.get('/settings');
    expect((await carol.post('/settings/delete', { password: 'not it' })).status).toBe(403);
    const gone = await carol.post('/settings/delete', { password: PASSWORD });
    expect(gone.status).toBe(200);
    expect((await carol.get('/settings')).res.status).not.toBe(200);
    expect((await bob.get('/settings')).res.status).not.toBe(200); // every session of the account ended
    expect((await l.visitor().json('GET', '/api/library', undefined, { authorization: `Bearer ${l.users.bob!.read}` })).res.status).toBe(401);
    const after = (await getFeaturedPaper(l.t.db.db, paper))!;
    expect(after.upvotes).toBe(before.upvotes);
    expect(after.commentCount).toBe(before.commentCount);
    const thread = (await l.visitor().get(`/papers/${paper}`)).html;
    expect(thread).not.toContain('word-91');
    expect(thread).toContain('[deleted]');
    expect((await l.visitor().get('/users/bob')).res.status).toBe(404);
    expect((await l.visitor().json('GET', '/api/collections')).body.map((x: { owner: string }) => x.owner)).not.toContain('bob');
    // The account cannot log in any more.
    const login = l.visitor();
    await login.get('/login');
    expect((await login.post('/login', { login: 'bob', password: PASSWORD })).status).not.toBe(303);
  });
});
