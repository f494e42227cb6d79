// Sending a rendered page with an ETag (RFC 9110 §8.8.3): a hash of the HTML we just rendered, or
// for feeds a hash of the page's inputs checked before rendering (inputTag), and `Cache-Control: no-cache` (RFC 9111 §5.2.2.4: a browser may keep the page but must
// revalidate), so a reload is answered 304 with no body. The tags themselves: web/etag.ts.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { etagOf, matches } from '../etag.js';
import { member } from '../middleware/context.js';

// A new process may run new templates: tags from before a restart must not match.
const BOOT = `${process.pid}-${Date.now()}`;

/**
 * A weak validator (RFC 9110 §8.8.1) computed from a page's inputs instead of its HTML, so a
 * reload can be answered 304 before anything is rendered. `inputs` must hold everything the page
 * shows that can change (the list rows, navigation, counts); the visitor's part (form token,
 * account, votes: see middleware/session.ts) and the path and query are added here.
 */
export function inputTag(c: Context, inputs: unknown): string {
  const me = member(c);
  const visitor = [me.csrf, me.user, [...me.voted].sort()];
  const h = createHash('sha1').update(BOOT).update(c.req.url).update(JSON.stringify(visitor)).update(JSON.stringify(inputs));
  return `W/"${h.digest('base64url')}"`;
}

/** 304 when the browser holds this tag; null when the page must be rendered. */
export function notModified(c: Context, tag: string): Response | null {
  return matches(c.req.header('if-none-match'), tag) ? new Response(null, { status: 304, headers: { etag: tag, 'cache-control': 'no-cache' } }) : null;
}

/** Sends a page; its ETag is `tag` when given (see inputTag), else a hash of the HTML. */
export async function sendPage(
  c: Context,
  page: { toString(): string | Promise<string> },
  status: ContentfulStatusCode = 200,
  tag?: string,
): Promise<Response> {
  const body = await page.toString();
  tag ??= etagOf(body);
  const headers = { etag: tag, 'cache-control': 'no-cache' };
  if (status === 200 && matches(c.req.header('if-none-match'), tag)) return new Response(null, { status: 304, headers });
  return c.html(body, status, headers);
}
