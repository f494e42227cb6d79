// Every route is registered through web/routing.ts, which says who may call it: this walks the
// app's own route table (Hono's app.routes) and checks that no route was added another way, and
// that each declared guard refuses whom it should: visitors on every route for members, staff,
// admins, API writers and the operator, and signed-in members (and moderators, on admin routes)
// where a role is needed, each refusal changing nothing in the database. Both dialects.
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../src/store/sessions.js';
import { createUser, type Role } from '../../src/store/users.js';
import { createApp } from '../../src/web/app.js';
import { type Access, declaredRoutes } from '../../src/web/routing.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { Client, memberApp } from '../members/client.js';
import { snapshot } from '../harness/snapshot.js';

const ID = '2501.01234'; // hfItem()'s paper

/** Routes in app.routes (handlers, not middleware) that no declaration covers. */
function undeclared(app: Hono): string[] {
  const declared = new Set(declaredRoutes(app).map((d) => `${d.method} ${d.path}`));
  return [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))].filter((k) => !declared.has(k));
}

/** A concrete URL: the first choice of `:name{a|b}`, else a sample value by name. */
const concrete = (path: string) =>
  path.replace(/:(\w+)(\{([^}]*)\})?/g, (_, name: string, _re, re: string | undefined) => {
    if (re && /^\w+(\|\w+)+$/.test(re)) return re.split('|')[0]!;
    if (name === 'id') return /^\/(api\/)?papers\//.test(path) ? ID : '1';
    return name === 'name' ? 'someone' : 'x';
  });

const FIELDS = {
  body: 'hi',
  role: 'admin',
  suspended: '1',
  name: 'x',
  scope: 'write',
  arxivId: ID,
  paperId: ID,
  upvotesPublic: '1',
  username: 'mallory',
  decision: 'approve',
  current: 'x',
  password: 'new password 123',
};

describe.each(DIALECTS)('the route table (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  const as: Partial<Record<'visitor' | Role, Client>> = {};

  beforeAll(async () => {
    t = await memberApp(dialect);
    await t.load([hfItem()]);
    as.visitor = new Client(t.app);
    for (const role of ['member', 'moderator'] as const) {
      const user = await createUser(t.db.db, { username: role, email: `${role}@example.org`, passwordHash: 'unused', role, emailConfirmed: true });
      const client = new Client(t.app);
      client.cookies.set('dp_session', (await createSession(t.db.db, user.id)).token);
      await client.get('/settings'); // the page's form token, so refusals are the guard's, not the CSRF check's
      expect(client.csrf).not.toBe('');
      as[role] = client;
    }
  });
  afterAll(async () => {
    await t.close();
  });

  it('has every route of the app declared through the registrar, and would notice one that is not', () => {
    expect(undeclared(t.app)).toEqual([]);
    const declared = declaredRoutes(t.app);
    for (const d of declared)
      expect(
        t.app.routes.some((r) => r.method === d.method && r.path === d.path),
        `${d.method} ${d.path}`,
      ).toBe(true);
    expect(declared.length).toBeGreaterThan(60);
    const sneaky = createApp(t.deps);
    sneaky.post('/sneaky', (c) => c.text('no guard'));
    expect(undeclared(sneaky)).toEqual(['POST /sneaky']);
  });

  it('enforces every declaration: visitors, and members without the role, are refused and change nothing', async () => {
    const guarded = declaredRoutes(t.app).filter((d) => d.access !== 'anyone');
    const counts = Object.fromEntries(
      (['member', 'staff', 'admin', 'writer', 'operator'] as Access[]).map((a) => [a, guarded.filter((d) => d.access === a).length]),
    );
    expect(counts.member).toBeGreaterThan(15);
    for (const a of ['staff', 'admin', 'writer', 'operator']) expect(counts[a], a).toBeGreaterThan(0);

    const before = await snapshot(t.db);
    const wrong: string[] = [];
    for (const d of guarded) {
      const url = concrete(d.path);
      const who: Array<'visitor' | Role> =
        d.access === 'admin' ? ['visitor', 'member', 'moderator'] : d.access === 'staff' ? ['visitor', 'member'] : ['visitor'];
      for (const w of who) {
        const client = as[w]!;
        const api = url.startsWith('/api/');
        const res =
          d.method === 'GET'
            ? await client.request(url)
            : api
              ? await client.request(url, {
                  method: d.method,
                  body: JSON.stringify({ body: 'hi', arxivId: ID }),
                  headers: { 'content-type': 'application/json', ...(w === 'visitor' ? {} : { 'x-csrf-token': client.csrf }) },
                })
              : await client.request(url, {
                  method: d.method,
                  body: new URLSearchParams({ ...FIELDS, csrf: client.csrf }),
                  headers: { 'content-type': 'application/x-www-form-urlencoded' },
                });
        await res.arrayBuffer();
        const toLogin = res.status === 303 && (res.headers.get('location') ?? '').startsWith('/login?next=');
        const expected: Array<number | 'login'> = w === 'visitor' ? (api || d.access === 'operator' ? [401, 403] : ['login']) : [403];
        const got = toLogin ? 'login' : res.status;
        if (!expected.includes(got)) wrong.push(`${d.method} ${url} (${d.access}) as ${w}: ${got}, expected ${expected.join(' or ')}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await snapshot(t.db)).toBe(before);
  });
});
