// The client's address, resolved once per request (auth/proxy.ts explains TRUST_PROXY) and read by
// everything that tells clients apart: rate limits, the log-in throttle, error logs, /metrics.
import type { Context, MiddlewareHandler } from 'hono';
import { resolveClientAddress, type TrustProxy } from '../../auth/proxy.js';

// Keyed by the request's Context: middleware such as bodyLimit replace c.req.raw along the way.
const addresses = new WeakMap<Context, string>();

const socketAddress = (c: Context) =>
  // @hono/node-server puts Node's IncomingMessage in c.env; app.request() in tests may pass one.
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;

export function resolveClient(trust: TrustProxy): MiddlewareHandler {
  return async (c, next) => {
    addresses.set(c, resolveClientAddress(socketAddress(c), c.req.header('x-forwarded-for'), trust));
    await next();
  };
}

/** The client's address of this request ('unknown' when no socket is known). */
export function clientIp(c: Context): string {
  let ip = addresses.get(c);
  if (ip === undefined) {
    ip = resolveClientAddress(socketAddress(c), undefined, { kind: 'none' });
    addresses.set(c, ip);
  }
  return ip;
}

/** Whether a proxy forwarded this request (it says so in one of the headers proxies add). */
export const forwarded = (c: Context) =>
  c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined || c.req.header('x-real-ip') !== undefined;
