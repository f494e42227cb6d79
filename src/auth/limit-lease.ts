// Rate limits counted ahead: an instance takes a lease of several hits of a window from the shared
// store (the database or Redis) in one round trip, and admits them from memory until the lease is
// used up or the window ends (decision 0051). A lease is granted only below the quota, so all
// instances together never admit more than the quota; what they lose is precision the other way:
// hits leased by one instance and not used are not available to another, so a client that spreads
// its requests over N instances may be refused up to N × (lease - 1) hits early (5% of the quota
// per instance). Small quotas (log-in, sign-up, comments: under 40 a window) are counted one hit at
// a time, exactly as before. The log-in throttle's failure records always go to the shared store.
import type { LimitStore } from './limit-store.js';

/** Hits taken at once for a quota: a twentieth of it, at most 50; one under a quota of 40. */
export function leaseSize(quota: number): number {
  return Math.max(1, Math.min(50, Math.floor(quota / 20)));
}

interface Lease {
  /** When the window ends (the shared store's clock of the first hit). */
  end: number;
  /** The window's count in the shared store before this lease. */
  base: number;
  /** Hits of this lease admitted here so far, and how many it granted. */
  used: number;
  granted: number;
  /** The window's count in the shared store after this lease: at the quota, nothing is left. */
  after: number;
}

/** Bounded: past this many keys, leases of windows that have ended are dropped. */
const SWEEP_AT = 100_000;

export class LeasedLimitStore implements LimitStore {
  private leases = new Map<string, Lease>();
  /** A lease being taken, per key: the hits that arrive meanwhile wait for it instead of taking their own. */
  private taking = new Map<string, Promise<void>>();
  /** For /metrics and the tests: hits admitted from a lease, and round trips to the shared store. */
  readonly stats = { local: 0, shared: 0 };

  constructor(readonly shared: LimitStore) {}

  async hit(key: string, windowMs: number, now: number, quota?: number): Promise<{ count: number; resetAt: number }> {
    if (quota === undefined || leaseSize(quota) === 1) {
      this.stats.shared++;
      return this.shared.add(key, windowMs, now, 1);
    }
    for (;;) {
      const l = this.leases.get(key);
      if (l && now < l.end) {
        if (l.used < l.granted) {
          l.used++;
          this.stats.local++;
          return { count: l.base + l.used, resetAt: l.end };
        }
        // Every hit of the window is taken, here or elsewhere: refused until it ends.
        if (l.after >= quota) return { count: l.after + 1, resetAt: l.end };
      }
      const pending = this.taking.get(key);
      if (pending) {
        await pending;
        continue;
      }
      const taken = this.take(key, windowMs, now, quota);
      this.taking.set(key, taken);
      try {
        await taken;
      } finally {
        this.taking.delete(key);
      }
    }
  }

  add(key: string, windowMs: number, now: number, n: number) {
    return this.shared.add(key, windowMs, now, n);
  }
  failures(keys: string[], now: number, forgetAfterMs: number) {
    return this.shared.failures(keys, now, forgetAfterMs);
  }
  fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number) {
    return this.shared.fail(key, now, forgetAfterMs, delay);
  }
  forget(key: string) {
    return this.shared.forget(key);
  }
  async reset() {
    this.leases.clear();
    await this.shared.reset();
  }
  close() {
    this.shared.close?.();
  }

  private async take(key: string, windowMs: number, now: number, quota: number): Promise<void> {
    const size = leaseSize(quota);
    this.stats.shared++;
    const w = await this.shared.add(key, windowMs, now, size);
    const base = w.count - size;
    if (this.leases.size >= SWEEP_AT) for (const [k, v] of this.leases) if (now >= v.end) this.leases.delete(k);
    // A window that ended before this lease started afresh with it: base 0.
    this.leases.set(key, { end: w.resetAt, base, used: 0, granted: Math.max(0, Math.min(size, quota - base)), after: w.count });
  }
}
