// Votes, comments, submissions, organizations and author claims through HTTP, on every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfItem } from '../fixtures/records.js';
import { startArxivServer, type ArxivServer } from '../harness/arxiv-server.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, member, memberApp, nextIp } from './client.js';

const recent = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

describe.each(DIALECTS)('community (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let arxiv: ArxivServer;
  let admin: Client;
  let ann: Client;
  let ben: Client;
  beforeAll(async () => {
    smtp = await startSmtp();
    arxiv = await startArxivServer({
      apiPapers: [
        { id: '2611.00001', title: 'A Fresh Result on $\\ell_1$ Recovery', authors: ['Ann Author', 'Zoe Coauthor'], published: recent(2), updated: recent(2) },
        { id: '2601.00002', title: 'An Old Result', authors: ['Old Timer'], published: recent(60), updated: recent(60) },
      ],
    });
    t = await memberApp(dialect, { smtpUrl: smtp.url, env: { ARXIV_API_URL: arxiv.apiUrl } });
    await t.load([hfItem()]);
    admin = await member(t.app, smtp, 'root');
    ann = await member(t.app, smtp, 'ann');
    ben = await member(t.app, smtp, 'ben');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
    await arxiv.close();
  });

  it('toggles an upvote by form and by JSON (as app.js sends it), adding to imported counts', async () => {
    const page = await ann.get('/papers/2501.01234');
    expect(page.html).toContain('action="/papers/2501.01234/upvote"');
    expect(page.html).toContain('aria-pressed="false"');
    const on = await ann.post('/papers/2501.01234/upvote', {}, { accept: 'application/json' });
    expect(await on.json()).toEqual({ upvoted: true, upvotes: 43, featured: false });
    expect((await ann.get('/papers/2501.01234')).html).toContain('aria-pressed="true"');
    const off = await ann.post('/papers/2501.01234/upvote');
    expect(off.status).toBe(303);
    const feed = await ann.get('/papers/date/2025-01-03');
    expect(feed.html).toContain('42 upvotes');
  });

  it('asks visitors to log in when they vote', async () => {
    const visitor = new Client(t.app, nextIp());
    await visitor.get('/papers/2501.01234');
    const json = await visitor.post('/papers/2501.01234/upvote', {}, { accept: 'application/json' });
    expect(json.status).toBe(401);
    const form = await visitor.post('/papers/2501.01234/upvote', {}, { referer: 'http://localhost/papers/2501.01234' });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toBe('/login?next=%2Fpapers%2F2501.01234');
  });

  it('votes through the API with a write token, POST and DELETE idempotent', async () => {
    await ben.get('/settings');
    const made = await ben.post('/settings/tokens', { name: 'bot', scope: 'write' });
    const token = /<code id="new-token">([^<]+)<\/code>/.exec(await made.text())![1]!;
    const api = new Client(t.app, nextIp());
    const auth = { authorization: `Bearer ${token}` };
    expect((await api.json('POST', '/api/papers/2501.01234/upvote', undefined, auth)).body).toEqual({ upvoted: true, upvotes: 43, featured: false });
    expect((await api.json('POST', '/api/papers/2501.01234/upvote', undefined, auth)).body).toEqual({ upvoted: true, upvotes: 43, featured: false });
    expect((await api.json('DELETE', '/api/papers/2501.01234/upvote', undefined, auth)).body).toEqual({ upvoted: false, upvotes: 42, featured: false });
    expect((await api.json('POST', '/api/papers/2502.99999/upvote', undefined, auth)).res.status).toBe(404);
    // A session needs the page's token in X-CSRF-Token for JSON writes.
    expect((await ben.json('POST', '/api/papers/2501.01234/upvote')).res.status).toBe(403);
    await ben.get('/papers');
    expect((await ben.json('POST', '/api/papers/2501.01234/upvote', undefined, { 'x-csrf-token': ben.csrf })).body).toEqual({
      upvoted: true,
      upvotes: 43,
      featured: false,
    });
  });

  it('threads comments one level deep, renders Markdown with math, counts them on cards, and lets authors edit and delete', async () => {
    await ann.get('/papers/2501.01234');
    const res = await ann.post('/papers/2501.01234/comments', { body: 'Nice bound: $O(\\varepsilon^{-2})$, see **Lemma 2**.' });
    expect(res.status).toBe(303);
    const cid = Number(/#c(\d+)$/.exec(res.headers.get('location')!)![1]);
    await ben.get('/papers/2501.01234');
    expect((await ben.post('/papers/2501.01234/comments', { body: 'Agreed.', parentId: String(cid) })).status).toBe(303);
    const page = await ben.get('/papers/2501.01234');
    expect(page.html).toContain('<strong>Lemma 2</strong>');
    expect(page.html).toContain('class="katex"');
    expect(page.html).toContain('class="comment reply"');
    expect((await ben.get('/papers/date/2025-01-03')).html).toContain('5 comments'); // 3 imported + 2
    const api = await new Client(t.app, nextIp()).json('GET', '/api/papers/2501.01234/comments');
    expect(api.body).toHaveLength(2);
    expect(api.body[1]).toMatchObject({ parentId: cid, author: { user: 'ben' }, status: 'visible', body: 'Agreed.' });

    await ann.get(`/comments/${cid}/edit`);
    expect((await ann.post(`/comments/${cid}/edit`, { body: 'Edited: $x^2$' })).status).toBe(303);
    expect((await ann.get('/papers/2501.01234')).html).toContain('Edited:');
    expect((await ann.post(`/comments/${cid}/delete`)).status).toBe(303);
    const after = await ann.get('/papers/2501.01234');
    expect(after.html).toContain('[deleted]');
    expect(after.html).toContain('Agreed.');
    expect((await ann.get('/papers/date/2025-01-03')).html).toContain('4 comments');
  });

  it('posts comments through the API with zod-checked bodies', async () => {
    await ann.get('/papers');
    const h = { 'x-csrf-token': ann.csrf };
    const ok = await ann.json('POST', '/api/papers/2501.01234/comments', { body: 'Via the API' }, h);
    expect(ok.res.status).toBe(201);
    expect(ok.body).toMatchObject({ author: { user: 'ann' }, body: 'Via the API', html: '<p>Via the API</p>\n' });
    expect((await ann.json('POST', '/api/papers/2501.01234/comments', { body: '' }, h)).res.status).toBe(400);
    expect((await ann.json('POST', '/api/papers/2501.01234/comments', { body: 'x', parentId: 'one' }, h)).res.status).toBe(400);
    expect((await ann.json('POST', '/api/papers/2509.99999/comments', { body: 'x' }, h)).res.status).toBe(404);
  });

  it('features a submitted recent paper today, refuses old and unknown ones, and links to already featured ones', async () => {
    await ann.get('/submit');
    const ok = await ann.post('/submit', { arxivId: 'https://arxiv.org/abs/2611.00001v1' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/papers/2611.00001');
    const page = await ann.get('/papers/2611.00001');
    expect(page.html).toContain('submitted by ann');
    const again = await ben.post('/submit', { arxivId: '2611.00001' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('href="/papers/2611.00001"');
    const old = await ann.post('/submit', { arxivId: '2601.00002' });
    expect(old.status).toBe(400);
    expect(await old.text()).toContain('last 14 days');
    expect((await ann.post('/submit', { arxivId: '2612.00404' })).status).toBe(404);
    expect((await ann.post('/submit', { arxivId: 'not an id' })).status).toBe(400);
    const profile = await ben.get('/users/ann');
    expect(profile.html).toContain('/papers/2611.00001');
  });

  it('takes the age rule from SUBMIT_MAX_AGE_DAYS', async () => {
    const wide = await memberApp(dialect, { smtpUrl: smtp.url, env: { ARXIV_API_URL: arxiv.apiUrl, SUBMIT_MAX_AGE_DAYS: '90' } });
    try {
      const zoe = await member(wide.app, smtp, 'zoe');
      await zoe.get('/submit');
      expect((await zoe.get('/submit')).html).toContain('in the last 90 days');
      expect((await zoe.post('/submit', { arxivId: '2601.00002' })).status).toBe(303);
    } finally {
      await wide.close();
    }
  });

  it('indexes a paper through POST /api/papers/index with a token', async () => {
    await ben.get('/settings');
    const token = /<code id="new-token">([^<]+)<\/code>/.exec(await (await ben.post('/settings/tokens', { name: 'indexer', scope: 'write' })).text())![1]!;
    const api = new Client(t.app, nextIp());
    const dup = await api.json('POST', '/api/papers/index', { arxivId: '2611.00001' }, { authorization: `Bearer ${token}` });
    expect(dup.res.status).toBe(409);
    expect(dup.body.url).toMatch(/\/papers\/2611\.00001$/);
    expect((await api.json('POST', '/api/papers/index', { arxivId: '2611.00001' })).res.status).toBe(401);
    expect((await api.json('POST', '/api/papers/index', { nope: 1 }, { authorization: `Bearer ${token}` })).res.status).toBe(400);
  });

  it('creates organizations, adds members, attaches submissions, and lets an admin assign imported ones', async () => {
    await ann.get('/orgs/new');
    expect((await ann.post('/orgs', { name: 'ann-lab', displayName: 'Ann’s Lab' })).status).toBe(303);
    await ann.get('/orgs/ann-lab');
    expect((await ann.post('/orgs/ann-lab/members', { username: 'ben', role: 'member' })).status).toBe(303);
    const org = await ben.get('/orgs/ann-lab');
    expect(org.html).toContain('href="/users/ben"');
    expect((await ben.post('/orgs/ann-lab/members', { username: 'root' })).status).toBe(403); // ben is no org admin
    const imported = await ben.get('/orgs/example-lab');
    expect(imported.html).toContain('Unclaimed');
    expect(imported.html).toContain('Example Lab');
    expect((await ben.post('/orgs', { name: 'example-lab', displayName: 'Mine now' })).status).toBe(409);
    await admin.get('/admin');
    expect((await admin.post('/admin/orgs/assign', { name: 'example-lab', username: 'ben' })).status).toBe(303);
    expect((await ben.get('/orgs/example-lab')).html).not.toContain('Unclaimed');
    // A submission on behalf of an organization the member belongs to.
    arxiv.apiPapers.set('2611.00003', { id: '2611.00003', title: 'Org Paper', authors: ['Ben B'], published: recent(1), updated: recent(1) });
    await ben.get('/submit');
    expect((await ben.post('/submit', { arxivId: '2611.00003', org: 'somebody-else' })).status).toBe(403);
    expect((await ben.post('/submit', { arxivId: '2611.00003', org: 'ann-lab' })).status).toBe(303);
    expect((await ben.get('/orgs/ann-lab')).html).toContain('/papers/2611.00003');
  });

  it('lists papers by author name, takes claims, and shows approved ones as verified', async () => {
    const page = await ann.get('/authors/Ann%20Author');
    expect(page.html).toContain('/papers/2611.00001');
    expect((await ann.post('/claims', { paperId: '2611.00001', authorName: 'Ann Author' })).status).toBe(200);
    expect((await ann.post('/claims', { paperId: '2611.00001', authorName: 'Ann Author' })).status).toBe(403);
    expect((await ben.post('/claims', { paperId: '2611.00001', authorName: 'Not An Author' })).status).toBe(403);
    const queue = await admin.get('/admin');
    const id = /action="\/admin\/claims\/(\d+)"/.exec(queue.html)![1]!;
    expect((await admin.post(`/admin/claims/${id}`, { decision: 'approve' })).status).toBe(303);
    const after = await ben.get('/authors/Ann%20Author');
    expect(after.html).toContain('class="verified" href="/users/ann"');
    expect((await ben.get('/users/ann')).html).toContain('Verified author of');
  });

  it('lets moderators hide comments and remove featured papers, and admins suspend accounts', async () => {
    const users = await admin.get('/admin');
    const benId = /action="\/admin\/users\/(\d+)\/role"[\s\S]*?/.exec(users.html.slice(users.html.indexOf('/users/ben"')))![1]!;
    expect((await admin.post(`/admin/users/${benId}/role`, { role: 'moderator' })).status).toBe(303);
    await ann.get('/papers/2501.01234');
    const loc = (await ann.post('/papers/2501.01234/comments', { body: 'spam spam' })).headers.get('location')!;
    const cid = /#c(\d+)$/.exec(loc)![1];
    await ben.get('/papers/2501.01234');
    expect((await ben.post(`/comments/${cid}/hide`)).status).toBe(303);
    expect((await ben.get('/papers/2501.01234')).html).toContain('[hidden by a moderator]');
    expect((await ben.post('/admin/featured/remove', { paperId: '2611.00003' })).status).toBe(303);
    expect((await ben.get('/papers/2611.00003')).html).toContain('not featured');
    // Moderators cannot suspend; admins can, and the session ends at once.
    const annId = /action="\/admin\/users\/(\d+)\/suspend"/.exec(
      (await admin.get('/admin')).html.slice((await admin.get('/admin')).html.indexOf('/users/ann"')),
    )![1]!;
    expect((await ben.post(`/admin/users/${annId}/suspend`, { suspended: '1' })).status).toBe(403);
    await admin.get('/admin');
    expect((await admin.post(`/admin/users/${annId}/suspend`, { suspended: '1' })).status).toBe(303);
    expect((await ann.get('/settings')).res.status).toBe(303);
    expect((await ben.get('/users/ann')).res.status).toBe(404);

    // Each action that took effect is in the moderation log (the refused suspension is not): the
    // public page without the moderators' names, the admin dashboard with them.
    const log = await (await t.app.request('/moderation')).text();
    for (const action of ['changed role', 'hid comment', 'removed featured paper']) expect(log).toContain(`<td>${action}</td>`);
    expect(log.match(/<td>suspended account<\/td>/g)).toHaveLength(1);
    expect(log).toContain(`href="/papers/2501.01234#c${cid}"`);
    expect(log).toContain('account ben to moderator');
    expect(log).not.toMatch(/<td>(root|ben)<\/td>/);
    const audit = (await admin.get('/admin')).html;
    expect(audit).toMatch(/<td>ben<\/td><td>hid comment<\/td>/);
    expect(audit).toMatch(/<td>root<\/td><td>suspended account<\/td>/);
  });
});
