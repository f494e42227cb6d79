// Rate limits, in memory (one process serves the app; a restart forgets, which errs on the side of
// letting people back in). Fixed windows per key are enough for abuse control; failed password
// checks get growing delays instead (LoginThrottle below), kept so that an attacker can slow
// guessing down but never lock the owner out (OWASP Authentication Cheat Sheet, "Account Lockout").

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

interface Failures {
  count: number;
  last: number;
  until: number;
}

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private failures = new Map<string, Failures>();

  constructor(
    private readonly limits: Record<LimitName, Limit> = LIMITS,
    private readonly now: () => number = Date.now,
    private readonly throttle: typeof LOGIN_THROTTLE = LOGIN_THROTTLE,
  ) {}

  /** Counts one request; returns the seconds to wait if it is over the limit, else null. */
  hit(name: LimitName, key: string): number | null {
    const { max, windowMs } = this.limits[name];
    const k = `${name}|${key}`;
    const t = this.now();
    let w = this.windows.get(k);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, count: 0 };
      this.windows.set(k, w);
      if (this.windows.size > 100_000) this.sweep(t);
    }
    w.count++;
    return w.count > max ? Math.max(1, Math.ceil((w.start + windowMs - t) / 1000)) : null;
  }

  /**
   * Seconds this client must wait before its next password check on this account, or null.
   * `account` names the account as the client gave it (a user id when the name is known, the
   * lower-cased name otherwise, so unknown names are throttled alike); `client` is its address.
   */
  loginBlocked(account: string, client: string): number | null {
    const t = this.now();
    const pair = this.current(pairKey(account, client), t);
    const waits = [this.current(`c|${client}`, t)?.until ?? 0, pair?.until ?? 0];
    if (pair) waits.push(this.current(`a|${account}`, t)?.until ?? 0);
    const until = Math.max(...waits);
    return until > t ? Math.ceil((until - t) / 1000) : null;
  }

  loginFailed(account: string, client: string): void {
    const t = this.now();
    const { freePerPair, freePerClient, freePerAccount } = this.throttle;
    this.fail(pairKey(account, client), freePerPair, t);
    this.fail(`c|${client}`, freePerClient, t);
    this.fail(`a|${account}`, freePerAccount, t);
  }

  loginSucceeded(account: string, client: string): void {
    this.failures.delete(pairKey(account, client));
  }

  private current(key: string, t: number): Failures | null {
    const f = this.failures.get(key);
    if (!f) return null;
    if (t - f.last >= this.throttle.forgetAfterMs) {
      this.failures.delete(key);
      return null;
    }
    return f;
  }

  private fail(key: string, free: number, t: number) {
    const f = this.current(key, t) ?? { count: 0, last: t, until: 0 };
    f.count++;
    f.last = t;
    if (f.count > free) f.until = t + Math.min(this.throttle.maxDelayMs, 1000 * 2 ** Math.min(30, f.count - free - 1));
    this.failures.set(key, f);
    if (this.failures.size > 100_000) {
      for (const [k, v] of this.failures) if (t - v.last >= this.throttle.forgetAfterMs) this.failures.delete(k);
    }
  }

  /** Forgets every count (tests start each case from a clean slate). */
  reset(): void {
    this.windows.clear();
    this.failures.clear();
  }

  private sweep(t: number) {
    for (const [k, w] of this.windows) if (t - w.start > 60 * 60_000) this.windows.delete(k);
  }
}

const pairKey = (account: string, client: string) => `p|${account}|${client}`;
