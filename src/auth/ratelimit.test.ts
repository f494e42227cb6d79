// The log-in throttle on a clock the test moves: guessing slows down per (account, client), per
// client and per account, and a client with a clean record is never refused.
import { describe, expect, it } from 'vitest';
import { LIMITS, LOGIN_THROTTLE, RateLimiter } from './ratelimit.js';

function limiter() {
  const clock = { t: 1_000_000 };
  return { clock, l: new RateLimiter(LIMITS, () => clock.t) };
}

describe('login throttle', async () => {
  it('gives a pair three free failures, then 1 s, 2 s, 4 s ... up to 15 minutes', async () => {
    const { l, clock } = limiter();
    const waits: Array<number | null> = [];
    for (let i = 0; i < 16; i++) {
      await l.loginFailed('user:1', 'a');
      waits.push(await l.loginBlocked('user:1', 'a'));
      clock.t += (waits.at(-1) ?? 0) * 1000;
    }
    expect(waits.slice(0, 3)).toEqual([null, null, null]);
    expect(waits.slice(3, 8)).toEqual([1, 2, 4, 8, 16]);
    expect(waits.at(-1)).toBe(LOGIN_THROTTLE.maxDelayMs / 1000);
  });

  it('never refuses a client that has not failed on the account, however many others have', async () => {
    const { l } = limiter();
    for (let i = 0; i < 200; i++) await l.loginFailed('user:1', `10.0.${i >> 8}.${i & 255}`);
    expect(await l.loginBlocked('user:1', '10.0.0.1')).toBeGreaterThan(0); // a failing client: slowed by the account's count
    expect(await l.loginBlocked('user:1', '192.0.2.1')).toBeNull(); // the owner's clean browser
    expect(await l.loginBlocked('user:2', '10.0.0.1')).toBeNull(); // the failing client on another account
  });

  it('slows a client that fails across many accounts (credential stuffing)', async () => {
    const { l } = limiter();
    for (let i = 0; i < LOGIN_THROTTLE.freePerClient; i++) await l.loginFailed(`user:${i}`, 'a');
    expect(await l.loginBlocked('user:999', 'a')).toBeNull();
    await l.loginFailed('user:998', 'a');
    expect(await l.loginBlocked('user:999', 'a')).toBe(1);
  });

  it('forgets an hour after the last failure; a success clears only its own pair', async () => {
    const { l, clock } = limiter();
    for (let i = 0; i < 20; i++) await l.loginFailed('user:1', 'a');
    await l.loginFailed('user:1', 'b');
    await l.loginSucceeded('user:1', 'b');
    expect(await l.loginBlocked('user:1', 'b')).toBeNull(); // b's pair is gone, so the account count no longer applies to it
    expect(await l.loginBlocked('user:1', 'a')).toBeGreaterThan(0);
    clock.t += LOGIN_THROTTLE.forgetAfterMs;
    expect(await l.loginBlocked('user:1', 'a')).toBeNull();
  });
});
