// GET /metrics in the Prometheus text exposition format (version 0.0.4): request counts and
// latency by route class, process memory, and the counts an operator watches (papers, featured,
// members). Counters live in this process; each instance is scraped on its own. Who may read it:
// loopback clients (a Prometheus on the same machine), or anyone sending METRICS_TOKEN as a bearer
// token (Prometheus' `authorization` scrape setting). Request counts and memory tell an outsider
// about load and users, so by default nobody else.
import type { Context, MiddlewareHandler } from 'hono';
import { isLoopback } from '../auth/proxy.js';
import { safeEqual } from '../auth/secrets.js';
import type { Config } from '../config.js';
import type { Db } from '../db/connect.js';
import { countPapers } from '../store/papers.js';
import { countUsers } from '../store/users.js';
import { clientIp, forwarded } from './middleware/client.js';
import { bearerToken } from './middleware/session.js';

// Upper bounds (seconds) of the latency histogram's buckets.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Few, fixed label values: a label per path would grow without bound. */
function routeClass(path: string): string {
  if (path.startsWith('/api/')) return 'api';
  if (path.endsWith('/feed.rss') || path.endsWith('/feed.atom')) return 'feed';
  if (path.startsWith('/static/')) return 'static';
  if (path === '/healthz' || path === '/readyz' || path === '/metrics') return 'ops';
  return 'page';
}

export class Metrics {
  private requests = new Map<string, number>();
  private histograms = new Map<string, { buckets: number[]; sum: number; count: number }>();

  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const started = performance.now();
      await next();
      this.observe(routeClass(c.req.path), c.req.method, c.res.status, (performance.now() - started) / 1000);
    };
  }

  observe(route: string, method: string, status: number, seconds: number) {
    const key = `route="${route}",method="${method}",status="${Math.floor(status / 100)}xx"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    let h = this.histograms.get(route);
    if (!h) {
      h = { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.histograms.set(route, h);
    }
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) h.buckets[i]!++;
    });
    h.sum += seconds;
    h.count++;
  }

  async render(db: Db): Promise<string> {
    const out: string[] = [];
    const metric = (name: string, type: string, help: string, lines: string[]) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...lines);
    metric(
      'dailypapers_http_requests_total',
      'counter',
      'HTTP requests answered, by route class, method and status class.',
      [...this.requests].map(([labels, n]) => `dailypapers_http_requests_total{${labels}} ${n}`),
    );
    const hist: string[] = [];
    for (const [route, h] of this.histograms) {
      BUCKETS.forEach((le, i) => {
        hist.push(`dailypapers_http_request_duration_seconds_bucket{route="${route}",le="${le}"} ${h.buckets[i]}`);
      });
      hist.push(`dailypapers_http_request_duration_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      hist.push(`dailypapers_http_request_duration_seconds_sum{route="${route}"} ${h.sum.toFixed(6)}`);
      hist.push(`dailypapers_http_request_duration_seconds_count{route="${route}"} ${h.count}`);
    }
    metric('dailypapers_http_request_duration_seconds', 'histogram', 'Time to answer a request, by route class.', hist);
    const mem = process.memoryUsage();
    metric('process_resident_memory_bytes', 'gauge', 'Resident memory of the process.', [`process_resident_memory_bytes ${mem.rss}`]);
    metric('nodejs_heap_used_bytes', 'gauge', 'V8 heap in use.', [`nodejs_heap_used_bytes ${mem.heapUsed}`]);
    metric('process_uptime_seconds', 'gauge', 'Seconds since the process started.', [`process_uptime_seconds ${process.uptime().toFixed(0)}`]);
    const [papers, users] = await Promise.all([countPapers(db.db), countUsers(db.db)]);
    metric('dailypapers_papers', 'gauge', 'Papers indexed.', [`dailypapers_papers ${papers.papers}`]);
    metric('dailypapers_featured_papers', 'gauge', 'Papers featured in the daily feed.', [`dailypapers_featured_papers ${papers.featured}`]);
    metric('dailypapers_users', 'gauge', 'Member accounts.', [`dailypapers_users ${users}`]);
    return out.join('\n') + '\n';
  }
}

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
export function metricsHandler(metrics: Metrics, db: Db) {
  return async (c: Context) => {
    return c.body(await metrics.render(db), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
  };
}
