// What every members page and handler shares: the services (database, mailer, limits, cookie
// names), the page frame, form parsing with the CSRF check, and the
// answers for "not allowed", "not found" and "slow down" (who may call a route is checked where it
// is registered: web/routing.ts).
import type { Child } from 'hono/jsx';
import type { Context } from 'hono';
import type { LimitName } from '../../../auth/ratelimit.js';
import type { AppDeps } from '../../deps.js';
import { csrfOk, csrfRefused } from '../../middleware/csrf.js';
import type { CookieNames } from '../../middleware/session.js';
import { wantsJson } from '../../routing.js';
import { Layout } from '../layout.js';

export { userOf, wantsJson } from '../../routing.js';

/** What members' pages and handlers are given: the app's services and the cookie names. */
export type Members = AppDeps & { names: CookieNames };

export function Page(props: { title: string; children: Child; math?: boolean }) {
  return (
    <Layout title={`${props.title} - dailypapers`} math={props.math}>
      <div class="prose members">{props.children}</div>
    </Layout>
  );
}

export function Notice(props: { kind?: 'error' | 'ok'; children: Child }) {
  return (
    <p class={`notice ${props.kind ?? 'ok'}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </p>
  );
}

export type Fields = Record<string, string>;

/** The form's string fields after the CSRF check, or the 403 to send. */
export async function readForm(c: Context, m: Members): Promise<Fields | Response> {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  if (!csrfOk(c, m.secret, body)) return csrfRefused(c);
  const out: Fields = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Checks the limits named, for the member's account and the client's IP; a 429 when over. */
export async function limited(c: Context, m: Members, checks: Array<[LimitName, string]>): Promise<Response | null> {
  for (const [name, key] of checks) {
    const wait = await m.limiter.hit(name, key);
    if (wait !== null) return tooMany(c, wait);
  }
  return null;
}

/** A refusal: JSON on the API (`{"error": message}`), else a page titled `title` saying `message`. */
function refuse(c: Context, status: 400 | 403 | 404 | 429, title: string, message: string, headers: Record<string, string> = {}): Response | Promise<Response> {
  return wantsJson(c)
    ? c.json({ error: message }, status, headers)
    : c.html(
        <Page title={title}>
          <h1>{title}</h1>
          <p>{message}</p>
        </Page>,
        status,
        headers,
      );
}

export function tooMany(c: Context, seconds: number): Response | Promise<Response> {
  const message = `Too many requests: try again in ${seconds} second${seconds === 1 ? '' : 's'}.`;
  return refuse(c, 429, 'Slow down', message, { 'retry-after': String(seconds) });
}

export const forbidden = (c: Context, message = 'You are not allowed to do this.') => refuse(c, 403, 'Not allowed', message);
export const badRequest = (c: Context, message: string) => refuse(c, 400, 'Not done', message);
export const notFound = (c: Context, message: string) => refuse(c, 404, 'Not found', message);

/** A local path to return to: only same-origin paths, never //host or scheme-relative tricks. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])[^\s]*$/.test(next) ? next : '/papers';
}
