// Rate limits counted ahead: an instance takes a lease of several hits of a window from the shared
// store (the database or Redis) and admits them from memory until the lease is used up or the
// window ends (decision 0051). A key's first lease of a window is granted at once and counted in
// the shared store in the next batch (one statement for every key that started a window in the
// last few milliseconds), so that a client's first request costs no round trip of its own; each
// later lease is taken from the shared store before it is used, and only below the quota.
//
// What this costs in precision, both ways:
// - A client may get up to one lease per instance and window more than the quota (the first
//   leases, granted before the shared count is known): 5% of the quota per instance.
// - Hits leased by one instance and not used are not available to another, so a client that
//   spreads its requests over N instances may be refused up to N × (lease - 1) hits early.
// Small quotas (log-in, sign-up, comments: under 40 a window) are counted one hit at a time in the
// shared store, exactly. The log-in throttle's failure records always go to the shared store.
import type { AddItem, LimitStore } from './limit-store.js';

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
  /** Granted before the shared store counted it (a first lease, in the next batch). */
  provisional: boolean;
}

/** How long a first lease waits for others to be counted with it. */
const BATCH_MS = 5;

/** Bounded: past this many keys, leases of windows that have ended are dropped. */
const SWEEP_AT = 100_000;

export class LeasedLimitStore implements LimitStore {
  private leases = new Map<string, Lease>();
  /** First leases granted and not yet counted in the shared store. */
  private batch = new Map<string, { item: AddItem; lease: Lease; quota: number }>();
  private timer: NodeJS.Timeout | null = null;
  /** Batches sent to the shared store and not answered yet: a later one may be answered first. */
  private flushing = new Set<Promise<void>>();
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
      if (!l || now >= l.end) {
        // A first lease of a window here: admitted now, counted in the next batch.
        const size = leaseSize(quota);
        const lease: Lease = { end: now + windowMs, base: 0, used: 1, granted: size, after: size, provisional: true };
        this.sweep(now);
        this.leases.set(key, lease);
        this.batch.set(key, { item: { key, windowMs, now, n: size }, lease, quota });
        if (!this.timer) {
          this.timer = setTimeout(() => void this.flush(), BATCH_MS);
          this.timer.unref();
        }
        this.stats.local++;
        return { count: 1, resetAt: lease.end };
      }
      if (l.used < l.granted) {
        l.used++;
        this.stats.local++;
        return { count: l.base + l.used, resetAt: l.end };
      }
      // A first lease used up before it was counted: counted first, so that the next lease's
      // count includes it.
      if (l.provisional) {
        await this.settle();
        // settle() returns once every batch is answered, which ends every provisional lease; were
        // one left, looping on it would spin in microtasks and starve the answer it waits for.
        l.provisional = false;
        continue;
      }
      // Every hit of the window is taken, here or elsewhere: refused until it ends.
      if (l.after >= quota) return { count: l.after + 1, resetAt: l.end };
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
  addMany(items: AddItem[]) {
    return this.shared.addMany(items);
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
    await this.settle();
    this.leases.clear();
    await this.shared.reset();
  }
  close() {
    this.shared.close?.();
  }

  /** Resolves once every first lease granted so far is counted in the shared store (tests, shutdown). */
  async settle(): Promise<void> {
    while (this.timer || this.flushing.size) {
      if (this.timer) {
        clearTimeout(this.timer);
        await this.flush();
      } else await Promise.all(this.flushing);
    }
  }

  private async take(key: string, windowMs: number, now: number, quota: number): Promise<void> {
    const size = leaseSize(quota);
    this.stats.shared++;
    const w = await this.shared.add(key, windowMs, now, size);
    const base = w.count - size;
    this.sweep(now);
    // A window that ended before this lease started afresh with it: base 0.
    this.leases.set(key, { end: w.resetAt, base, used: 0, granted: Math.max(0, Math.min(size, quota - base)), after: w.count, provisional: false });
  }

  /** Counts the first leases of the batch in one round trip, and learns from it what each window holds. */
  private async flush(): Promise<void> {
    this.timer = null;
    const batch = [...this.batch.values()];
    this.batch.clear();
    if (batch.length === 0) return;
    this.stats.shared++;
    const done = this.shared.addMany(batch.map((b) => b.item)).then(
      (answers) => {
        batch.forEach(({ item, lease, quota }, i) => {
          const w = answers[i];
          lease.provisional = false;
          if (!w) return; // not answered for: this instance's own, as below
          // What the window held before this lease; hits admitted beyond its share were over.
          lease.base = w.count - item.n;
          lease.granted = Math.max(0, Math.min(item.n, quota - lease.base));
          lease.after = w.count;
          lease.end = w.resetAt;
        });
      },
      // Not counted (the store does not answer): these leases stay this instance's own, and the
      // next lease of each key asks the store again.
      () => {
        for (const b of batch) b.lease.provisional = false;
      },
    );
    this.flushing.add(done);
    await done;
    this.flushing.delete(done);
  }

  private sweep(now: number) {
    if (this.leases.size >= SWEEP_AT) for (const [k, v] of this.leases) if (now >= v.end && !v.provisional) this.leases.delete(k);
  }
}
