// GET /metrics in the Prometheus text exposition format (version 0.0.4): request counts and
// latency histograms by route pattern, the shared-page cache's hits, the PostgreSQL pool, job runs
// and failures, the digest queue, process memory, and the counts an operator watches (papers,
// featured, members). Counters live in this process; each instance is scraped on its own (the
// gauges read from the database are the same on every instance). Who may read it:
// loopback clients (a Prometheus on the same machine), or anyone sending METRICS_TOKEN as a bearer
// token (Prometheus' `authorization` scrape setting). Request counts and memory tell an outsider
// about load and users, so by default nobody else.
import type { Context, MiddlewareHandler } from 'hono';
import { LeasedLimitStore } from '../auth/limit-lease.js';
import { FallbackLimitStore, type LimitStore } from '../auth/limit-store.js';
import { isLoopback } from '../auth/proxy.js';
import { safeEqual } from '../auth/secrets.js';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { digestQueue } from '../store/health.js';
import { listJobs } from '../store/jobs.js';
import { countPapers } from '../store/papers.js';
import { countUsers } from '../store/users.js';
import { clientIp, forwarded } from './middleware/client.js';
import { bearerToken } from './middleware/session.js';
import type { PageCache } from './cache.js';

// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface MetricsSources {
  db: Db;
  pageCache?: PageCache | undefined;
  /** Where the rate limits count; a Redis that does not answer shows as counting locally. */
  limits?: LimitStore | undefined;
}

export class Metrics {
  private requests = new Map<string, number>();
  private histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();
  private jobRuns = new Map<string, number>();

