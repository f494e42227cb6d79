// HTTP plumbing the API routes share: JSON errors from zod issues, caching headers for GETs, and
// absolute URLs for Link headers.
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { etagOf } from '../etag.js';

/** `{"error": "limit: at most 100; sort: one of ..."}`: every issue, each naming its parameter. */
export function zodMessage(error: z.ZodError): string {
  return error.issues.map((i) => (i.message.includes(':') || i.path.length === 0 ? i.message : `${i.path.join('.')}: ${i.message}`)).join('; ');
}

/** A write's JSON body parsed by `schema`, or the 400 answer naming what is wrong. */
export async function jsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T | Response> {
  const raw = await c.req.json().catch(() => undefined);
  if (raw === undefined) return c.json({ error: 'the body must be JSON' }, 400);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return c.json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }, 400);
  return parsed.data;
}

export function badRequest(c: Context, error: z.ZodError | string) {
  return c.json({ error: typeof error === 'string' ? error : zodMessage(error) }, 400);
}

/**
 * A 200 JSON answer with its ETag computed here (node:crypto): hono/etag then only compares it
 * with If-None-Match (a 304), instead of cloning the response to re-read and hash its body with
 * WebCrypto, which cost a search answer (~60 KB) 1-2 ms. The body is encoded to UTF-8 once and
 * the bytes are both hashed and sent: a string was encoded three times (the hash, the
 * Content-Length, the socket).
 */
export function okJson(c: Context, data: unknown): Response {
  const body = Buffer.from(JSON.stringify(data));
  return c.body(body, 200, { 'content-type': 'application/json', etag: etagOf(body) });
}

/** Seconds a shared cache or client may reuse a public GET answer before revalidating. */
export const API_MAX_AGE = 60;

/**
 * Cache-Control for successful GETs, unless the route set its own: public for a minute (lists
 * change when papers are featured or upvoted, and a minute-old count is fine for a script), or
 * private and revalidated when the request carried credentials, since the answer may then depend
 * on who asked (RFC 9111 §5.2.2.7, §3.5). An ETag (hono/etag) makes revalidation a bodiless 304.
 */
export function cacheHeaders(maxAge = API_MAX_AGE): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || c.res.headers.has('cache-control')) return;
    if (c.res.status !== 200 && c.res.status !== 304) {
      c.res.headers.set('Cache-Control', 'no-store');
      return;
    }
    const personal = c.req.header('authorization') !== undefined || c.req.header('cookie') !== undefined;
    c.res.headers.set('Cache-Control', personal ? 'private, no-cache' : `public, max-age=${maxAge}`);
    c.res.headers.append('Vary', 'Authorization, Cookie');
  };
}

/** The same URL with some query parameters replaced, absolute from BASE_URL. */
export function urlWith(baseUrl: string, c: Context, changes: Record<string, string>): string {
  const u = new URL(c.req.url);
  const out = new URL(baseUrl + u.pathname.replace(/^\/+/, '/'));
  for (const [k, v] of u.searchParams) out.searchParams.append(k, v);
  for (const [k, v] of Object.entries(changes)) out.searchParams.set(k, v);
  return out.toString();
}
