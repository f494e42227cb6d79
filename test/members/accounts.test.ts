// Accounts through HTTP, on every dialect: sign-up, confirmation by mail (a local SMTP server,
// messages parsed back), log-in, log-out, password change and reset, settings and API tokens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { createUser } from '../../src/store/users.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, linkIn, member, memberApp, nextIp, waitForMail } from './client.js';

describe.each(DIALECTS)('accounts (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  const lastMailTo = (addr: string, subject?: string) => waitForMail(smtp, addr, subject);

  it('signs up, confirms by the emailed link, logs in as the first account (admin), and logs out', async () => {
    const c = new Client(t.app, nextIp());
    const page = await c.get('/signup');
    expect(page.res.status).toBe(200);
    expect(page.html).toContain('name="csrf"');
    const res = await c.post('/signup', { username: 'alice', email: 'alice@example.org', password: 'correct horse battery' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your email');

    // No account before confirmation: a log-in fails like any other (test/security/enumeration.test.ts).
    await c.get('/login');
    const early = await c.post('/login', { login: 'alice', password: 'correct horse battery' });
    expect(early.status).toBe(401);
    expect(await early.text()).toContain('Follow the link in the confirmation mail first');

    const mail = await lastMailTo('alice@example.org', 'Confirm your email address');
    const link = linkIn(mail.parsed.text ?? '', 'confirm');
    expect((await c.get(link)).res.status).toBe(200); // a GET shows a button and changes nothing
    expect((await c.get(link)).res.status).toBe(200);
    expect((await c.post(link)).status).toBe(200);
    expect((await c.post(link)).status).toBe(410); // single use

    await c.get('/login');
    const login = await c.post('/login', { login: 'ALICE@example.org', password: 'correct horse battery', next: '/settings' });
    expect(login.status).toBe(303);
    expect(login.headers.get('location')).toBe('/settings');
    const settings = await c.get('/settings');
    expect(settings.html).toContain('alice@example.org, admin');
    expect(settings.html).toContain('Log out');

    const out = await c.post('/logout');
    expect(out.status).toBe(303);
    expect((await c.get('/settings')).res.status).toBe(303);
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and pages carry the security headers', async () => {
    const c = new Client(t.app, nextIp());
    await c.get('/login');
    const res = await c.post('/login', { login: 'alice', password: 'correct horse battery' });
    const cookie = res.headers.getSetCookie().find((s) => s.startsWith('dp_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const page = await c.get('/papers');
    expect(page.res.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    expect(page.res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.res.headers.get('content-security-policy')).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(page.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(page.res.headers.get('cache-control')).toBe('private, no-cache');
  });

  it('uses Secure __Host- cookies when served over https', async () => {
    const s = await memberApp(dialect, { baseUrl: 'https://papers.example.org' });
    try {
      const c = new Client(s.app, nextIp());
      const res = await c.request('/login');
      expect(res.headers.getSetCookie()).toEqual([]); // visitors get no cookie
      expect(res.headers.get('strict-transport-security')).toContain('max-age=');
      // The prefixed cookies are read back: the form token checks out and the session works.
      await createUser(s.db.db, { username: 'sec', email: 'sec@example.org', passwordHash: await hashPassword('a long password'), emailConfirmed: true });
      await c.get('/login');
      const login = await c.post('/login', { login: 'sec', password: 'a long password' });
      expect(login.status).toBe(303);
      const session = login.headers.getSetCookie().find((x) => x.startsWith('__Host-dp_session='))!;
      expect(session).toMatch(/HttpOnly.*Secure|Secure.*HttpOnly/);
      expect(session).toMatch(/Path=\//);
      expect(session).not.toMatch(/Domain=/i);
      expect((await c.get('/settings')).html).toContain('sec@example.org');
    } finally {
      await s.close();
    }
  });

  it('changes the password (ending other sessions) and resets a forgotten one by a one-hour, one-time link', async () => {
    const bob = await member(t.app, smtp, 'bob');
    const other = new Client(t.app, nextIp());
    await other.get('/login');
    expect((await other.post('/login', { login: 'bob', password: 'correct horse battery' })).status).toBe(303);

    await bob.get('/settings');
    expect((await bob.post('/settings/password', { current: 'wrong password', password: 'a new passphrase' })).status).toBe(403);
    expect((await bob.post('/settings/password', { current: 'correct horse battery', password: 'a new passphrase' })).status).toBe(303);
    expect((await bob.get('/settings')).res.status).toBe(200); // this session goes on (with a new id)
    expect((await other.get('/settings')).res.status).toBe(303); // the other one ended

    const anon = new Client(t.app, nextIp());
    await anon.get('/reset');
    const asked = await anon.post('/reset', { email: 'bob@example.org' });
    const unknown = await anon.post('/reset', { email: 'nobody@example.org' });
    expect(await asked.text()).toBe(await unknown.text()); // no enumeration
    const link = linkIn((await lastMailTo('bob@example.org', 'Reset your password')).parsed.text ?? '', 'reset');
    await anon.get(link);
    expect((await anon.post(link, { password: 'short' })).status).toBe(400);
    expect((await anon.post(link, { password: 'reset passphrase' })).status).toBe(200);
    expect((await anon.post(link, { password: 'another passphrase' })).status).toBe(410); // reused
    expect((await bob.get('/settings')).res.status).toBe(303); // a reset ends every session
    await anon.get('/login');
    expect((await anon.post('/login', { login: 'bob', password: 'reset passphrase' })).status).toBe(303);
  });

  it('refuses an expired reset link', async () => {
    const carol = await member(t.app, smtp, 'carol');
    await carol.post('/logout');
    const anon = new Client(t.app, nextIp());
    await anon.get('/reset');
    await anon.post('/reset', { email: 'carol@example.org' });
    const link = linkIn((await lastMailTo('carol@example.org', 'Reset your password')).parsed.text ?? '', 'reset');
    await t.db.db
      .updateTable('mail_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('purpose', '=', 'reset')
      .execute();
    expect((await anon.get(link)).res.status).toBe(410);
    await anon.get('/reset');
    const res = await anon.post(link, { password: 'reset passphrase' });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('expired');
  });

  it('does not tell whether an address has an account, at sign-up or log-in', async () => {
    const c = new Client(t.app, nextIp());
    await c.get('/signup');
    const taken = await c.post('/signup', { username: 'someoneelse', email: 'alice@example.org', password: 'whatever passphrase' });
    const fresh = await c.post('/signup', { username: 'dora', email: 'dora@example.org', password: 'whatever passphrase' });
    expect(taken.status).toBe(fresh.status);
    expect((await taken.text()).replace('alice', 'dora')).toBe(await fresh.text());
    expect((await lastMailTo('alice@example.org', 'Sign-up attempt with your address')).parsed.subject).toBe('Sign-up attempt with your address');

    await c.get('/login');
    const wrongPassword = await c.post('/login', { login: 'alice', password: 'not her password' });
    const noSuchUser = await c.post('/login', { login: 'zed-unknown', password: 'not her password' });
    expect(wrongPassword.status).toBe(noSuchUser.status);
    const strip = (s: string) => s.replace(/value="[^"]*"/g, '');
    expect(strip(await wrongPassword.text())).toBe(strip(await noSuchUser.text()));
  });

  it('creates, uses and revokes scoped API tokens, shown once and stored hashed', async () => {
    const erin = await member(t.app, smtp, 'erin');
    await erin.get('/settings');
    const made = await erin.post('/settings/tokens', { name: 'script', scope: 'read' });
    const token = /<code id="new-token">(dp_[A-Za-z0-9_-]+)<\/code>/.exec(await made.text())![1]!;
    const stored = await t.db.db.selectFrom('api_tokens').selectAll().execute();
    expect(stored.some((r) => r.token_hash.includes(token) || r.token_hash === token)).toBe(false);
    expect((await erin.get('/settings')).html).not.toContain(token);

    const api = new Client(t.app, nextIp());
    const read = await api.json('POST', '/api/papers/2501.01234/upvote', undefined, { authorization: `Bearer ${token}` });
    expect(read.res.status).toBe(403);
    expect(read.body.error).toContain('read scope');
    const bad = await api.json('GET', '/api/papers/2501.01234/comments', undefined, { authorization: 'Bearer dp_nonsense' });
    expect(bad.res.status).toBe(401);

    const id = stored[0]!.id;
    await erin.get('/settings');
    expect((await erin.post(`/settings/tokens/${id}/revoke`)).status).toBe(200);
    const after = await api.json('GET', '/api/papers/2501.01234/comments', undefined, { authorization: `Bearer ${token}` });
    expect(after.res.status).toBe(401);
  });
});
