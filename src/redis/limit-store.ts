// The rate limits' counts in Redis (REDIS_URL, decision 0052), shared by every instance that uses
// the same Redis. Each window and each failure record is one hash that a Lua script reads and
// updates in one step: Redis runs a script alone, so two instances counting the same client at
// once never lose a hit. Windows are fixed and judged by the caller's clock, as in the database
// store; the key's expiry only lets Redis forget what has run out.
import type { AddItem, Failures, LimitStore } from '../auth/limit-store.js';
import type { RedisClient, Reply } from './client.js';

/** Every key starts with this, so that one Redis can hold other things (and tests their own prefix). */
export const REDIS_PREFIX = 'dailypapers:limit:';

// KEYS[1] the window; ARGV now, window length, hits. A window that has ended starts afresh with
// these hits.
const HIT = `
local now, len, n = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local v = redis.call('HMGET', KEYS[1], 'count', 'end')
local count, e = tonumber(v[1]) or 0, tonumber(v[2])
if not e or e <= now then count = 0; e = now + len end
count = count + n
redis.call('HSET', KEYS[1], 'count', count, 'end', e)
redis.call('PEXPIRE', KEYS[1], math.max(1, e - now))
return {count, e}`;

// KEYS[1] the record; ARGV now, forget-after. A record past its forgetting time counts from one
// again, its delay gone with it. Returns the new count.
const FAIL = `
local now, forget = tonumber(ARGV[1]), tonumber(ARGV[2])
local v = redis.call('HMGET', KEYS[1], 'count', 'last', 'until')
local count, last, u = tonumber(v[1]) or 0, tonumber(v[2]), v[3] or '0'
if not last or now - last >= forget then count = 0; u = '0' end
count = count + 1
redis.call('HSET', KEYS[1], 'count', count, 'last', ARGV[1], 'until', u)
redis.call('PEXPIRE', KEYS[1], forget)
return count`;

// KEYS[1] the record; ARGV until. Only on a record that is still there (it may have expired since).
const DELAY = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'until', ARGV[1]) end
return 0`;

export class RedisLimitStore implements LimitStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix = REDIS_PREFIX,
  ) {}

  hit(key: string, windowMs: number, now: number) {
    return this.add(key, windowMs, now, 1);
  }

  addMany(items: AddItem[]) {
    // Pipelined: all sent at once, answered in order.
    return Promise.all(items.map((i) => this.add(i.key, i.windowMs, i.now, i.n)));
  }

  async add(key: string, windowMs: number, now: number, n: number) {
    const r = (await this.redis.command(['EVAL', HIT, 1, this.prefix + key, now, windowMs, n])) as Reply[];
    return { count: Number(r[0]), resetAt: Number(r[1]) };
  }

  async failures(keys: string[], now: number, forgetAfterMs: number): Promise<Array<Failures | null>> {
    // Pipelined: all sent at once, answered in order.
    const rows = (await Promise.all(keys.map((k) => this.redis.command(['HMGET', this.prefix + k, 'count', 'last', 'until'])))) as Reply[][];
    return rows.map(([count, last, until]) => {
      if (count == null || last == null || now - Number(last) >= forgetAfterMs) return null;
      return { count: Number(count), last: Number(last), until: Number(until ?? 0) };
    });
  }

  async fail(key: string, now: number, forgetAfterMs: number, delay: (count: number) => number) {
    const count = Number(await this.redis.command(['EVAL', FAIL, 1, this.prefix + key, now, forgetAfterMs]));
    const d = delay(count);
    if (d > 0) await this.redis.command(['EVAL', DELAY, 1, this.prefix + key, now + d]);
  }

  async forget(key: string) {
    await this.redis.command(['UNLINK', this.prefix + key]);
  }

  async reset() {
    let cursor = '0';
    do {
      const [next, keys] = (await this.redis.command(['SCAN', cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000])) as [string, string[]];
      if (keys.length) await this.redis.command(['UNLINK', ...keys]);
      cursor = next;
    } while (cursor !== '0');
  }

  close() {
    this.redis.close();
  }
}
