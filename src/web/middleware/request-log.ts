// Every request gets an id (the balancer's X-Request-Id when it sent a sane one, else a new one),
// echoed in the answer's X-Request-Id, and one log line when answered: id, method, route (the
// pattern it matched, so lines group by route), status, milliseconds and client. The same
// measurement feeds /metrics.
import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../../log.js';
import { clientIp } from './client.js';

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface RequestObserver {
  observe(route: string, method: string, status: number, seconds: number): void;
}

/** The route pattern that answered (e.g. `/papers/:id{.+}`), or `unmatched` for a 404 nothing took. */
export function matchedRoute(c: Parameters<MiddlewareHandler>[0]): string {
  const route = routePath(c, c.req.routeIndex);
  return route === '*' || route === '/*' || route === '' ? 'unmatched' : route;
}

export function requestLog(observer: RequestObserver, log: Logger | undefined): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const id = given && SANE_ID.test(given) ? given : randomBytes(8).toString('hex');
    try {
      await next();
    } finally {
      const seconds = (performance.now() - started) / 1000;
      const route = matchedRoute(c);
      const status = c.res.status;
      c.res.headers.set('x-request-id', id);
      observer.observe(route, c.req.method, status, seconds);
      log?.info({ id, method: c.req.method, route, path: c.req.path, status, ms: Math.round(seconds * 10_000) / 10, client: clientIp(c) }, 'request');
    }
  };
}
