// The attacks issue 6 names, each tried against the running app on every dialect. The note in
// docs/decisions/0014-members-security.md lists them with their results.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, member, memberApp, nextIp } from '../members/client.js';

const XSS = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg onload=alert(1)>', "javascript:alert('x')"];
const SQL = ["'; DROP TABLE users; --", "' OR '1'='1", 'x" OR 1=1 --', "Robert'); DELETE FROM comments;--"];

/** No live markup from any payload: no script or event-handler tags, no javascript: URLs. */
function expectInert(html: string) {
  // Real tags only: escaped text (&lt;script&gt;) may say anything.
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    expect(tag).not.toMatch(/^<(script(?![^>]*\bsrc="\/static\/)|img|svg|iframe|object|embed)\b/i);
    expect(tag.replace(/"[^"]*"/g, '""'), tag).not.toMatch(/\son[a-z]+\s*=/i); // outside quoted values
    expect(tag).not.toMatch(/(href|src|action)="\s*(javascript|data|vbscript):/i);
  }
}

describe.each(DIALECTS)('attacks (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let admin: Client;
  let eve: Client;
  let vic: Client;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await t.load([
      hfItem(),
      hfItem({
        paper: { id: '2501.06666', title: XSS[0], authors: [{ name: XSS[1] }], ai_summary: XSS[2] },
        organization: { name: 'evil-org', fullname: XSS[1] },
      }),
    ]);
    admin = await member(t.app, smtp, 'root');
    eve = await member(t.app, smtp, 'eve');
    vic = await member(t.app, smtp, 'victim');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('renders stored XSS inert: comments, organization names, imported titles, authors and summaries', async () => {
    await eve.get('/papers/2501.06666');
    for (const p of [...XSS, `[click](${XSS[3]})`, '<a href="javascript:alert(1)">x</a>']) {
      expect((await eve.post('/papers/2501.06666/comments', { body: p })).status).toBe(303);
    }
    await eve.get('/orgs/new');
    expect((await eve.post('/orgs', { name: 'eve-org', displayName: XSS[1]! })).status).toBe(303);
    for (const path of [
      '/papers/2501.06666',
      '/papers/date/2025-01-03',
      '/orgs/eve-org',
      '/orgs/evil-org',
      '/users/eve',
      `/authors/${encodeURIComponent(XSS[1]!)}`,
      '/admin',
    ]) {
      const page = await (path === '/admin' ? admin : vic).get(path);
      expect(page.res.status, path).toBe(200);
      expectInert(page.html);
      expect(page.html).toContain('&lt;');
    }
    const api = await vic.json('GET', '/api/papers/2501.06666/comments');
    for (const c of api.body) expectInert(c.html);
  });

  it('refuses usernames that carry markup', async () => {
    const c = new Client(t.app, nextIp());
    await c.get('/signup');
    for (const name of ['<script>', 'a"b', "o'neil", 'x y', '../admin']) {
      expect((await c.post('/signup', { username: name, email: 'x@example.org', password: 'long enough pass' })).status).toBe(400);
    }
  });

  it('refuses every state-changing request without a valid CSRF token or from another origin', async () => {
    await vic.get('/papers/2501.01234');
    const comment = await vic.post('/papers/2501.01234/comments', { body: 'mine' });
    const cid = /#c(\d+)$/.exec(comment.headers.get('location')!)![1];
    const routes = [
      '/signup',
      '/login',
      '/logout',
      '/confirm/x',
      '/reset',
      '/reset/x',
      '/settings/password',
      '/settings/privacy',
      '/settings/tokens',
      '/settings/tokens/1/revoke',
      '/papers/2501.01234/upvote',
      '/papers/2501.01234/comments',
      `/comments/${cid}/edit`,
      `/comments/${cid}/delete`,
      `/comments/${cid}/hide`,
      `/comments/${cid}/unhide`,
      '/submit',
      '/orgs',
      '/orgs/eve-org/members',
      '/claims',
      '/admin/featured/remove',
      '/admin/users/2/suspend',
      '/admin/users/2/role',
      '/admin/claims/1',
      '/admin/orgs/assign',
    ];
    const before = await t.db.db.selectFrom('featured').select('upvotes').where('paper_id', '=', '2501.01234').executeTakeFirstOrThrow();
    for (const client of [vic, admin]) {
      const token = client.csrf;
      for (const route of routes) {
        client.csrf = '';
        expect((await client.post(route, { body: 'x', suspended: '1', role: 'admin' })).status, `no token: ${route}`).toBe(403);
        client.csrf = eve.csrf; // a real token, of another browser
        expect((await client.post(route, { body: 'x' })).status, `foreign token: ${route}`).toBe(403);
        client.csrf = token;
        expect((await client.post(route, { body: 'x' }, { origin: 'https://evil.example' })).status, `cross-origin: ${route}`).toBe(403);
        expect((await client.post(route, { body: 'x' }, { 'sec-fetch-site': 'cross-site' })).status, `cross-site: ${route}`).toBe(403);
      }
      // JSON writes with only the cookie.
      for (const [method, route] of [
        ['POST', '/api/papers/2501.01234/upvote'],
        ['DELETE', '/api/papers/2501.01234/upvote'],
        ['POST', '/api/papers/2501.01234/comments'],
        ['POST', '/api/papers/index'],
      ] as const) {
        expect((await client.json(method, route, { body: 'x', arxivId: '2501.01234' })).res.status, `${method} ${route}`).toBe(403);
      }
    }
    const after = await t.db.db.selectFrom('featured').select('upvotes').where('paper_id', '=', '2501.01234').executeTakeFirstOrThrow();
    expect(after.upvotes).toBe(before.upvotes);
    expect((await vic.get('/settings')).res.status).toBe(200); // still logged in: /logout was refused
  });

  it('does not promote a session id planted before log-in (session fixation)', async () => {
    const c = new Client(t.app, nextIp());
    c.cookies.set('dp_session', 'attacker-chosen-value');
    await c.get('/login');
    expect(c.cookies.has('dp_session')).toBe(false); // an unknown id is dropped at once
    c.cookies.set('dp_session', 'attacker-chosen-value');
    expect((await c.post('/login', { login: 'victim', password: 'correct horse battery' })).status).toBe(303);
    const issued = c.cookies.get('dp_session')!;
    expect(issued).not.toBe('attacker-chosen-value');
    const attacker = new Client(t.app, nextIp());
    attacker.cookies.set('dp_session', 'attacker-chosen-value');
    expect((await attacker.get('/settings')).res.status).toBe(303);
    // Logging in again replaces the session: the previous id stops working.
    const old = new Client(t.app, nextIp());
    old.cookies.set('dp_session', issued);
    await c.get('/login');
    await c.post('/login', { login: 'victim', password: 'correct horse battery' });
    expect((await old.get('/settings')).res.status).toBe(303);
  });

  it('counts one vote however many times, and however concurrently, it is sent', async () => {
    const start = (await t.db.db.selectFrom('featured').select('upvotes').where('paper_id', '=', '2501.01234').executeTakeFirstOrThrow()).upvotes;
    await eve.get('/papers');
    const h = { 'x-csrf-token': eve.csrf };
    const results = await Promise.all(Array.from({ length: 12 }, () => eve.json('POST', '/api/papers/2501.01234/upvote', undefined, h)));
    expect(results.every((r) => r.res.status === 200)).toBe(true);
    const end = (await t.db.db.selectFrom('featured').select('upvotes').where('paper_id', '=', '2501.01234').executeTakeFirstOrThrow()).upvotes;
    expect(end).toBe(start + 1);
    const rows = await t.db.db.selectFrom('votes').selectAll().where('paper_id', '=', '2501.01234').execute();
    expect(rows.filter((r) => r.paper_id === '2501.01234')).toHaveLength(1);
  });

  it("refuses to edit, delete or hide another member's comment", async () => {
    await vic.get('/papers/2501.01234');
    const cid = /#c(\d+)$/.exec((await vic.post('/papers/2501.01234/comments', { body: 'original text' })).headers.get('location')!)![1];
    await eve.get('/papers/2501.01234');
    expect((await eve.get(`/comments/${cid}/edit`)).res.status).toBe(403);
    await eve.get('/papers/2501.01234');
    expect((await eve.post(`/comments/${cid}/edit`, { body: 'defaced' })).status).toBe(403);
    expect((await eve.post(`/comments/${cid}/delete`)).status).toBe(403);
    expect((await eve.post(`/comments/${cid}/hide`)).status).toBe(403);
    const c = await t.db.db.selectFrom('comments').selectAll().where('id', '=', Number(cid)).executeTakeFirstOrThrow();
    expect(c).toMatchObject({ body: 'original text', deleted_at: null, hidden_at: null });
  });

  it('keeps members out of moderator and admin routes (privilege escalation)', async () => {
    expect((await eve.get('/admin')).res.status).toBe(403);
    await eve.get('/papers');
    const eveId = String((await t.db.db.selectFrom('users').select('id').where('username', '=', 'eve').executeTakeFirstOrThrow()).id);
    for (const [route, fields] of [
      [`/admin/users/${eveId}/role`, { role: 'admin' }],
      ['/admin/users/1/suspend', { suspended: '1' }],
      ['/admin/featured/remove', { paperId: '2501.01234' }],
      ['/admin/claims/1', { decision: 'approve' }],
      ['/admin/orgs/assign', { name: 'evil-org', username: 'eve' }],
    ] as const) {
      expect((await eve.post(route, fields)).status, route).toBe(403);
    }
    expect((await t.db.db.selectFrom('users').select('role').where('id', '=', Number(eveId)).executeTakeFirstOrThrow()).role).toBe('member');
    expect((await new Client(t.app, nextIp()).get('/admin')).res.status).toBe(303); // visitors: log in first
  });

  it('stores SQL metacharacters as text in every field', async () => {
    await eve.get('/papers/2501.01234');
    for (const s of SQL) {
      expect((await eve.post('/papers/2501.01234/comments', { body: s })).status).toBe(303);
      expect((await eve.post('/settings/tokens', { name: s, scope: 'read' })).status).toBe(200);
      expect((await eve.post('/orgs', { name: 'x', displayName: s })).status).toBe(400);
      expect((await eve.post('/claims', { paperId: s, authorName: s })).status).toBe(404);
      expect((await eve.post('/submit', { arxivId: s })).status).toBe(400);
      expect((await eve.get(`/authors/${encodeURIComponent(s)}`)).res.status).toBe(200);
      expect((await eve.get(`/users/${encodeURIComponent(s)}`)).res.status).toBe(404);
      const anon = new Client(t.app, nextIp());
      await anon.get('/login');
      expect((await anon.post('/login', { login: s, password: s })).status).toBe(401);
      await anon.get('/signup');
      expect((await anon.post('/signup', { username: 'sqlguy', email: s, password: s })).status).toBe(400);
      await anon.get('/reset');
      expect((await anon.post('/reset', { email: s })).status).toBe(200);
    }
    const bodies = (await t.db.db.selectFrom('comments').select('body').execute()).map((r) => r.body);
    for (const s of SQL) expect(bodies).toContain(s);
    expect(
      Number(
        (
          await t.db.db
            .selectFrom('users')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      ),
    ).toBeGreaterThanOrEqual(3);
  });

  it('answers oversize bodies with 413', async () => {
    await admin.get('/papers/2501.01234');
    const big = 'x'.repeat(200_000);
    expect((await admin.post('/papers/2501.01234/comments', { body: big })).status).toBe(413);
    const api = await admin.json('POST', '/api/papers/2501.01234/comments', { body: big }, { 'x-csrf-token': admin.csrf });
    expect(api.res.status).toBe(413);
    expect(api.body.error).toContain('bytes');
    // Under the byte limit but over the comment limit: a 400 that says why.
    expect((await admin.post('/papers/2501.01234/comments', { body: 'y'.repeat(20_000) })).status).toBe(400);
  });

  it('slows brute-force log-in with growing delays, answered 429 with Retry-After', async () => {
    const attacker = new Client(t.app, nextIp());
    await attacker.get('/login');
    const statuses: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await attacker.post('/login', { login: 'victim', password: `guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) retry = res.headers.get('retry-after');
    }
    expect(statuses.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(statuses.slice(4)).toEqual([429, 429]);
    expect(Number(retry)).toBeGreaterThanOrEqual(1);
    // The delay holds back the guessing client only: the owner, from another address, gets in
    // (test/security/lockout.test.ts tries fifty failures and a distributed guesser).
    const elsewhere = new Client(t.app, nextIp());
    await elsewhere.get('/login');
    expect((await elsewhere.post('/login', { login: 'victim', password: 'correct horse battery' })).status).toBe(303);
  });

  it('rate-limits comments and votes per account, answered 429 with Retry-After', async () => {
    const spam = await member(t.app, smtp, 'spammer');
    await spam.get('/papers/2501.01234');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await spam.post('/papers/2501.01234/comments', { body: `spam ${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 303)).toBe(true);
    const last = await spam.post('/papers/2501.01234/comments', { body: 'one more' }, { accept: 'application/json' });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await last.json()) as { error: string }).error).toMatch(/try again in \d+ second/);
    // The same account from another address is still limited: the limit is per account too.
    const moved = new Client(t.app, nextIp());
    moved.cookies = new Map(spam.cookies);
    moved.csrf = spam.csrf;
    expect((await moved.post('/papers/2501.01234/comments', { body: 'from elsewhere' })).status).toBe(429);
  });

  it('rate-limits sign-ups per address', async () => {
    const spammer = new Client(t.app, nextIp());
    await spammer.get('/signup');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await spammer.post('/signup', { username: `bot${i}`, email: `bot${i}@example.org`, password: 'a password here' })).status);
    expect(statuses.slice(0, 5).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});
