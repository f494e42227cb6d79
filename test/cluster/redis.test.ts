// Several instances with REDIS_URL set count their rate limits in one Redis, whichever engine
// their database is (on SQLite the limits would otherwise stay in each process). When Redis stops
// answering, every instance goes on serving and counts in its own memory, says so once in its log,
// and counts in Redis again once it is back (decision 0052).
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeasedLimitStore } from '../../src/auth/limit-lease.js';
import type { FallbackLimitStore } from '../../src/auth/limit-store.js';
import { loadConfig } from '../../src/config.js';
import { connect, type Db } from '../../src/db/connect.js';
import { RedisClient } from '../../src/redis/client.js';
import { buildServices } from '../../src/services.js';
import { REDIS_PREFIX } from '../../src/redis/limit-store.js';
import { createApp } from '../../src/web/app.js';
import { DIALECTS, openTestDb } from '../harness/db.js';
import { redisProxy, TEST_REDIS_URL, uniqueClient } from '../harness/redis.js';

/** The instance counts in this process while Redis does not answer (under its leases, services.ts). */
const degraded = (d: { limiter: { store: unknown } }) => ((d.limiter.store as LeasedLimitStore).shared as FallbackLimitStore).isDegraded;

const QUOTA = 3;

describe.each(DIALECTS)('two instances on one %s database with REDIS_URL', (dialect) => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let other: Db;
  let proxy: Awaited<ReturnType<typeof redisProxy>>;
  const redis = new RedisClient(TEST_REDIS_URL);
  const logs: Array<{ msg: string; level: number }> = [];
  const instances: Array<ReturnType<typeof buildServices>> = [];
  const apps: Array<ReturnType<typeof createApp>> = [];

  beforeAll(async () => {
    t = await openTestDb(dialect);
    other = await connect(t.test.config);
    proxy = await redisProxy();
    const log = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
    for (const db of [t.db, other]) {
      const config = loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 's', TRUST_PROXY: '1', REDIS_URL: proxy.url() });
      const deps = buildServices({ db, config, log }, { apiLimits: { read: { name: 'read', quota: QUOTA, windowSeconds: 60 } } });
      instances.push(deps);
      apps.push(createApp(deps));
    }
  });
  afterAll(async () => {
    for (const d of instances) d.limiter.store.close?.();
    redis.close();
    await proxy.down();
    await other.close();
    await t.close();
  });

  // Every request comes through the same proxy (the socket peer); X-Forwarded-For names the client.
  const get = (i: number, client: string) =>
    apps[i % 2]!.request('/api/papers', { headers: { 'x-forwarded-for': client } }, { incoming: { socket: { remoteAddress: '10.0.0.1' } } });
  const localGauge = async (i: number) => {
    const text = await (await apps[i]!.request('/metrics', {}, { incoming: { socket: { remoteAddress: '127.0.0.1' } } })).text();
    return /^dailypapers_rate_limits_local (\d)$/m.exec(text)?.[1];
  };
  const statuses = async (client: string, order: number[]) => {
    const out = [];
    for (const i of order) out.push((await get(i, client)).status);
    return out;
  };

  it('gives a client one budget whichever instance answers, counted in Redis', async () => {
    const client = uniqueClient();
    expect(await statuses(client, [0, 1, 0, 1])).toEqual([200, 200, 200, 429]);
    // The count is in Redis, under the key the API quota uses.
    expect(await redis.command(['HGET', `${REDIS_PREFIX}api|read|${client}`, 'count'])).toBe('4');
    expect((await get(0, uniqueClient())).status).toBe(200); // another client behind the same proxy
  });

  it('keeps serving while Redis is down, each instance counting on its own, and counts in Redis again once it is back', async () => {
    const client = uniqueClient();
    expect(await statuses(client, [0, 1])).toEqual([200, 200]);
    await proxy.down();
    // No request fails; each instance now gives the client a budget of its own.
    expect(await statuses(client, [0, 1, 0, 1, 0, 1, 0, 1])).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    for (const d of instances) expect(degraded(d)).toBe(true);
    expect(await localGauge(0)).toBe('1'); // /metrics tells the operator
    const warned = logs.filter((l) => l.msg.startsWith('rate limits: Redis does not answer'));
    expect(warned).toHaveLength(2); // once per instance, not once per request
    expect(warned.every((l) => l.level === 40)).toBe(true);

    await proxy.up();
    // Back in Redis after the client's pause between attempts (about a second); bounded.
    const back = Date.now() + 10_000;
    const fresh = uniqueClient();
    let first = 0;
    while (instances.some((d) => degraded(d)) && Date.now() < back) {
      await new Promise((r) => setTimeout(r, 200));
      for (const i of [0, 1]) first = (await get(i, fresh)).status;
    }
    expect(first).toBe(200);
    expect(logs.filter((l) => l.msg === 'rate limits: counting in Redis again')).toHaveLength(2);
    expect(await localGauge(1)).toBe('0');
    // The shared budget holds again: the client counted before the outage still has its two hits.
    expect(await statuses(client, [0, 1])).toEqual([200, 429]);
  });
});
