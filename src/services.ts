// The composition root's builder: every service the app and the commands share, made once from the
// configuration and the open database and handed down (web/deps.ts lists them). `serve`, the CLI,
// tests and benchmarks all build the app this way; nothing below reaches back up for a service.
import { LeasedLimitStore } from './auth/limit-lease.js';
import { FallbackLimitStore, type LimitStore, MemoryLimitStore } from './auth/limit-store.js';
import { LIMITS, LOGIN_THROTTLE, RateLimiter } from './auth/ratelimit.js';
import { type Config, redact, resolveSecret } from './config.js';
import type { Db } from './db/connect.js';
import type { Logger } from './log.js';
import { oneShotMailer } from './mail/transport.js';
import { arxivLookup } from './members/submit.js';
import { recommenderFor } from './recommend/index.js';
import { searchFor } from './search/index.js';
import { RedisClient } from './redis/client.js';
import { DbLimitStore } from './store/ratelimits.js';
import { ScopeVersions } from './store/versions.js';
import { RedisLimitStore } from './redis/limit-store.js';
import { PageCache } from './web/cache.js';
import { Metrics } from './web/metrics.js';
import type { AppDeps } from './web/deps.js';

export function buildServices(base: { db: Db; config: Config; log?: Logger | undefined }, overrides: Partial<AppDeps> = {}): AppDeps {
  const { db, config, log } = base;
  const search = overrides.search ?? searchFor({ db, config, log });
  return {
    db,
    config,
    log,
    secret: resolveSecret(config),
    mailer: oneShotMailer(config, log),
    limiter: new RateLimiter(LIMITS, Date.now, LOGIN_THROTTLE, limitStore(db, config, log)),
    search,
    recommender: recommenderFor({ db: db.db, search }),
    arxiv: arxivLookup(config),
    pageCache: overrides.pageCache ?? new PageCache(undefined, db.listen ? new ScopeVersions(db) : null),
    metrics: new Metrics(),
    ...overrides,
  };
}

/**
 * Where the rate limits count: in Redis when REDIS_URL is set (this process's memory while it does
 * not answer, decision 0052); else in the database on PostgreSQL, which may have several instances
 * (decision 0046); else in memory (one process serves a SQLite file).
 */
export function limitStore(db: Db, config: Config, log?: Logger): LimitStore {
  if (config.redisUrl) {
    const where = redact(config.redisUrl);
    return new LeasedLimitStore(
      new FallbackLimitStore(new RedisLimitStore(new RedisClient(config.redisUrl)), new MemoryLimitStore(), (degraded, error) => {
        if (degraded) log?.warn({ redis: where, err: error?.message }, 'rate limits: Redis does not answer; counting in this process until it does');
        else log?.info({ redis: where }, 'rate limits: counting in Redis again');
      }),
    );
  }
  return db.dialect === 'postgres' ? new LeasedLimitStore(new DbLimitStore(db.db)) : new MemoryLimitStore();
}
