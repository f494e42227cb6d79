// Rate limits, in memory (one process serves the app; a restart forgets, which errs on the side of
// letting people back in). Fixed windows per key are enough for abuse control; log-in failures
// get their own growing lock-out so that guessing slows down exponentially per account and IP.

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

/** Failed log-ins allowed before delays start; then 1 s, 2 s, 4 s ... up to the cap. */
const FREE_FAILURES = 3;
const MAX_DELAY_MS = 15 * 60_000;

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();
  private failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly limits: Record<LimitName, Limit> = LIMITS,
    private readonly now: () => number = Date.now,
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

  /** Seconds until a log-in for this key (account or IP) may be tried again, or null. */
  loginBlocked(key: string): number | null {
    const f = this.failures.get(key);
    const t = this.now();
    return f && f.until > t ? Math.ceil((f.until - t) / 1000) : null;
  }

  loginFailed(key: string): void {
    const f = this.failures.get(key) ?? { count: 0, until: 0 };
    f.count++;
    if (f.count > FREE_FAILURES) f.until = this.now() + Math.min(MAX_DELAY_MS, 1000 * 2 ** (f.count - FREE_FAILURES - 1));
    this.failures.set(key, f);
  }

  loginSucceeded(key: string): void {
    this.failures.delete(key);
  }

  private sweep(t: number) {
    for (const [k, w] of this.windows) if (t - w.start > 60 * 60_000) this.windows.delete(k);
  }
}
