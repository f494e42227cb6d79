// Where the counts of rate limits live. In this process's memory for one instance (SQLite serves
// from one process), in the database every instance shares (store/ratelimits.ts, chosen for
// PostgreSQL by services.ts), or in Redis when REDIS_URL is set (redis/limit-store.ts):
// behind a balancer, a client would otherwise get one budget per instance (decisions 0046, 0052).

/** A failure record of the log-in throttle: how many, the last one, and the delay it imposes. */
export interface Failures {
  count: number;
  last: number;
  until: number;
}

/** Hits to count on a key, as `add` takes them. */
export interface AddItem {
  key: string;
  windowMs: number;
  now: number;
  n: number;
}

export interface LimitStore {
  /**
   * Counts one hit on `key` in its window (which starts at the first hit and lasts `windowMs`);
   * returns the hits so far in the window, this one included, and when the window ends. `quota`
   * is the most hits the caller admits in a window: a store that counts ahead in batches
   * (LeasedLimitStore, auth/limit-lease.ts) needs it, the others ignore it.
   */
  hit(key: string, windowMs: number, now: number, quota?: number): Promise<{ count: number; resetAt: number }>;
  /** Counts `n` hits at once, as `hit` counts one. */
  add(key: string, windowMs: number, now: number, n: number): Promise<{ count: number; resetAt: number }>;
  /** `add` for several keys (each at most once), in one round trip where the store can; answers in order. */
  addMany(items: AddItem[]): Promise<Array<{ count: number; resetAt: number }>>;
  /** The failure records of these keys (null where none, or forgotten: `forgetAfterMs` after the last). */
  failures(keys: string[], now: number, forgetAfterMs: number): Promise<Array<Failures | null>>;
  /** Adds a failure to `key`; `delay(count)` is the wait the new count imposes, in ms (0: none). */
  fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number): Promise<void>;
  forget(key: string): Promise<void>;
  /** Forgets every count (tests start each case from a clean slate). */
  reset(): Promise<void>;
  /** Lets go of a connection the store holds, if any. */
  close?(): void;
}

/** Bounded: past this many keys, windows and records that have ended are dropped. */
const SWEEP_AT = 100_000;

export class MemoryLimitStore implements LimitStore {
  private windows = new Map<string, { start: number; count: number; end: number }>();
  private records = new Map<string, Failures>();

  hit(key: string, windowMs: number, now: number) {
    return this.add(key, windowMs, now, 1);
  }

  async addMany(items: AddItem[]) {
    const out = [];
    for (const i of items) out.push(await this.add(i.key, i.windowMs, i.now, i.n));
    return out;
  }

  async add(key: string, windowMs: number, now: number, n: number) {
    let w = this.windows.get(key);
    if (!w || now >= w.end) {
      w = { start: now, count: 0, end: now + windowMs };
      this.windows.set(key, w);
      if (this.windows.size > SWEEP_AT) for (const [k, v] of this.windows) if (now >= v.end) this.windows.delete(k);
    }
    w.count += n;
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

/**
 * Counts in `shared` (Redis) and, while it does not answer, in `local` (this process's memory):
 * limits then hold per instance instead of across instances, rather than refusing everyone or
 * letting everyone through (decision 0052). `onChange` hears when that starts and ends, once each.
 */
export class FallbackLimitStore implements LimitStore {
  private degraded = false;

  constructor(
    private readonly shared: LimitStore,
    private readonly local: LimitStore,
    private readonly onChange: (degraded: boolean, error?: Error) => void,
  ) {}

  /** True while the shared store does not answer and counts stay in this process. */
  get isDegraded() {
    return this.degraded;
  }

  hit(key: string, windowMs: number, now: number) {
    return this.add(key, windowMs, now, 1);
  }
  add(key: string, windowMs: number, now: number, n: number) {
    return this.either((s) => s.add(key, windowMs, now, n));
  }
  addMany(items: AddItem[]) {
    return this.either((s) => s.addMany(items));
  }
  failures(keys: string[], now: number, forgetAfterMs: number) {
    return this.either((s) => s.failures(keys, now, forgetAfterMs));
  }
  fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number) {
    return this.either((s) => s.fail(key, now, forgetAfterMs, delay));
  }
  forget(key: string) {
    return this.either((s) => s.forget(key));
  }
  async reset() {
    await this.local.reset();
    await this.either((s) => s.reset());
  }
  close() {
    this.shared.close?.();
  }

  private async either<T>(op: (s: LimitStore) => Promise<T>): Promise<T> {
    try {
      const r = await op(this.shared);
      if (this.degraded) {
        this.degraded = false;
        this.onChange(false);
      }
      return r;
    } catch (e) {
      if (!this.degraded) {
        this.degraded = true;
        this.onChange(true, e as Error);
      }
      return op(this.local);
    }
  }
}
