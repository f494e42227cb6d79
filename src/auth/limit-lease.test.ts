import { describe, expect, it } from 'vitest';
import { LeasedLimitStore, leaseSize } from './limit-lease.js';
import { type AddItem, MemoryLimitStore } from './limit-store.js';

/** A shared store that counts its round trips. */
class Counted extends MemoryLimitStore {
  trips = 0;
  override async add(key: string, windowMs: number, now: number, n: number) {
    this.trips++;
    return super.add(key, windowMs, now, n);
  }
}

const WINDOW = 60_000;

describe('leased rate limits', () => {
  it('sizes leases at a twentieth of the quota, and counts small quotas one by one', () => {
    expect([10, 39, 40, 60, 120, 600, 5000].map(leaseSize)).toEqual([1, 1, 2, 3, 6, 30, 50]);
  });

  it('admits exactly the quota from one instance: a first lease at once, then a round trip per lease', async () => {
    const shared = new Counted();
    const store = new LeasedLimitStore(shared);
    const quota = 600;
    const counts: number[] = [];
    for (let i = 0; i < quota + 5; i++) counts.push((await store.hit('k', WINDOW, 1000, quota)).count);
    expect(counts.slice(0, quota)).toEqual(Array.from({ length: quota }, (_, i) => i + 1));
    expect(counts.slice(quota).every((c) => c > quota)).toBe(true);
    // The first lease counted in a batch, then 19 more of 30; the last reaches the quota, so the
    // refusals after it ask nothing.
    expect(shared.trips).toBe(20);
    expect((await shared.add('k', WINDOW, 1000, 0)).count).toBe(quota);
    // A new window: a first lease again, counted in the next batch.
    expect((await store.hit('k', WINDOW, 1000 + WINDOW, quota)).count).toBe(1);
    expect(shared.trips).toBe(21);
    await store.settle();
    expect(shared.trips).toBe(22);
  });

  it('admits at most one first lease per instance beyond the quota, whatever the interleaving', async () => {
    for (const quota of [41, 60, 120, 600]) {
      const shared = new MemoryLimitStore();
      const instances = [new LeasedLimitStore(shared), new LeasedLimitStore(shared), new LeasedLimitStore(shared)];
      let admitted = 0;
      // Concurrent bursts from random instances: leases are taken while others are in flight.
      for (let round = 0; round < 20; round++) {
        const answers = await Promise.all(
          Array.from({ length: quota / 4 }, () => instances[Math.floor(Math.random() * instances.length)]!.hit('client', WINDOW, 5000, quota)),
        );
        admitted += answers.filter((a) => a.count <= quota).length;
      }
      expect(admitted).toBeLessThanOrEqual(quota + instances.length * leaseSize(quota));
      // What leases hold back from the others is at most (lease - 1) per instance.
      expect(admitted).toBeGreaterThanOrEqual(quota - instances.length * (leaseSize(quota) - 1));
    }
  });

  it('refuses, after its first lease, a client that another instance let use the whole window', async () => {
    const shared = new MemoryLimitStore();
    const [a, b] = [new LeasedLimitStore(shared), new LeasedLimitStore(shared)];
    const quota = 600;
    for (let i = 0; i < quota; i++) expect((await a.hit('c', WINDOW, 1000, quota)).count).toBeLessThanOrEqual(quota);
    await a.settle();
    const fromB: number[] = [];
    for (let i = 0; i < 100; i++) fromB.push((await b.hit('c', WINDOW, 1000, quota)).count);
    // B admits its first lease before it knows (30 hits), then refuses.
    expect(fromB.filter((n) => n <= quota).length).toBeLessThanOrEqual(leaseSize(quota));
    expect(fromB.slice(leaseSize(quota)).every((n) => n > quota)).toBe(true);
  });

  it('lets the hits that arrive while a lease is taken share it', async () => {
    const shared = new Counted();
    const store = new LeasedLimitStore(shared);
    const answers = await Promise.all(Array.from({ length: 60 }, () => store.hit('k', WINDOW, 1000, 600)));
    expect(answers.map((a) => a.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    // The first lease (30, counted in a batch) and one more lease for the other 30.
    expect(shared.trips).toBe(2);
  });

  it('counts quotas under 40 in the shared store, one hit at a time', async () => {
    const shared = new Counted();
    const store = new LeasedLimitStore(shared);
    for (let i = 0; i < 12; i++) await store.hit('k', WINDOW, 1000, 10);
    expect(shared.trips).toBe(12);
    expect((await shared.hit('k', WINDOW, 1000)).count).toBe(13);
  });

  it('waits for every batch in flight, when a later one is answered first', async () => {
    // The shared store answers the first batch only once told to, and the second at once (two
    // connections of a pool, or Redis commands on a busy link, can answer out of order).
    class Gated extends MemoryLimitStore {
      calls = 0;
      open!: () => void;
      override async addMany(items: AddItem[]) {
        if (this.calls++ === 0) await new Promise<void>((resolve) => (this.open = resolve));
        return super.addMany(items);
      }
    }
    const shared = new Gated();
    const store = new LeasedLimitStore(shared);
    const batchSent = () => new Promise((resolve) => setTimeout(resolve, 20));
    await store.hit('a', WINDOW, 1000, 600); // first lease of 'a', in the first batch
    await batchSent();
    await store.hit('b', WINDOW, 1000, 600); // first lease of 'b', in the second batch
    await batchSent();
    expect(shared.calls).toBe(2);
    let settled = false;
    const settling = store.settle().then(() => (settled = true));
    await batchSent();
    expect(settled).toBe(false); // the first batch is not answered yet
    // Hits past 'a''s first lease wait for it to be counted: waiting, not spinning in microtasks
    // that would starve the answer they wait for.
    const hits = Promise.all(Array.from({ length: 30 }, () => store.hit('a', WINDOW, 1000, 600)));
    await batchSent();
    shared.open();
    await settling;
    expect((await hits).map((h) => h.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect((await shared.add('a', WINDOW, 1000, 0)).count).toBe(60);
  });
});
