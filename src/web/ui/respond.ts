// Sending a rendered page with a strong ETag (RFC 9110 §8.8.3) computed from the HTML we just
// rendered, and `Cache-Control: no-cache` (RFC 9111 §5.2.2.4: a browser may keep the page but must
// revalidate), so a reload is answered 304 with no body. Hashing the string here with node:crypto
// costs ~0.05 ms a page; hono/etag re-reads the body stream and hashes with WebCrypto (~1 ms).
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const etagOf = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** Whether an If-None-Match header names this tag (a list, or `*`; weak tags compare weakly). */
export function matches(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}

export async function sendPage(c: Context, page: { toString(): string | Promise<string> }, status: ContentfulStatusCode = 200): Promise<Response> {
  const body = await page.toString();
  const tag = etagOf(body);
  const headers = { etag: tag, 'cache-control': 'no-cache' };
  if (status === 200 && matches(c.req.header('if-none-match'), tag)) return new Response(null, { status: 304, headers });
  return c.html(body, status, headers);
}
