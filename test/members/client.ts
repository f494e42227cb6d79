// A browser-like client over app.request(): a cookie jar, the CSRF token scraped from the last
// page, a client address (as @hono/node-server passes it in c.env), and an app over a fresh test
// database with an optional SMTP server and its own rate limiter.
import path from 'node:path';
import type { Hono } from 'hono';
import { loadConfig } from '../../src/config.js';
import type { Dialect } from '../../src/db/schema.js';
import { importFiles } from '../../src/ingest/import.js';
import { createApp } from '../../src/web/app.js';
import type { RateLimiter } from '../../src/auth/ratelimit.js';
import { writeJsonl } from '../fixtures/records.js';
import { openTestDb } from '../harness/db.js';
import { buildServices } from '../../src/services.js';
import { PageCache } from '../../src/web/cache.js';

export async function memberApp(
  dialect: Dialect,
  opts: { smtpUrl?: string; baseUrl?: string; env?: Record<string, string>; limiter?: RateLimiter; clock?: () => number } = {},
) {
  const t = await openTestDb(dialect);
  const config = loadConfig({
    DATABASE_URL: t.test.url,
    DATA_DIR: t.test.dataDir,
    SECRET: 'test-secret',
    ARXIV_INTERVAL_MS: '0',
    ...(opts.smtpUrl ? { SMTP_URL: opts.smtpUrl } : {}),
    ...(opts.baseUrl ? { BASE_URL: opts.baseUrl } : {}),
    ...opts.env,
  });
  const deps = buildServices({ db: t.db, config }, opts.limiter ? { limiter: opts.limiter } : {});
  // A clock of the test's own for the page cache (renders' age), with the services' kept versions.
  if (opts.clock) deps.pageCache = new PageCache(undefined, deps.pageCache.versions, opts.clock);
  const app = createApp(deps);
  return {
    ...t,
    app,
    config,
    deps,
    /** Closes the mailer first: a test SMTP server waits for open connections. */
    async close() {
      deps.mailer.close();
      await t.close();
    },
    /** Once this returns, the app has heard of every write made around it (on PostgreSQL, by NOTIFY). */
    settle: () => deps.pageCache.versions?.sync() ?? Promise.resolve(),
    async load(records: Array<Record<string, unknown>>) {
      const file = writeJsonl(path.join(t.test.dataDir, `load-${Date.now()}-${Math.random()}.jsonl`), records);
      const report = await importFiles(t.db.db, [file], { rejectsDir: path.join(t.test.dataDir, 'rejects') });
      await deps.pageCache.versions?.sync();
      return report;
    },
  };
}

export class Client {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    readonly app: Hono,
    readonly ip = '203.0.113.7',
  ) {}

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    // What a browser sends with a request from our own page; tests of forgeries set their own.
    if (!headers.has('origin') && !headers.has('sec-fetch-site')) headers.set('sec-fetch-site', 'same-origin');
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(pathname, { ...init, headers }, { incoming: { socket: { remoteAddress: this.ip } } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=0\b/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(pathname: string, headers: Record<string, string> = {}): Promise<{ res: Response; html: string }> {
    const res = await this.request(pathname, { headers });
    const html = await res.text();
    const m = /name="csrf" value="([^"]+)"/.exec(html);
    if (m) this.csrf = m[1]!;
    return { res, html };
  }

  /** A form POST, with the page's CSRF token unless the fields say otherwise. */
  async post(pathname: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams({ csrf: this.csrf, ...fields });
    return this.request(pathname, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });
  }

  async json(method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ res: Response; body: any }> {
    const res = await this.request(pathname, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { res, body: parsed };
  }
}

/** The first link to BASE/PURPOSE/TOKEN in a text. */
export function linkIn(text: string, purpose: 'confirm' | 'reset'): string {
  const m = new RegExp(`https?://[^\\s/]+(/${purpose}/[A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${purpose} link in: ${text.slice(0, 300)}`);
  return m[1]!;
}

let ipSeq = 0;
/** A fresh client address, so that per-IP limits of one test do not leak into the next. */
export const nextIp = () => `198.51.100.${++ipSeq % 250}`;

type Smtp = { received: Array<{ to: string[]; parsed: { text?: string | undefined; subject?: string | undefined } }> };

/** The latest mail to this address (and subject), waiting for it: account mail is sent in the background. */
export async function waitForMail(smtp: Smtp, to: string, subject?: string, after = 0): Promise<Smtp['received'][number]> {
  for (let i = 0; i < 200; i++) {
    const found = smtp.received.slice(after).findLast((r) => r.to.includes(to) && (subject === undefined || r.parsed.subject === subject));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail to ${to}${subject ? ` with subject '${subject}'` : ''} within 10 s`);
}

/** Signs up, confirms through the mail the SMTP server got, and logs in. */
export async function member(app: Hono, smtp: Smtp, name: string, password = 'correct horse battery') {
  const c = new Client(app, nextIp());
  await c.get('/signup');
  const res = await c.post('/signup', { username: name, email: `${name}@example.org`, password });
  if (res.status !== 200) throw new Error(`sign-up of ${name}: ${res.status} ${await res.text()}`);
  const mail = await waitForMail(smtp, `${name}@example.org`, 'Confirm your email address');
  const link = linkIn(mail.parsed.text ?? '', 'confirm');
  await c.get(link);
  const confirmed = await c.post(link);
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status}`);
  await c.get('/login');
  const login = await c.post('/login', { login: name, password });
  if (login.status !== 303) throw new Error(`log-in of ${name}: ${login.status} ${await login.text()}`);
  await c.get('/papers');
  return c;
}
