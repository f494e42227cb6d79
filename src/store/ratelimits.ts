// The rate limits' counts in the database (migration 0019), shared by every instance on it. Each
// hit (or batch of hits) is one upsert that returns the new count: atomic on both engines (PostgreSQL takes the
// row's lock for ON CONFLICT DO UPDATE; SQLite has one writer), so two instances counting the same
// client at once never lose a hit. Rows that have run out are swept at most once a minute.
import { type Kysely, sql } from 'kysely';
import type { AddItem, Failures, LimitStore } from '../auth/limit-store.js';
import type { Database } from '../db/schema.js';

const SWEEP_EVERY_MS = 60_000;

export class DbLimitStore implements LimitStore {
  private swept = 0;
  constructor(private readonly db: Kysely<Database>) {}

  hit(key: string, windowMs: number, now: number) {
    return this.add(key, windowMs, now, 1);
  }

  async add(key: string, windowMs: number, now: number, n: number) {
    const [w] = await this.addMany([{ key, windowMs, now, n }]);
    return w!;
  }

  /**
   * One statement for every key. A window that has ended starts afresh with the new hits;
   * otherwise its count goes up by them (the row's start_ms is the hits' time, count their
   * number, expires_ms the end of a window that would start now).
   */
  async addMany(items: AddItem[]) {
    if (items.length === 0) return [];
    this.sweep(items[0]!.now);
    const rows = items.map((i) => ({ key: i.key, start_ms: i.now, count: i.n, expires_ms: i.now + i.windowMs }));
    const answered = await this.db
      .insertInto('rate_limits')
      .values(rows)
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          start_ms: sql`case when rate_limits.expires_ms <= excluded.start_ms then excluded.start_ms else rate_limits.start_ms end`,
          count: sql`case when rate_limits.expires_ms <= excluded.start_ms then excluded.count else rate_limits.count + excluded.count end`,
          expires_ms: sql`case when rate_limits.expires_ms <= excluded.start_ms then excluded.expires_ms else rate_limits.expires_ms end`,
        }),
      )
      .returning(['key', 'count', 'expires_ms'])
      .execute();
    const byKey = new Map(answered.map((r) => [r.key, { count: Number(r.count), resetAt: Number(r.expires_ms) }]));
    return items.map((i) => byKey.get(i.key)!);
  }

  async failures(keys: string[], now: number, _forgetAfterMs: number): Promise<Array<Failures | null>> {
    const rows = await this.db
      .selectFrom('rate_limits')
      .select(['key', 'start_ms', 'count', 'until_ms'])
      .where('key', 'in', keys)
      .where('expires_ms', '>', now)
      .execute();
    const byKey = new Map(rows.map((r) => [r.key, { count: Number(r.count), last: Number(r.start_ms), until: Number(r.until_ms) }]));
    return keys.map((k) => byKey.get(k) ?? null);
  }

  async fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number) {
    this.sweep(now);
    const expires = now + forgetAfterMs;
    // A record past its forgetting time counts from one again, its delay gone with it.
    const { rows } = await sql<{ count: number }>`
      insert into rate_limits (key, start_ms, count, until_ms, expires_ms) values (${key}, ${now}, 1, 0, ${expires})
      on conflict (key) do update set
        count = case when rate_limits.expires_ms <= ${now} then 1 else rate_limits.count + 1 end,
        until_ms = case when rate_limits.expires_ms <= ${now} then 0 else rate_limits.until_ms end,
        start_ms = ${now},
        expires_ms = ${expires}
      returning count`.execute(this.db);
    const d = delay(Number(rows[0]!.count));
    if (d > 0)
      await this.db
        .updateTable('rate_limits')
        .set({ until_ms: now + d })
        .where('key', '=', key)
        .execute();
  }

  async forget(key: string) {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  async reset() {
    await this.db.deleteFrom('rate_limits').execute();
  }

  private sweep(now: number) {
    if (now - this.swept < SWEEP_EVERY_MS) return;
    this.swept = now;
    void this.db
      .deleteFrom('rate_limits')
      .where('expires_ms', '<', now)
      .execute()
      .catch(() => undefined); // a sweep that fails is tried again in a minute
  }
}
