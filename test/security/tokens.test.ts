// API tokens are for the machine surfaces (/api/, /mcp): the route table is walked so that every
// unsafe HTML route, including any added later, refuses a bearer-only request and changes nothing.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken, revokeApiToken } from '../../src/store/tokens.js';
import { getUserByName, setRole } from '../../src/store/users.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { type Client, member, memberApp } from '../members/client.js';
import { snapshot } from '../harness/snapshot.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isMachine = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/mcp' || path.startsWith('/mcp/');

/** Every unsafe route the app registered outside the machine surfaces, with sample parameters. */
function unsafeFormRoutes(app: Hono, paperId: string): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  const out: Array<{ method: string; path: string }> = [];
  for (const r of app.routes) {
    if (!UNSAFE.has(r.method) || isMachine(r.path) || r.path.includes('*')) continue;
    const path = r.path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) =>
      name === 'id' && r.path.startsWith('/papers/') ? paperId : name === 'name' ? 'someone' : name === 'token' || name === 'sig' ? 'x' : '1',
    );
    const key = `${r.method} ${path}`;
    if (!seen.has(key)) {
      out.push({ method: r.method, path });
      seen.add(key);
    }
  }
  return out;
}

describe.each(DIALECTS)('API tokens on the HTML surface (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let admin: Client;
  let writeToken: string;
  let readToken: string;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await t.load([hfItem()]);
    admin = await member(t.app, smtp, 'root');
    await member(t.app, smtp, 'eve');
    const root = (await getUserByName(t.db.db, 'root'))!;
    await setRole(t.db.db, root.id, 'admin');
    writeToken = (await createApiToken(t.db.db, root.id, 'notebook', ['read', 'write'])).token;
    readToken = (await createApiToken(t.db.db, root.id, 'notebook', ['read'])).token;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('walks the route table: every unsafe route outside /api and /mcp refuses a bearer-only request and changes nothing', async () => {
    const routes = unsafeFormRoutes(t.app, '2501.01234');
    // The table holds the account-control routes the issue names; if these move, update the list.
    for (const must of ['/settings/password', '/settings/tokens', '/logout', '/login', '/submit']) expect(routes.map((r) => r.path)).toContain(must);
    expect(routes.length).toBeGreaterThan(20);
    const before = await snapshot(t.db);
    const fields = new URLSearchParams({
      current: 'correct horse battery',
      password: 'new password 123',
      body: 'hi',
      role: 'admin',
      suspended: '1',
      name: 'x',
      scope: 'write',
      arxivId: '2501.01234',
      upvotesPublic: '1',
      email: 'x@example.org',
      username: 'mallory',
      login: 'root',
    });
    for (const token of [readToken, writeToken, 'hf_someoneElsesHubToken']) {
      for (const r of routes) {
        const res = await t.app.request(r.path, {
          method: r.method,
          body: fields,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(res.headers.getSetCookie(), `${r.method} ${r.path}`).toEqual([]);
        expect(await res.text()).toContain('/api/');
      }
    }
    expect(await snapshot(t.db)).toBe(before);
  });

  it("lets other schemes through: a reverse proxy's Basic auth in front of a signed-in member's form", async () => {
    await admin.get('/papers/2501.01234');
    const res = await admin.post('/papers/2501.01234/comments', { body: 'through a proxy with Basic auth' }, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(res.status).toBe(303);
  });

  it('reads pages as the session says, never as the token says', async () => {
    const res = await t.app.request('/settings', { headers: { authorization: `Bearer ${writeToken}` } });
    expect(res.status).toBe(303); // to /login: a token is not a session
    expect(res.headers.get('location')).toMatch(/^\/login/);
    const page = await (await t.app.request('/papers', { headers: { authorization: `Bearer ${writeToken}` } })).text();
    expect(page).not.toContain('/users/root');
    expect(page).toContain('href="/login"');
  });

  it('checks the write scope in one place: a read token cannot write through the API, a write token can', async () => {
    const post = (token: string) => t.app.request('/api/papers/2501.01234/upvote', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    const refused = await post(readToken);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect((await post(writeToken)).status).toBe(200);
    const comment = await t.app.request('/api/papers/2501.01234/comments', {
      method: 'POST',
      body: JSON.stringify({ body: 'x' }),
      headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json' },
    });
    expect(comment.status).toBe(403);
  });

  it('treats a bearer token that is not ours as anonymous on API reads (the Hugging Face client sends its Hub token)', async () => {
    const hub = { authorization: 'Bearer hf_aBcDeFgHiJkLmNoPqRsTuVwXyZ012345' };
    for (const path of ['/api/daily_papers', '/api/papers/search?q=test', '/api/papers', '/api/papers/2501.01234', '/api/papers/2501.01234/comments']) {
      expect((await t.app.request(path, { headers: hub })).status, path).toBe(200);
    }
    // ...but not on writes, and one of ours that is invalid or revoked stays a 401.
    expect((await t.app.request('/api/papers/2501.01234/upvote', { method: 'POST', headers: hub })).status).toBe(401);
    expect((await t.app.request('/api/daily_papers', { headers: { authorization: 'Bearer dp_not-a-real-token' } })).status).toBe(401);
    const root = (await getUserByName(t.db.db, 'root'))!;
    const { token, id } = await createApiToken(t.db.db, root.id, 'soon revoked', ['read']);
    expect((await t.app.request('/api/daily_papers', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await revokeApiToken(t.db.db, root.id, id);
    expect((await t.app.request('/api/daily_papers', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    // A foreign token is never stored.
    expect(await t.db.db.selectFrom('api_tokens').select('id').where('name', 'like', '%hf_%').execute()).toEqual([]);
  });
});
