// The composition root's builder: every service the app and the commands share, made once from the
// configuration and the open database and handed down (web/deps.ts lists them). `serve`, the CLI,
// tests and benchmarks all build the app this way; nothing below reaches back up for a service.
import { LIMITS, LOGIN_THROTTLE, RateLimiter } from './auth/ratelimit.js';
import { type Config, resolveSecret } from './config.js';
import type { Db } from './db/connect.js';
import type { Logger } from './log.js';
import { oneShotMailer } from './mail/transport.js';
import { arxivLookup } from './members/submit.js';
import { recommenderFor } from './recommend/index.js';
import { searchFor } from './search/index.js';
import { DbLimitStore } from './store/ratelimits.js';
import { ScopeVersions } from './store/versions.js';
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
    // PostgreSQL may have several instances: their limits count in the database (decision 0046).
    limiter: new RateLimiter(LIMITS, Date.now, LOGIN_THROTTLE, db.dialect === 'postgres' ? new DbLimitStore(db.db) : undefined),
    search,
    recommender: recommenderFor({ db: db.db, search }),
    arxiv: arxivLookup(config),
    pageCache: overrides.pageCache ?? new PageCache(undefined, db.listen ? new ScopeVersions(db) : null),
    metrics: new Metrics(),
    ...overrides,
  };
}
