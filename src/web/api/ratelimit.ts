// Rate limits with the IETF's RateLimit and RateLimit-Policy headers (draft-ietf-httpapi-
// ratelimit-headers-09 §§3-4, the structured-field form Hugging Face's API sends): a fixed window
// of `w` seconds with a quota of `q` requests per client, and on every answer the remaining `r`
// and the seconds `t` until the window resets. Over the quota: 429 with Retry-After (RFC 6585 §4).
// Counters live in the app's LimitStore (auth/limit-store.ts): this process's memory on SQLite,
// the database on PostgreSQL, so instances behind a balancer share one budget per client
// (decisions 0011, 0046). Requests refused still count, which only keeps a hammering client
// refused a little longer. Clients are told apart by their address
// (middleware/client.ts: the socket's, or X-Forwarded-For's under TRUST_PROXY).
import type { Context, MiddlewareHandler } from 'hono';
import { type LimitStore, MemoryLimitStore } from '../../auth/limit-store.js';
import { clientIp } from '../middleware/client.js';

export interface Policy {
  /** The policy's name in the headers, e.g. "read". */
  name: string;
  /** Requests allowed per window. */
  quota: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

/** Reads: about ten a second sustained, ample for a script paging through the archive. */
export const READ_POLICY: Policy = { name: 'read', quota: 600, windowSeconds: 60 };
/** Writes (submit, upvote, comment): one a second on average; people do not click faster. */
export const WRITE_POLICY: Policy = { name: 'write', quota: 60, windowSeconds: 60 };

export interface RateLimitOptions {
  read?: Policy;
  write?: Policy;
  /** Milliseconds since the epoch; tests pass a fake clock. */
  now?: () => number;
  /** Who is asking; the client's address by default. */
  key?: (c: Context) => string;
  /** Where the counts live; a store of its own in this process's memory by default. */
  store?: LimitStore;
}

export function rateLimit(opts: RateLimitOptions = {}): MiddlewareHandler {
  const read = opts.read ?? READ_POLICY;
  const write = opts.write ?? WRITE_POLICY;
  const now = opts.now ?? Date.now;
  const key = opts.key ?? clientIp;
  const store = opts.store ?? new MemoryLimitStore();

  return async (c, next) => {
    // Preflights are the browser's, not the client's, requests.
    if (c.req.method === 'OPTIONS') return next();
    const policy = c.req.method === 'GET' || c.req.method === 'HEAD' ? read : write;
    const t = now();
    const w = await store.hit(`api|${policy.name}|${key(c)}`, policy.windowSeconds * 1000, t, policy.quota);
    const reset = Math.max(1, Math.ceil((w.resetAt - t) / 1000));
    const policyHeader = `"${policy.name}";q=${policy.quota};w=${policy.windowSeconds}`;
    if (w.count > policy.quota) {
      const res = c.json({ error: `rate limit exceeded: ${policy.quota} ${policy.name} requests per ${policy.windowSeconds} s; retry in ${reset} s` }, 429);
      res.headers.set('RateLimit-Policy', policyHeader);
      res.headers.set('RateLimit', `"${policy.name}";r=0;t=${reset}`);
      res.headers.set('Retry-After', String(reset));
      return res;
    }
    await next();
    c.res.headers.set('RateLimit-Policy', policyHeader);
    c.res.headers.set('RateLimit', `"${policy.name}";r=${policy.quota - w.count};t=${reset}`);
  };
}