  /**
   * Labels are route patterns (`/papers/:id{.+}`), never paths, so their number is bounded by the
   * route tables; requests no route took count under `unmatched`.
   */
  observe(route: string, method: string, status: number, seconds: number) {
    const key = `route="${labelValue(route)}",method="${method}",status="${Math.floor(status / 100)}xx"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.histograms.get(route);
    if (!h) {
      h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.histograms.set(route, h);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.buckets[i]!++;
    h.sum += seconds;
    h.count++;
  }

  /** A scheduled job's run in this instance ended (the scheduler's onFinish). */
  jobFinished = (job: string, outcome: 'ok' | 'error') => {
    const key = `job="${labelValue(job)}",outcome="${outcome}"`;
    this.jobRuns.set(key, (this.jobRuns.get(key) ?? 0) + 1);
  };

  async render({ db, pageCache, limits }: MetricsSources): Promise<string> {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    metric(
      'dailypapers_http_requests_total',
      'counter',
      'HTTP requests answered, by route pattern, method and status class.',
      [...this.requests].map(([labels, n]) => `dailypapers_http_requests_total{${labels}} ${n}`),
    );
    const hist: string[] = [];
    for (const [route, h] of this.histograms) {
      const r = labelValue(route);
      BUCKETS.forEach((le, i) => {
        hist.push(`dailypapers_http_request_duration_seconds_bucket{route="${r}",le="${le}"} ${h.buckets[i]}`);
      });
      hist.push(`dailypapers_http_request_duration_seconds_bucket{route="${r}",le="+Inf"} ${h.count}`);
      hist.push(`dailypapers_http_request_duration_seconds_sum{route="${r}"} ${h.sum.toFixed(6)}`);
      hist.push(`dailypapers_http_request_duration_seconds_count{route="${r}"} ${h.count}`);
    }
    metric('dailypapers_http_request_duration_seconds', 'histogram', 'Time to answer a request, by route pattern.', hist);
    if (pageCache) {
      const { hits, misses, notModified } = pageCache.stats;
      metric(
        'dailypapers_page_cache_requests_total',
        'counter',
        'Shared pages: answered from a kept body (hit), rendered (miss), or 304 from the data version alone.',
        [
          `dailypapers_page_cache_requests_total{result="hit"} ${hits}`,
          `dailypapers_page_cache_requests_total{result="miss"} ${misses}`,
          `dailypapers_page_cache_requests_total{result="not_modified"} ${notModified}`,
        ],
      );
      const served = hits + misses + notModified;
      metric('dailypapers_page_cache_hit_ratio', 'gauge', 'Share of shared-page requests answered without rendering, since start.', [
        `dailypapers_page_cache_hit_ratio ${served ? ((hits + notModified) / served).toFixed(4) : 0}`,
      ]);
      metric('dailypapers_page_cache_bytes', 'gauge', 'Bytes of rendered bodies kept.', [`dailypapers_page_cache_bytes ${pageCache.size.bytes}`]);
      const versions = pageCache.versions;
      if (versions) {
        metric('dailypapers_data_version_reads_total', 'counter', 'Data versions read: kept since the last NOTIFY (kept) or asked of the database.', [
          `dailypapers_data_version_reads_total{result="kept"} ${versions.stats.kept}`,
          `dailypapers_data_version_reads_total{result="asked"} ${versions.stats.asked}`,
        ]);
        metric('dailypapers_data_version_listening', 'gauge', '1 while the NOTIFY connection is up.', [
          `dailypapers_data_version_listening ${versions.heard ? 1 : 0}`,
        ]);
      }
    }
    const counted = limits instanceof LeasedLimitStore ? limits.shared : limits;
    if (counted instanceof FallbackLimitStore)
      metric('dailypapers_rate_limits_local', 'gauge', '1 while REDIS_URL does not answer and this instance counts rate limits on its own.', [
        `dailypapers_rate_limits_local ${counted.isDegraded ? 1 : 0}`,
      ]);
    if (limits instanceof LeasedLimitStore)
      metric(
        'dailypapers_rate_limit_hits_total',
        'counter',
        'Rate-limited hits: admitted from a lease this instance holds (leased), or counted in the shared store (shared).',
        [
          `dailypapers_rate_limit_hits_total{counted="leased"} ${limits.stats.local}`,
          `dailypapers_rate_limit_hits_total{counted="shared"} ${limits.stats.shared}`,
        ],
      );
    const pool = db.pool?.();
    if (pool) {
      metric('dailypapers_db_pool_connections', 'gauge', 'PostgreSQL connections of this instance, by state.', [
        `dailypapers_db_pool_connections{state="idle"} ${pool.idle}`,
        `dailypapers_db_pool_connections{state="busy"} ${pool.total - pool.idle}`,
        `dailypapers_db_pool_connections{state="max"} ${pool.max}`,
      ]);
      metric('dailypapers_db_pool_waiting', 'gauge', 'Queries waiting for a free connection.', [`dailypapers_db_pool_waiting ${pool.waiting}`]);
    }
    metric(
      'dailypapers_job_runs_total',
      'counter',
      'Scheduled job runs this instance finished, by job and outcome.',
      [...this.jobRuns].map(([labels, n]) => `dailypapers_job_runs_total{${labels}} ${n}`),
    );
    const mem = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory of the process.', [`process_resident_memory_bytes ${mem.rss}`]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [`nodejs_heap_used_bytes ${mem.heapUsed}`]);
    metric('process_uptime_seconds', 'gauge', 'Seconds since the process started.', [`process_uptime_seconds ${process.uptime().toFixed(0)}`]);
    const [papers, users, jobs, queue] = await Promise.all([countPapers(db.db), countUsers(db.db), listJobs(db.db), digestQueue(db.db)]);
    metric('dailypapers_papers', 'gauge', 'Papers indexed.', [`dailypapers_papers ${papers.papers}`]);
    metric('dailypapers_featured_papers', 'gauge', 'Papers featured in the daily feed.', [`dailypapers_featured_papers ${papers.featured}`]);
    metric('dailypapers_users', 'gauge', 'Member accounts.', [`dailypapers_users ${users}`]);
    metric('dailypapers_digest_queue', 'gauge', 'Digest messages pending in the outbox (all instances).', [`dailypapers_digest_queue ${queue.pending}`]);
    metric(
      'dailypapers_job_last_success_timestamp_seconds',
      'gauge',
      'When each scheduled job last succeeded, on any instance.',
      jobs.map(
        (j) => `dailypapers_job_last_success_timestamp_seconds{job="${labelValue(j.name)}"} ${j.last_success_at ? Date.parse(j.last_success_at) / 1000 : 0}`,
      ),
    );
    metric(
      'dailypapers_job_failing',
      'gauge',
      "1 when a job's last run failed, on any instance.",
      jobs.map((j) => `dailypapers_job_failing{job="${labelValue(j.name)}"} ${j.last_outcome === 'error' ? 1 : 0}`),
    );
    return out.join('\n') + '\n';
  }
}

/** A label value in the exposition format: backslash, quote and newline escaped. */
const labelValue = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * Whether this request may read /metrics. A loopback peer counts only when no proxy forwarded the
 * request: behind a proxy on the same machine every socket is loopback, so without TRUST_PROXY a
 * forwarded request is an outsider's (with it, clientIp is already the real client).
 */
function mayRead(c: Context, config: Config): boolean {
  const token = bearerToken(c);
  if (config.metricsToken !== undefined && token !== undefined) return safeEqual(token, config.metricsToken);
  if (!isLoopback(clientIp(c))) return false;
  return config.trustProxy.kind !== 'none' || !forwarded(c);
}

/** The guard of the 'operator' routes (web/routing.ts): /metrics. */
export function operatorOnly(config: Config): MiddlewareHandler {
  return async (c, next) => {
    if (mayRead(c, config)) return next();
    return config.metricsToken !== undefined
      ? c.text('Unauthorized: send Authorization: Bearer with the METRICS_TOKEN of this instance.\n', 401, {
          'www-authenticate': 'Bearer realm="metrics"',
          'cache-control': 'no-store',
        })
      : c.text('Forbidden: /metrics answers loopback clients only; set METRICS_TOKEN to let a remote scraper read it.\n', 403, { 'cache-control': 'no-store' });
  };
}

/** GET /metrics, behind operatorOnly. */
export function metricsHandler(metrics: Metrics, sources: MetricsSources) {
  return async (c: Context) => {
    return c.body(await metrics.render(sources), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
  };
}
