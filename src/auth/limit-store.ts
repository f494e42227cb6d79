// Where the counts of rate limits live. In this process's memory for one instance (SQLite serves
// from one process), or in the database every instance shares (store/ratelimits.ts, chosen for
// PostgreSQL by services.ts): behind a balancer, a client would otherwise get one budget per
// instance (decision 0046).

/** A failure record of the log-in throttle: how many, the last one, and the delay it imposes. */
export interface Failures {
  count: number;
  last: number;
  until: number;
}

export interface LimitStore {
  /**
   * Counts one hit on `key` in its window (which starts at the first hit and lasts `windowMs`);
   * returns the hits so far in the window, this one included, and when the window ends.
   */
  hit(key: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }>;
  /** The failure records of these keys (null where none, or forgotten: `forgetAfterMs` after the last). */
  failures(keys: string[], now: number, forgetAfterMs: number): Promise<Array<Failures | null>>;
  /** Adds a failure to `key`; `delay(count)` is the wait the new count imposes, in ms (0: none). */
  fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number): Promise<void>;
  forget(key: string): Promise<void>;
  /** Forgets every count (tests start each case from a clean slate). */
  reset(): Promise<void>;
}

/** Bounded: past this many keys, windows and records that have ended are dropped. */
const SWEEP_AT = 100_000;

export class MemoryLimitStore implements LimitStore {
  private windows = new Map<string, { start: number; count: number; end: number }>();
  private records = new Map<string, Failures>();

  async hit(key: string, windowMs: number, now: number) {
    let w = this.windows.get(key);
    if (!w || now >= w.end) {
      w = { start: now, count: 0, end: now + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > SWEEP_AT) for (const [k, v] of this.windows) if (now >= v.end) this.windows.delete(k);
    }
    w.count++;
    return { count: w.count, resetAt: w.end };
  }

  async failures(keys: string[], now: number, forgetAfterMs: number) {
    return keys.map((k) => {
      const f = this.records.get(k);
      if (!f) return null;
      if (now - f.last >= forgetAfterMs) {
        this.records.delete(k);
        return null;
      }
      return f;
    });
  }

  async fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number) {
    const [old] = await this.failures([key], now, forgetAfterMs);
    const f = old ?? { count: 0, last: now, until: 0 };
    f.count++;
    f.last = now;
    const d = delay(f.count);
    if (d > 0) f.until = now + d;
    this.records.set(key, f);
    if (this.records.size > SWEEP_AT) for (const [k, v] of this.records) if (now - v.last >= forgetAfterMs) this.records.delete(k);
  }

  async forget(key: string) {
    this.records.delete(key);
  }

  async reset() {
    this.windows.clear();
    this.records.clear();
  }
}
