// Rate limits. Fixed windows per key are enough for abuse control; the counts live in a LimitStore
// (auth/limit-store.ts: this process's memory, or the database every instance shares); failed password
// checks get growing delays instead (LoginThrottle below), kept so that an attacker can slow
// guessing down but never lock the owner out (OWASP Authentication Cheat Sheet, "Account Lockout").

import { type LimitStore, MemoryLimitStore } from './limit-store.js';

export interface Limit {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/** Defaults per action, per account and per IP (docs/decisions/0014). */
export const LIMITS = {
  signupPerIp: { max: 5, windowMs: 60 * 60_000 },
  loginPerIp: { max: 30, windowMs: 15 * 60_000 },
  votePerUser: { max: 120, windowMs: 60_000 },
  votePerIp: { max: 300, windowMs: 60_000 },
  commentPerUser: { max: 10, windowMs: 60_000 },
  commentPerIp: { max: 30, windowMs: 60_000 },
  submitPerUser: { max: 10, windowMs: 60 * 60_000 },
  submitPerIp: { max: 30, windowMs: 60 * 60_000 },
  mailPerIp: { max: 10, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

export type LimitName = keyof typeof LIMITS;

/**
 * Failed password checks (log-in, and the current password on /settings/password) are counted
 * three ways, each with some free failures and then a delay that doubles from 1 s up to 15 min:
 *
 * - per account and client: this client guessing this account (3 free);
 * - per client: this client guessing across accounts, credential stuffing (10 free);
 * - per account: everyone guessing this account, a distributed guesser (10 free). This one holds
 *   back only clients that have themselves failed on the account within the last hour, so a
 *   client with a clean record always gets its answer: the owner logging in from their own
 *   browser is never refused because someone else is guessing.
 *
 * A counter is forgotten an hour after its last failure; a success forgets only the (account,
 * client) pair, so that an attacker who owns an account cannot wipe their per-client record by
 * logging into it, and the owner's log-in does not reset a guesser's account-wide delay.
 */
export const LOGIN_THROTTLE = {
  freePerPair: 3,
  freePerClient: 10,
  freePerAccount: 10,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

export class RateLimiter {
  constructor(
    private readonly limits: Record<LimitName, Limit> = LIMITS,
    private readonly now: () => number = Date.now,
    private readonly throttle: typeof LOGIN_THROTTLE = LOGIN_THROTTLE,
    /** Where the counts live: this process, or the database every instance shares. */
    readonly store: LimitStore = new MemoryLimitStore(),
  ) {}

  /** Counts one request; returns the seconds to wait if it is over the limit, else null. */
  async hit(name: LimitName, key: string): Promise<number | null> {
    const { max, windowMs } = this.limits[name];
    const t = this.now();
    const w = await this.store.hit(`${name}|${key}`, windowMs, t, max);
    return w.count > max ? Math.max(1, Math.ceil((w.resetAt - t) / 1000)) : null;
  }

  /**
   * Seconds this client must wait before its next password check on this account, or null.
   * `account` names the account as the client gave it (a user id when the name is known, the
   * lower-cased name otherwise, so unknown names are throttled alike); `client` is its address.
   */
  async loginBlocked(account: string, client: string): Promise<number | null> {
    const t = this.now();
    const [byClient, pair, byAccount] = await this.store.failures([`c|${client}`, pairKey(account, client), `a|${account}`], t, this.throttle.forgetAfterMs);
    const waits = [byClient?.until ?? 0, pair?.until ?? 0];
    if (pair) waits.push(byAccount?.until ?? 0);
    const until = Math.max(...waits);
    return until > t ? Math.ceil((until - t) / 1000) : null;
  }

  async loginFailed(account: string, client: string): Promise<void> {
    const t = this.now();
    const { freePerPair, freePerClient, freePerAccount, forgetAfterMs } = this.throttle;
    await Promise.all([
      this.store.fail(pairKey(account, client), t, forgetAfterMs, this.delay(freePerPair)),
      this.store.fail(`c|${client}`, t, forgetAfterMs, this.delay(freePerClient)),
      this.store.fail(`a|${account}`, t, forgetAfterMs, this.delay(freePerAccount)),
    ]);
  }

  async loginSucceeded(account: string, client: string): Promise<void> {
    await this.store.forget(pairKey(account, client));
  }

  /** Forgets every count (tests start each case from a clean slate). */
  reset(): Promise<void> {
    return this.store.reset();
  }

  /** After `free` failures, a delay doubling from 1 s up to the throttle's maximum. */
  private delay(free: number) {
    return (count: number) => (count > free ? Math.min(this.throttle.maxDelayMs, 1000 * 2 ** Math.min(30, count - free - 1)) : 0);
  }
}

const pairKey = (account: string, client: string) => `p|${account}|${client}`;
