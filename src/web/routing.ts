// One way to register a route: `r.get(path, access, ...handlers)` on a table's registrar. The
// access named where the route is registered is enforced there, as the route's first middleware,
// and the declaration is kept (declaredRoutes) so that a test can walk the app and check that every
// route was declared and that every guard refuses whom it should (test/security/route-table.test.ts).
// Whether a shared cache may hold the answer is said on the same line, by the `shared(...)`
// middleware of web/cache.ts (or its absence).
import type { Context, Handler, Hono, MiddlewareHandler } from 'hono';
import type { User } from '../store/users.js';
import { isStaff, member } from './middleware/context.js';
import { csrfOk } from './middleware/csrf.js';

/**
 * Who may call a route.
 * - anyone: visitors included.
 * - member: a signed-in session (on /api, a token or a session); visitors are sent to log in (401 JSON).
 * - staff: a moderator or an administrator; admin: an administrator (others signed in get 403).
 * - writer: an API write, by a token with the write scope (checked where tokens are loaded,
 *   middleware/session.ts) or by a session with the page's X-CSRF-Token: a cookie alone never writes.
 * - operator: the machine's operator: a loopback client or the METRICS_TOKEN (web/metrics.ts).
 */
export type Access = 'anyone' | 'member' | 'staff' | 'admin' | 'writer' | 'operator';

export interface Declared {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  access: Access;
}

export interface RouteOptions {
  /** Signs form tokens: a session's API write must carry its X-CSRF-Token ('writer'). */
  secret?: string;
  /** The 403 answer of a page for staff or admins (JSON or plain text by default). */
  forbidden?: (c: Context, message: string) => Response | Promise<Response>;
  /** The guard of 'operator' routes. */
  operator?: MiddlewareHandler;
}

type Step = Handler | MiddlewareHandler;

const declared = new WeakMap<Hono, Declared[]>();

/** The routes declared on this app (and on the tables mounted into it), in registration order. */
export function declaredRoutes(app: Hono): readonly Declared[] {
  return declared.get(app) ?? [];
}

function list(app: Hono): Declared[] {
  const l = declared.get(app) ?? [];
  declared.set(app, l);
  return l;
}

/** The registrar of one route table. */
export function routes(app: Hono, opts: RouteOptions = {}) {
  const add = (method: Declared['method'], path: string, access: Access, handlers: Step[]) => {
    list(app).push({ method, path, access });
    const guard = guardOf(access, opts);
    (app.on as (m: string, p: string, ...h: Step[]) => Hono)(method, path, ...(guard ? [guard, ...handlers] : handlers));
  };
  return {
    get: (path: string, access: Access, ...handlers: Step[]) => add('GET', path, access, handlers),
    post: (path: string, access: Access, ...handlers: Step[]) => add('POST', path, access, handlers),
    delete: (path: string, access: Access, ...handlers: Step[]) => add('DELETE', path, access, handlers),
  };
}

/** Mounts a table under a prefix, keeping its declarations (with the prefix) on the app. */
export function mount(app: Hono, prefix: string, table: Hono): void {
  app.route(prefix, table);
  const join = (p: string) => (prefix === '/' ? p : p === '/' ? prefix : prefix + p);
  list(app).push(...declaredRoutes(table).map((d) => ({ ...d, path: join(d.path) })));
}

/** The signed-in member of a request that passed a 'member', 'staff', 'admin' or 'writer' guard. */
export function userOf(c: Context): User {
  const { user } = member(c);
  if (!user) throw new Error(`${c.req.method} ${c.req.path}: no member; is the route declared for anyone?`);
  return user;
}

export const wantsJson = (c: Context) => c.req.path.startsWith('/api/') || (c.req.header('accept') ?? '').includes('application/json');

/** A visitor's answer on a members' route: 401 JSON, or the log-in page with a way back. */
export function logInFirst(c: Context): Response {
  if (wantsJson(c)) return c.json({ error: 'log in (or send an API token) to do this' }, 401);
  const back = c.req.method === 'GET' || c.req.method === 'HEAD' ? c.req.path : (sameOriginPath(c, c.req.header('referer')) ?? '/papers');
  return c.redirect(`/login?next=${encodeURIComponent(back)}`, 303);
}

/** The path and query of a same-origin URL, or null. */
export function sameOriginPath(c: Context, url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.origin === new URL(c.req.url).origin ? u.pathname + u.search : null;
  } catch {
    return null;
  }
}

const plainForbidden = (c: Context, message: string) => (wantsJson(c) ? c.json({ error: message }, 403) : c.text(`Forbidden: ${message}`, 403));

function guardOf(access: Access, opts: RouteOptions): MiddlewareHandler | null {
  const forbidden = opts.forbidden ?? plainForbidden;
  switch (access) {
    case 'anyone':
      return null;
    case 'operator':
      if (!opts.operator) throw new Error("an 'operator' route needs the operator guard in the table's options");
      return opts.operator;
    case 'member':
      return async (c, next) => (member(c).user ? next() : logInFirst(c));
    case 'staff':
    case 'admin':
      return async (c, next) => {
        const { user } = member(c);
        if (!user) return logInFirst(c);
        if (access === 'admin' ? user.role !== 'admin' : !isStaff(user))
          return forbidden(c, access === 'admin' ? 'Administrators only.' : 'Moderators and administrators only.');
        await next();
      };
    case 'writer': {
      const secret = opts.secret;
      if (secret === undefined) throw new Error("a 'writer' route needs the secret in the table's options");
      return async (c, next) => {
        const who = member(c);
        if (!who.user) return c.json({ error: 'log in or send an API token (Authorization: Bearer ...)' }, 401);
        // A token's scope was checked where it was loaded; a session must send its page's token.
        if (!who.tokenScopes && !csrfOk(c, secret)) return c.json({ error: 'missing or invalid X-CSRF-Token header' }, 403);
        await next();
      };
    }
  }
}
