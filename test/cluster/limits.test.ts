// Rate limits shared by every instance on one database (store/ratelimits.ts) or one Redis
// (redis/limit-store.ts, REDIS_URL): the log-in throttle and the API quotas count one budget
// per client across instances, and behind a proxy the client is the one X-Forwarded-For names
// under TRUST_PROXY. Each store runs on both engines here; serve uses the database's on
// PostgreSQL (on SQLite one process serves, and counts in memory) and Redis whenever REDIS_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeasedLimitStore, leaseSize } from '../../src/auth/limit-lease.js';
import type { LimitStore } from '../../src/auth/limit-store.js';
import { LIMITS, LOGIN_THROTTLE, RateLimiter } from '../../src/auth/ratelimit.js';
import { loadConfig } from '../../src/config.js';
import { connect, type Db } from '../../src/db/connect.js';
import { RedisClient } from '../../src/redis/client.js';
import { buildServices } from '../../src/services.js';
import { DbLimitStore } from '../../src/store/ratelimits.js';
import { RedisLimitStore } from '../../src/redis/limit-store.js';
import { createApp } from '../../src/web/app.js';
import { DIALECTS, openTestDb, PG_ADMIN_URL } from '../harness/db.js';
import { TEST_REDIS_URL, uniquePrefix } from '../harness/redis.js';

/** Two instances' stores over one shared place: a database of the dialect, or Redis. */
const SHARED: Array<[string, () => Promise<{ stores: [LimitStore, LimitStore]; close(): Promise<void> }>]> = [
  ...DIALECTS.map((dialect): (typeof SHARED)[number] => [
    `the ${dialect} database`,
    async () => {
      const t = await openTestDb(dialect);
      const other = await connect(t.test.config);
      return {
        stores: [new DbLimitStore(t.db.db), new DbLimitStore(other.db)],
        async close() {
          await other.close();
          await t.close();
        },
      };
    },
  ]),
  [
    'Redis',
    async () => {
      const prefix = uniquePrefix();
      const stores: [RedisLimitStore, RedisLimitStore] = [
        new RedisLimitStore(new RedisClient(TEST_REDIS_URL), prefix),
        new RedisLimitStore(new RedisClient(TEST_REDIS_URL), prefix),
      ];
      return {
        stores,
        async close() {
          await stores[0].reset();
          for (const s of stores) s.close();
        },
      };
    },
  ],
];

describe.each(SHARED)('limits counted in %s', (_name, open) => {
  let shared: Awaited<ReturnType<(typeof SHARED)[number][1]>>;
  const clock = { t: 1_000_000 };
  let a: RateLimiter;
  let b: RateLimiter;
  beforeAll(async () => {
    shared = await open();
    a = new RateLimiter(LIMITS, () => clock.t, LOGIN_THROTTLE, shared.stores[0]);
    b = new RateLimiter(LIMITS, () => clock.t, LOGIN_THROTTLE, shared.stores[1]);
  });
  afterAll(async () => {
    await shared.close();
  });

  it('counts one window across instances, and starts a new one when it ends', async () => {
    await a.reset();
    const { max, windowMs } = LIMITS.commentPerUser;
    const waits = await Promise.all(Array.from({ length: max + 2 }, (_, i) => (i % 2 ? a : b).hit('commentPerUser', '7')));
    expect(waits.filter((w) => w === null)).toHaveLength(max); // concurrent hits lose no count
    expect(waits.filter((w) => w !== null).every((w) => w === windowMs / 1000)).toBe(true);
    clock.t += windowMs;
    expect(await b.hit('commentPerUser', '7')).toBeNull();
    expect(await a.hit('commentPerUser', '8')).toBeNull(); // another key, its own window
  });

  it('leases hits of a large quota to each instance, and together they admit the quota, give or take a lease each', async () => {
    await a.reset();
    const [x, y] = shared.stores.map((s) => new LeasedLimitStore(s));
    const quota = 600;
    const answers = await Promise.all(Array.from({ length: quota + 100 }, (_, i) => (i % 3 ? x! : y!).hit('api|read|c', 60_000, clock.t, quota)));
    const admitted = answers.filter((w) => w.count <= quota).length;
    // At most a first lease per instance beyond the quota, at most a lease per instance short of it.
    expect(admitted).toBeLessThanOrEqual(quota + 2 * leaseSize(quota));
    expect(admitted).toBeGreaterThanOrEqual(quota - 2 * (leaseSize(quota) - 1));
    expect(x!.stats.shared + y!.stats.shared).toBeLessThan(40); // against 700 round trips hit by hit
    await Promise.all([x!.settle(), y!.settle()]);
    const w = await shared.stores[0].add('api|read|c', 60_000, clock.t, 0);
    expect(w.count).toBeGreaterThanOrEqual(quota); // every lease was counted in the shared store
  });

  it('throttles a guesser that spreads its guesses over instances, and forgets after an hour', async () => {
    await a.reset();
    const waits: Array<number | null> = [];
    for (let i = 0; i < 8; i++) {
      await (i % 2 ? a : b).loginFailed('user:1', 'x');
      waits.push(await (i % 2 ? b : a).loginBlocked('user:1', 'x'));
      clock.t += (waits.at(-1) ?? 0) * 1000;
    }
    expect(waits).toEqual([null, null, null, 1, 2, 4, 8, 16]);
    expect(await a.loginBlocked('user:1', 'owner')).toBeNull(); // the owner's clean browser
    await b.loginSucceeded('user:1', 'x');
    await a.loginFailed('user:1', 'x');
    expect(await b.loginBlocked('user:1', 'x')).toBeNull(); // the pair starts afresh after a success
    for (let i = 0; i <= LOGIN_THROTTLE.freePerClient; i++) await a.loginFailed(`user:${100 + i}`, 'y');
    expect(await b.loginBlocked('user:999', 'y')).toBe(1); // credential stuffing, seen by both
    clock.t += LOGIN_THROTTLE.forgetAfterMs;
    expect(await b.loginBlocked('user:999', 'y')).toBeNull();
  });
});

describe.runIf(PG_ADMIN_URL)('the API quota of two instances on one PostgreSQL database', () => {
  let t: Awaited<ReturnType<typeof openTestDb>>;
  let other: Db;
  const apps: Array<ReturnType<typeof createApp>> = [];
  beforeAll(async () => {
    t = await openTestDb('postgres');
    other = await connect(t.test.config);
    for (const db of [t.db, other]) {
      const config = loadConfig({ DATABASE_URL: t.test.url, DATA_DIR: t.test.dataDir, SECRET: 's', TRUST_PROXY: '1' });
      apps.push(createApp(buildServices({ db, config }, { apiLimits: { read: { name: 'read', quota: 3, windowSeconds: 60 } } })));
    }
  });
  afterAll(async () => {
    await other.close();
    await t.close();
  });

  // Every request comes through the same proxy (the socket peer); X-Forwarded-For names the client.
  const get = (i: number, client: string) =>
    apps[i % 2]!.request('/api/papers', { headers: { 'x-forwarded-for': client } }, { incoming: { socket: { remoteAddress: '10.0.0.1' } } });

  it('gives a client one budget whichever instance answers, and each client its own', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(i, '198.51.100.1')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await get(5, '198.51.100.1');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.headers.get('ratelimit')).toMatch(/^"read";r=0;t=\d+$/);
    expect((await get(0, '198.51.100.2')).status).toBe(200); // another client behind the same proxy
  });
});
