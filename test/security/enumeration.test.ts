// Issue 24 item 5: sign-up and password reset answer alike whether an address has an account:
// the page, the status, what happens to the username afterwards (taken for 48 hours either way,
// then free), log-ins and profiles under that name, and the mail (one message to the address).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { accountWorkDone } from '../../src/members/accounts.js';
import { createUser } from '../../src/store/users.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, linkIn, member, memberApp, nextIp } from '../members/client.js';

describe.each(DIALECTS)('no answer tells whether an address is registered (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url });
    await member(t.app, smtp, 'root');
    await member(t.app, smtp, 'known');
  });
  afterAll(async () => {
    await accountWorkDone();
    await t.close();
    await smtp.close();
  });

  const client = async (page: string) => {
    const c = new Client(t.app, nextIp());
    await c.get(page);
    return c;
  };
  const mailTo = (addr: string) => smtp.received.filter((r) => r.to.includes(addr));
  /** The page without what differs by design: the address typed, and per-request form tokens. */
  const normal = (html: string, email: string) => html.replaceAll(email, 'EMAIL').replace(/value="[^"]*"/g, 'value=""');

  it('signs up a known and an unknown address alike, and holds the username alike', async () => {
    const tries = [
      { username: 'alias-known', email: 'known@example.org' },
      { username: 'alias-fresh', email: 'fresh@example.org' },
    ];
    const answers = [];
    for (const s of tries) {
      const res = await (await client('/signup')).post('/signup', { ...s, password: 'attacker chose this' });
      answers.push({ status: res.status, body: normal(await res.text(), s.email) });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.status).toBe(200);

    // Each address gets one message (what it says only its owner reads).
    await accountWorkDone();
    expect(
      mailTo('known@example.org')
        .filter((r) => r.parsed.subject !== 'Confirm your email address')
        .map((r) => r.parsed.subject),
    ).toEqual(['Sign-up attempt with your address']);
    expect(mailTo('fresh@example.org').map((r) => r.parsed.subject)).toEqual(['Confirm your email address']);

    // Afterwards: the username is taken in both cases, ...
    const later = [];
    for (const s of tries) {
      const res = await (await client('/signup')).post('/signup', { username: s.username, email: 'someone@example.org', password: 'another password' });
      later.push({ status: res.status, body: normal(await res.text(), 'someone@example.org') });
    }
    expect(later[0]).toEqual(later[1]);
    expect(later[0]!.status).toBe(400);
    expect(later[0]!.body).toContain('That username is taken');

    // ... no account answers to the name and the password the attacker chose, ...
    const logins = [];
    for (const s of tries) {
      const res = await (await client('/login')).post('/login', { login: s.username, password: 'attacker chose this' });
      logins.push({ status: res.status, body: normal(await res.text(), s.username) });
    }
    expect(logins[0]).toEqual(logins[1]);
    expect(logins[0]!.status).toBe(401);
    // ... and no profile shows it.
    const anon = new Client(t.app, nextIp());
    expect((await anon.get('/users/alias-known')).res.status).toBe(404);
    expect((await anon.get('/users/alias-fresh')).res.status).toBe(404);

    // 48 hours on, both names are free again.
    await t.db.db
      .updateTable('pending_signups')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    for (const s of tries) {
      const res = await (await client('/signup')).post('/signup', { username: s.username, email: `${s.username}@example.org`, password: 'a later password' });
      expect(res.status).toBe(200);
    }
  });

  it('frees the username of an account that never confirmed within 48 hours, as it frees a reservation', async () => {
    await createUser(t.db.db, { username: 'never-confirmed', email: 'late@example.org', passwordHash: await hashPassword('whatever it was') });
    const taken = await (await client('/signup')).post('/signup', { username: 'never-confirmed', email: 'x1@example.org', password: 'a password here' });
    expect(taken.status).toBe(400);
    await t.db.db
      .updateTable('users')
      .set({ created_at: new Date(Date.now() - 49 * 3600_000).toISOString() })
      .where('username_key', '=', 'never-confirmed')
      .execute();
    const free = await (await client('/signup')).post('/signup', { username: 'never-confirmed', email: 'x2@example.org', password: 'a password here' });
    expect(free.status).toBe(200);
  });

  it('makes the account when the confirmation link is used, and only then', async () => {
    const c = await client('/signup');
    expect((await c.post('/signup', { username: 'newcomer', email: 'newcomer@example.org', password: 'a good passphrase' })).status).toBe(200);
    await accountWorkDone();
    expect(await t.db.db.selectFrom('users').select('id').where('username_key', '=', 'newcomer').executeTakeFirst()).toBeUndefined();
    const link = linkIn(mailTo('newcomer@example.org')[0]!.parsed.text ?? '', 'confirm');
    await c.get(link);
    expect((await c.post(link)).status).toBe(200);
    expect((await c.post(link)).status).toBe(410);
    await c.get('/login');
    expect((await c.post('/login', { login: 'newcomer', password: 'a good passphrase' })).status).toBe(303);
  });

  it('answers reset requests alike and mails only the account', async () => {
    const answers = [];
    for (const email of ['known@example.org', 'unknown@example.org']) {
      const res = await (await client('/reset')).post('/reset', { email });
      answers.push({ status: res.status, body: normal(await res.text(), email) });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]!.status).toBe(200);
    await accountWorkDone();
    expect(mailTo('known@example.org').filter((r) => r.parsed.subject === 'Reset your password')).toHaveLength(1);
    expect(mailTo('unknown@example.org')).toHaveLength(0);
  });
});
