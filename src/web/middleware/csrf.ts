// CSRF guards (auth/csrf.ts explains the scheme). refuseCrossOrigin runs on every unsafe request
// of the app; requireCsrfToken on the routes that change state with a session.
import type { Context, MiddlewareHandler } from 'hono';
import { crossOrigin, csrfValid } from '../../auth/csrf.js';
import { member } from './context.js';
import { bearerToken, browserId, type CookieNames, isMachinePath, isSafeMethod } from './session.js';

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
    if (!isSafeMethod(c.req.method) && !bearerApi && !c.req.path.startsWith('/unsubscribe/') && crossOrigin(c.req.raw.headers, new URL(c.req.url).origin, baseUrl)) {
      return refuse(c, 'cross-site request refused');
    }
    await next();
  };
}

/**
 * Whether this unsafe request carries a valid token: the form field `csrf` or the X-CSRF-Token
 * header. Requests authenticated by an API token pass on the machine surfaces (no ambient
 * credentials to abuse); tokens are never loaded elsewhere (session.ts).
 */
export async function csrfOk(c: Context, secret: string, names: CookieNames, form?: Record<string, unknown>): Promise<boolean> {
  const m = member(c);
  if (m.tokenScopes) return isMachinePath(c.req.path);
  const given = c.req.header('x-csrf-token') ?? (typeof form?.csrf === 'string' ? form.csrf : undefined);
  return csrfValid(secret, browserId(c, names), m.sessionHash, given);
}

export const csrfRefused = (c: Context) => refuse(c, 'missing or invalid CSRF token; reload the page and try again');
