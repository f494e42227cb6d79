// Loads the member of each request. The HTML surface knows members by the session cookie alone;
// API tokens (`Authorization: Bearer dp_...`) count on the machine surfaces only (/api/, /mcp), so
// a leaked token, even a read token pasted into a notebook, never drives a form, and never
// reaches account control (password, tokens, sessions, roles), which lives on HTML routes only.
// Visitors get no cookie at all (their pages are shared, web/cache.ts); a member's form token is
// derived from the session (auth/csrf.ts). The session cookie is HttpOnly and SameSite=Lax; served
// over https it is Secure with the __Host- prefix (RFC 6265bis 4.1.3.2: no Domain, Path=/), so a
// sibling subdomain cannot plant or overwrite it.
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Kysely } from 'kysely';
import { csrfToken } from '../../auth/csrf.js';
import type { Database } from '../../db/schema.js';
import { SESSION_DAYS, sessionUser } from '../../store/sessions.js';
import { apiTokenUser } from '../../store/tokens.js';
import { votedPaperIds } from '../../store/votes.js';
import { markedIds } from '../../store/member-papers.js';
import { savedIds } from '../../store/library.js';
import { clientIp } from './client.js';
import { type Member, runAs } from './context.js';

export interface CookieNames {
  https: boolean;
  session: string;
}

export function cookieNames(baseUrl: string): CookieNames {
  return { https: baseUrl.startsWith('https://'), session: 'dp_session' };
}

const prefix = (n: CookieNames) => (n.https ? ({ prefix: 'host' } as const) : {});

export function readCookie(c: Context, n: CookieNames, name: string): string | undefined {
  return n.https ? getCookie(c, name, 'host') : getCookie(c, name);
}

export function setSessionCookie(c: Context, n: CookieNames, token: string) {
  setCookie(c, n.session, token, { httpOnly: true, sameSite: 'Lax', secure: n.https, path: '/', maxAge: SESSION_DAYS * 86_400, ...prefix(n) });
}

export function clearSessionCookie(c: Context, n: CookieNames) {
  deleteCookie(c, n.session, { path: '/', secure: n.https, ...prefix(n) });
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
export const isSafeMethod = (method: string) => SAFE.has(method);

/** The surfaces where API tokens count: the JSON API and the MCP endpoint. */
export const isMachinePath = (path: string) => path === '/api' || path.startsWith('/api/') || path === '/mcp' || path.startsWith('/mcp/');

/** The credentials of `Authorization: Bearer X` (RFC 6750 2.1), or undefined for other schemes. */
export function bearerToken(c: Context): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(c.req.header('authorization') ?? '');
  return m ? m[1] : undefined;
}

/** Our tokens carry this prefix; any other bearer token is someone else's (e.g. a Hub token). */
export const OUR_TOKEN_PREFIX = 'dp_';

/**
 * Refuses an unsafe request outside the machine surfaces that carries a bearer token, whatever
 * the token: forms take the session cookie alone. Other schemes (a reverse proxy's Basic auth in
 * front of a private instance) are not ours to judge and pass. Registered before every route.
 */
export function refuseTokensOnForms(): MiddlewareHandler {
  return async (c, next) => {
    if (!isSafeMethod(c.req.method) && !isMachinePath(c.req.path) && bearerToken(c) !== undefined) {
      const message = 'API tokens work on /api/ and /mcp only; this form needs a signed-in browser session';
      const headers = { 'www-authenticate': 'Bearer error="invalid_request"', 'cache-control': 'no-store' };
      return (c.req.header('accept') ?? '').includes('application/json')
        ? c.json({ error: message }, 401, headers)
        : c.text(`Unauthorized: ${message}.`, 401, headers);
    }
    await next();
  };
}

export function loadMember(db: Kysely<Database>, secret: string, names: CookieNames): MiddlewareHandler {
  return async (c, next) => {
    const ip = clientIp(c);
    const token = isMachinePath(c.req.path) ? bearerToken(c) : undefined;
    // The Hugging Face client sends its user's Hub token to whatever endpoint it is pointed at: a
    // token that is not ours on a read is an anonymous read (never looked up, logged or stored).
    const ours = token !== undefined && (token.startsWith(OUR_TOKEN_PREFIX) || !isSafeMethod(c.req.method));
    if (ours) {
      const found = await apiTokenUser(db, token);
      // RFC 6750 3.1: a bad token is a 401 with the invalid_token error, never a silent anonymous read.
      if (!found)
        return c.json({ error: 'invalid or revoked API token' }, 401, { 'www-authenticate': 'Bearer error="invalid_token"', 'cache-control': 'no-store' });
      // The one place the API's write rule is checked: unsafe methods on /api/ need the write scope
      // (/mcp decides per tool, since its reads are POSTs too).
      if (!isSafeMethod(c.req.method) && c.req.path.startsWith('/api/') && !found.scopes.includes('write')) {
        return c.json({ error: 'this token has the read scope only; create a write token in /settings' }, 403, {
          'www-authenticate': 'Bearer error="insufficient_scope", scope="write"',
          'cache-control': 'no-store',
        });
      }
      return runAs(c, { user: found.user, sessionHash: null, tokenScopes: found.scopes, csrf: '', voted: new Set(), ip }, async () => {
        await next();
      });
    }
    const sessionToken = readCookie(c, names, names.session);
    const session = sessionToken ? await sessionUser(db, sessionToken) : null;
    if (sessionToken && !session) clearSessionCookie(c, names);
    const html = (c.req.method === 'GET' || c.req.method === 'HEAD') && !c.req.path.startsWith('/api/') && !c.req.path.startsWith('/static/');
    const member: Member = {
      user: session?.user ?? null,
      sessionHash: session?.idHash ?? null,
      tokenScopes: null,
      csrf: session ? csrfToken(secret, session.idHash) : '',
      voted: session && html ? await votedPaperIds(db, session.user.id) : new Set(),
      hidden: session && html ? await markedIds(db, 'hidden', session.user.id) : undefined,
      read: session && html ? await markedIds(db, 'read', session.user.id) : undefined,
      saved: session && html ? await savedIds(db, session.user.id) : undefined,
      ip,
    };
    return runAs(c, member, async () => {
      await next();
      // Pages that show a member's name or form token are theirs alone (RFC 9111 5.2.2.7).
      if (session && html && c.res.headers.get('content-type')?.startsWith('text/html') && !/private|no-store/.test(c.res.headers.get('cache-control') ?? '')) {
        c.res.headers.set('cache-control', 'private, no-cache');
      }
    });
  };
}
