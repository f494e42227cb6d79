// Issue 24 item 6: no credential outlives a compromise. A reset ends every session and revokes
// every API token; a password change ends the other sessions and, unless the member unticks it,
// revokes the tokens; /settings lists the sessions and signs out everywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountWorkDone, coarseAgent } from '../../src/members/accounts.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, linkIn, member, memberApp, nextIp, waitForMail } from '../members/client.js';

const PASSWORD = 'correct horse battery';
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const SAFARI_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe.each(DIALECTS)('credentials after a compromise (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await member(t.app, smtp, 'root');
  });
  afterAll(async () => {
    await accountWorkDone();
    await t.close();
    await smtp.close();
  });

  const newToken = async (c: Client, name: string) => {
    await c.get('/settings');
    const made = await c.post('/settings/tokens', { name, scope: 'write' });
    return /<code id="new-token">(dp_[A-Za-z0-9_-]+)<\/code>/.exec(await made.text())![1]!;
  };
  const tokenWorks = async (token: string) => {
    const res = await t.app.request('/api/daily_papers', { headers: { authorization: `Bearer ${token}` } });
    return res.status;
  };
  const logIn = async (name: string, password = PASSWORD, agent?: string) => {
    const c = new Client(t.app, nextIp());
    await c.get('/login');
    const res = await c.post('/login', { login: name, password }, agent ? { 'user-agent': agent } : {});
    expect(res.status).toBe(303);
    return c;
  };

  it('a password reset ends every session and revokes every API token', async () => {
    const victim = await member(t.app, smtp, 'resetme');
    const thief = await logIn('resetme');
    const token = await newToken(thief, 'exfiltration');
    expect(await tokenWorks(token)).toBe(200);

    const anon = new Client(t.app, nextIp());
    await anon.get('/reset');
    await anon.post('/reset', { email: 'resetme@example.org' });
    const link = linkIn((await waitForMail(smtp, 'resetme@example.org', 'Reset your password')).parsed.text ?? '', 'reset');
    await anon.get(link);
    const done = await anon.post(link, { password: 'a fresh passphrase' });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('every API token is revoked');

    expect(await tokenWorks(token)).toBe(401);
    expect((await thief.get('/settings')).res.status).toBe(303);
    expect((await victim.get('/settings')).res.status).toBe(303);
  });

  it('a password change ends the other sessions and revokes the tokens when ticked (the default)', async () => {
    const me = await member(t.app, smtp, 'changer');
    const other = await logIn('changer');
    const token = await newToken(me, 'script');
    const settings = await me.get('/settings');
    expect(settings.html).toMatch(/<input type="checkbox" name="revokeTokens" value="1" checked/);

    // A browser sends the ticked box as revokeTokens=1.
    const res = await me.post('/settings/password', { current: PASSWORD, password: 'second passphrase', revokeTokens: '1' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/settings?changed=password&revoked=1');
    expect((await me.get(res.headers.get('location')!)).html).toContain('every other session has ended and 1 API token is revoked');
    expect(await tokenWorks(token)).toBe(401);
    expect((await other.get('/settings')).res.status).toBe(303);

    // Unticked, the tokens stay.
    const kept = await newToken(me, 'kept');
    await me.get('/settings');
    expect((await me.post('/settings/password', { current: 'second passphrase', password: 'third passphrase' })).status).toBe(303);
    expect(await tokenWorks(kept)).toBe(200);
    expect((await me.get('/settings')).res.status).toBe(200);
  });

  it('lists the sessions with browser, start and last use, and signs out everywhere', async () => {
    await member(t.app, smtp, 'traveller');
    const laptop = await logIn('traveller', PASSWORD, FIREFOX);
    const phone = await logIn('traveller', PASSWORD, SAFARI_IPHONE);
    const token = await newToken(laptop, 'cron');
    const page = (await laptop.get('/settings')).html;
    const table = /<table class="sessions">([\s\S]*?)<\/table>/.exec(page)![1]!;
    expect(table).toContain('Firefox on Linux<strong> (this browser)</strong>');
    expect(table).toContain('Safari on iOS');
    expect(table.match(/<tr>/g)).toHaveLength(4); // header, and the three sessions (sign-up's, laptop, phone)
    expect(table).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    const out = await laptop.post('/settings/sessions/end-all');
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login?out=everywhere');
    expect((await laptop.get('/login?out=everywhere')).html).toContain('You are signed out everywhere');
    expect((await laptop.get('/settings')).res.status).toBe(303);
    expect((await phone.get('/settings')).res.status).toBe(303);
    const left = await t.db.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select('s.id_hash')
      .where('u.username', '=', 'traveller')
      .execute();
    expect(left).toEqual([]);
    expect(await tokenWorks(token)).toBe(200); // tokens are revoked on their own, in the table above
  });

  it('names browsers coarsely', () => {
    expect(coarseAgent(FIREFOX)).toBe('Firefox on Linux');
    expect(coarseAgent(SAFARI_IPHONE)).toBe('Safari on iOS');
    expect(coarseAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0')).toBe(
      'Edge on Windows',
    );
    expect(coarseAgent('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36')).toBe(
      'Chrome on Android',
    );
    expect(coarseAgent('curl/8.5.0')).toBe('a script');
    expect(coarseAgent(undefined)).toBeNull();
  });
});
