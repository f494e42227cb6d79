// CSRF guards (auth/csrf.ts explains the scheme). refuseCrossOrigin runs on every unsafe request
// of the app; csrfOk on the routes that read a form or change state with a session.
import type { Context, MiddlewareHandler } from 'hono';
import { crossOriginReason, csrfValid } from '../../auth/csrf.js';
import { member } from './context.js';
import { bearerToken, isMachinePath, isSafeMethod } from './session.js';

const refuse = (c: Context, message: string) =>
  c.req.path.startsWith('/api/') || c.req.header('accept')?.includes('application/json')
    ? c.json({ error: message }, 403)
    : c.text(`Forbidden: ${message}`, 403);

export function refuseCrossOrigin(baseUrl: string): MiddlewareHandler {
  return async (c, next) => {
    // RFC 8058 one-click unsubscribe POSTs come from mail providers, cross-site by nature; the
    // signed URL is their credential (digests/links.ts), so /unsubscribe/ is exempt.
    // A bearer request to the API carries no ambient credential a foreign page could borrow.
    const bearerApi = isMachinePath(c.req.path) && bearerToken(c) !== undefined;
    // /mcp never reads a cookie (mcp/routes.ts): a cross-site call there acts as nobody.
    const noCookies = c.req.path === '/mcp' || c.req.path === '/mcp/';
    if (!isSafeMethod(c.req.method) && !bearerApi && !noCookies && !c.req.path.startsWith('/unsubscribe/')) {
      const reason = crossOriginReason(c.req.raw.headers, new URL(c.req.url).origin, baseUrl, !isMachinePath(c.req.path));
      if (reason) return refuse(c, reason);
    }
    await next();
  };
}

/**
 * Whether this unsafe request may go on: a signed-in member's must carry their token (the form
 * field `csrf` or the X-CSRF-Token header); a visitor's has passed refuseCrossOrigin, and a visitor
 * has no session to abuse. Requests authenticated by an API token pass on the machine surfaces (no
 * ambient credentials); tokens are never loaded elsewhere (session.ts).
 */
export function csrfOk(c: Context, secret: string, form?: Record<string, unknown>): boolean {
  const m = member(c);
  if (m.tokenScopes) return isMachinePath(c.req.path);
  if (!m.sessionHash) return true;
  const given = c.req.header('x-csrf-token') ?? (typeof form?.csrf === 'string' ? form.csrf : undefined);
  return csrfValid(secret, m.sessionHash, given);
}

export const csrfRefused = (c: Context) => refuse(c, 'missing or invalid CSRF token; reload the page and try again');
