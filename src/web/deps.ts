// The services the web app is given, built once by the composition root (src/services.ts, called
// by `serve`, the CLI, tests and benchmarks) and handed down: types only, so route files depend on
// this file and never on app.ts or on how the services are made.
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mailer.js';
import type { ArxivLookup } from '../members/submit.js';
import type { Recommender } from '../recommend/index.js';
import type { SearchService } from '../search/index.js';
import type { RateLimitOptions } from './api/ratelimit.js';
import type { PageCache } from './cache.js';
import type { Metrics } from './metrics.js';

export interface AppDeps {
  db: Db;
  config: Config;
  /** SECRET, or the one generated once for this instance: signs form tokens and mail links. */
  secret: string;
  log?: Logger | undefined;
  /** Account and opt-in mail: rare, so each message gets its own connection (services.ts). */
  mailer: Mailer;
  /** Per-client and per-account limits of the forms and the members' API. */
  limiter: RateLimiter;
  search: SearchService;
  /** "For you": each member's model, shared by the page, the private feed, the digest and MCP. */
  recommender: Recommender;
  /** Papers by arXiv id, for submissions of papers not yet here. */
  arxiv: ArxivLookup;
  pageCache: PageCache;
  /** Request, cache and job counters for /metrics; serve hands the same one to the scheduler. */
  metrics?: Metrics | undefined;
  /** The API's per-client read and write quotas; by default api/ratelimit.ts's policies. */
  apiLimits?: RateLimitOptions | undefined;
  /** Submission rules; by default from SUBMIT_MAX_AGE_DAYS. */
  rules?: { maxAgeDays: number } | undefined;
}
