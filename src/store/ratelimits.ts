// The rate limits' counts in the database (migration 0019), shared by every instance on it. Each
// hit (or batch of hits) is one upsert that returns the new count: atomic on both engines (PostgreSQL takes the
// row's lock for ON CONFLICT DO UPDATE; SQLite has one writer), so two instances counting the same
// client at once never lose a hit. Rows that have run out are swept at most once a minute.
import { type Kysely, sql } from 'kysely';
import type { Failures, LimitStore } from '../auth/limit-store.js';
import type { Database } from '../db/schema.js';

const SWEEP_EVERY_MS = 60_000;

export class DbLimitStore implements LimitStore {
  private swept = 0;
  constructor(private readonly db: Kysely<Database>) {}

  hit(key: string, windowMs: number, now: number) {
    return this.add(key, windowMs, now, 1);
  }

  async add(key: string, windowMs: number, now: number, n: number) {
    this.sweep(now);
    const end = now + windowMs;
    // A window that has ended starts afresh with these hits; otherwise the count goes up by n.
    const { rows } = await sql<{ count: number; expires_ms: number | string }>`
      insert into rate_limits (key, start_ms, count, expires_ms) values (${key}, ${now}, ${n}, ${end})
      on conflict (key) do update set
        start_ms = case when rate_limits.expires_ms <= ${now} then ${now} else rate_limits.start_ms end,
        count = case when rate_limits.expires_ms <= ${now} then ${n} else rate_limits.count + ${n} end,
        expires_ms = case when rate_limits.expires_ms <= ${now} then ${end} else rate_limits.expires_ms end
      returning count, expires_ms`.execute(this.db);
    const row = rows[0]!;
    return { count: Number(row.count), resetAt: Number(row.expires_ms) };
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
