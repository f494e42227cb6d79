// Pages every visitor shares: no cookie or token for visitors, forgery refused by the browser's
// own signals, members' state laid over the shared page and never leaking into it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, member, memberApp, nextIp } from '../members/client.js';

describe.each(DIALECTS)('shared pages (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  let alice: Client;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await t.load([hfItem(), hfItem({ paper: { id: '2501.05555', title: 'Second paper' } })]);
    alice = await member(t.app, smtp, 'alice');
    await alice.get('/papers');
    expect((await alice.post('/papers/2501.01234/upvote', {})).status).toBe(303);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const visitor = (headers: Record<string, string> = {}) => t.app.request('/papers/date/2025-01-03', { headers });

  it("lays a member's menu, token and votes over the shared page, and keeps them out of it", async () => {
    const before = await (await visitor()).text();
    const mine = await alice.get('/papers/date/2025-01-03');
    expect(mine.res.headers.get('cache-control')).toBe('private, no-cache');
    expect(mine.html).toContain('href="/users/alice"');
    expect(mine.html).toMatch(
      /action="\/papers\/2501\.01234\/upvote"><input type="hidden" name="csrf" value="[^"]+"\/?><button type="submit" aria-pressed="true"/,
    );
    expect(mine.html).toMatch(
      /action="\/papers\/2501\.05555\/upvote"><input type="hidden" name="csrf" value="[^"]+"\/?><button type="submit" aria-pressed="false"/,
    );
    expect(mine.html).not.toContain('Log in to upvote');
    // The visitors' copy is what it was: nothing of alice's got into it.
    const after = await (await visitor()).text();
    expect(after).toBe(before);
    expect(after).not.toContain('alice');
    expect(after).toContain('name="csrf" value=""');
    // Her own reload is a 304 on her own tag, which a visitor's copy never matches.
    const tag = mine.res.headers.get('etag')!;
    expect((await alice.request('/papers/date/2025-01-03', { headers: { 'if-none-match': tag } })).status).toBe(304);
    expect((await visitor({ 'if-none-match': tag })).status).toBe(200);
    // Her vote changes her tag (and everyone's: the count changed).
    await alice.post('/papers/2501.05555/upvote', {});
    expect((await alice.request('/papers/date/2025-01-03', { headers: { 'if-none-match': tag } })).status).toBe(200);
  });

  it('refuses forged forms by Sec-Fetch-Site, then Origin, and refuses forms that carry neither', async () => {
    const form = (headers: Record<string, string>) =>
      t.app.request(
        '/subscribe',
        {
          method: 'POST',
          body: new URLSearchParams({ email: 'x@example.org', frequency: 'daily' }),
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        },
        { incoming: { socket: { remoteAddress: nextIp() } } },
      );
    expect((await form({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await form({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await form({ 'sec-fetch-site': 'cross-site', origin: 'http://localhost:3000' })).status).toBe(403); // Sec-Fetch-Site wins
    expect((await form({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await form({ origin: 'null' })).status).toBe(403);
    expect((await form({})).status).toBe(403); // a browser form sends one of them
    expect(await (await form({})).text()).toContain('neither Origin nor Sec-Fetch-Site');
    expect((await form({ 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await form({ origin: 'http://localhost:3000' })).status).toBe(200);
  });

  it("lets a visitor log in without any token, and requires a member's token", async () => {
    const c = new Client(t.app, nextIp());
    const page = await c.get('/login');
    expect(page.res.headers.getSetCookie()).toEqual([]);
    expect(page.html).toContain('name="csrf" value=""');
    const login = await c.post('/login', { login: 'alice', password: 'correct horse battery' });
    expect(login.status).toBe(303);
    // Now a member: a form without her token is refused, with it accepted.
    expect((await c.post('/papers/2501.01234/comments', { body: 'no token', csrf: '' })).status).toBe(403);
    await c.get('/papers/2501.01234');
    expect(c.csrf).not.toBe('');
    expect((await c.post('/papers/2501.01234/comments', { body: 'with token' })).status).toBe(303);
    // A token from another session of hers does not do.
    const other = alice.csrf;
    expect(other).not.toBe(c.csrf);
    expect((await c.post('/papers/2501.01234/comments', { body: 'other token', csrf: other })).status).toBe(403);
  });
});
