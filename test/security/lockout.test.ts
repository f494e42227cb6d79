// Issue 24 item 4: failed log-ins slow the guesser down but cannot lock the owner out. The app's
// limiter runs on a clock the test moves (no test here waits or measures time).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS, RateLimiter } from '../../src/auth/ratelimit.js';
import { DIALECTS } from '../harness/db.js';
import { startSmtp, type TestSmtp } from '../harness/smtp.js';
import { Client, member, memberApp, nextIp } from '../members/client.js';

const PASSWORD = 'correct horse battery';

describe.each(DIALECTS)('log-in throttling (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let smtp: TestSmtp;
  const clock = { t: Date.now() };
  const limiter = new RateLimiter(LIMITS, () => clock.t);
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await memberApp(dialect, { smtpUrl: smtp.url, limiter });
    await member(t.app, smtp, 'root');
    for (const name of ['owner', 'target', 'spread']) await member(t.app, smtp, name);
  });
  beforeEach(() => {
    limiter.reset();
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const client = async (ip = nextIp()) => {
    const c = new Client(t.app, ip);
    await c.get('/login');
    return c;
  };

  it('lets the owner in at once from another client after fifty failures from one', async () => {
    const attacker = await client();
    let failures = 0;
    let throttled = 0;
    while (failures < 50) {
      const res = await attacker.post('/login', { login: 'owner', password: `guess-${failures}` });
      if (res.status === 429) {
        throttled++;
        const wait = Number(res.headers.get('retry-after'));
        expect(wait).toBeGreaterThanOrEqual(1);
        clock.t += wait * 1000; // the attacker waits out every delay, as a patient one would
      } else {
        expect(res.status).toBe(401);
        failures++;
      }
    }
    expect(throttled).toBeGreaterThan(0);

    const owner = await client();
    const res = await owner.post('/login', { login: 'owner', password: PASSWORD });
    expect(res.status).toBe(303);
    expect(owner.cookies.has('dp_session')).toBe(true);
    expect((await owner.get('/settings')).html).toContain('owner@example.org');

    // The failing client is still held back, the right password included.
    const again = await attacker.post('/login', { login: 'owner', password: PASSWORD });
    expect(again.status).toBe(429);
    expect(Number(again.headers.get('retry-after'))).toBeGreaterThan(60);
  });

  it('answers a failing client 429 with Retry-After after three free failures', async () => {
    const guesser = await client();
    const statuses: number[] = [];
    let retry: string | null = null;
    for (let i = 0; i < 6; i++) {
      const res = await guesser.post('/login', { login: 'target', password: `guess-${i}` });
      statuses.push(res.status);
      if (res.status === 429) retry = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect(retry).toBe('1');
    // Unknown names are throttled alike (the answer does not tell which names exist).
    const other = await client();
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) unknown.push((await other.post('/login', { login: 'nobody-here', password: `guess-${i}` })).status);
    expect(unknown).toEqual([401, 401, 401, 401, 429]);
  });

  it('slows a distributed guesser: many addresses, a few guesses each', async () => {
    const outcomes: number[][] = [];
    for (let i = 0; i < 30; i++) {
      const bot = await client(`192.0.2.${i + 1}`);
      const mine: number[] = [];
      for (let j = 0; j < 3; j++) mine.push((await bot.post('/login', { login: 'spread', password: `bot-${i}-${j}` })).status);
      outcomes.push(mine);
    }
    const guesses = outcomes.flat().filter((s) => s === 401).length;
    // Without an account-wide count every one of the 90 attempts would be a guess. With it, once
    // ten have failed, each address that has already failed waits for the account's delay.
    expect(outcomes.flat().every((s) => s === 401 || s === 429)).toBe(true);
    expect(guesses).toBeLessThan(45);
    expect(outcomes.slice(5).every((o) => o[0] === 401 && o[1] === 429 && o[2] === 429)).toBe(true);
    // The owner, from a client that has not been failing, still gets in.
    const owner = await client();
    expect((await owner.post('/login', { login: 'spread', password: PASSWORD })).status).toBe(303);
  });

  it('puts /settings/password under the same throttle', async () => {
    // A stolen session guessing the current password (to change it) is slowed like a log-in.
    const thief = await member(t.app, smtp, 'stolen');
    await thief.get('/settings');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await thief.post('/settings/password', { current: `guess-${i}`, password: 'taken over now' })).status);
    expect(statuses).toEqual([403, 403, 403, 403, 429]);
    const slow = await thief.post('/settings/password', { current: PASSWORD, password: 'taken over now' });
    expect(slow.status).toBe(429);
    expect(Number(slow.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // The owner, from their own browser, logs in and changes the password.
    const owner = await client();
    expect((await owner.post('/login', { login: 'stolen', password: PASSWORD })).status).toBe(303);
    await owner.get('/settings');
    expect((await owner.post('/settings/password', { current: PASSWORD, password: 'mine again now' })).status).toBe(303);
  });
});
