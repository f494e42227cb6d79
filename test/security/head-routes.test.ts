// HEAD is GET without the body (RFC 9110, 9.3.2), on every route: this walks the app's own route
// table (Hono's app.routes), fills each GET route's parameters with sample values that exist in
// the test data, and compares HEAD with GET, anonymously and as a signed-in admin: same status,
// same content type, empty body. A few URLs that the table's catch-alls answer, or that need a
// query, are listed besides. Both dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { createUser } from '../../src/store/users.js';
import { assetUrl } from '../../src/web/ui/static.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { Client, memberApp } from '../members/client.js';

const ID = '2501.01234'; // hfItem()'s paper, featured on DAY
const DAY = '2025-01-03';

/** A sample value for each route parameter, by the route's path and the parameter's name. */
function sample(path: string, name: string): string {
  if (name === 'id' && path.startsWith('/api/papers/')) return ID;
  if (name === 'id' && path.startsWith('/papers/')) return ID;
  if (name === 'id') return '1';
  if (name === 'day') return DAY;
  if (name === 'week') return '2025-W01';
  if (name === 'month') return '2025-01';
  if (name === 'v' && (path.startsWith('/papers/date/') || path.startsWith('/papers/new/'))) return DAY;
  if (name === 'v' && path.startsWith('/papers/week/')) return '2025-W01';
  if (name === 'v' && path.startsWith('/papers/month/')) return '2025-01';
  if ((name === 'v' || name === 'name') && path.startsWith('/orgs/')) return 'example-lab';
  if ((name === 'v' || name === 'name') && path.startsWith('/authors/')) return 'Ada%20Example';
  if (name === 'name' && path.startsWith('/users/')) return 'boss';
  if (name === 'name' && path.startsWith('/static/')) return assetUrl('style.css').slice('/static/'.length);
  if (name === 'file') return 'katex-swap.min.css';
  if (name === 'token' || name === 'sig') return 'not-a-real-token';
  if (name === 'format') return 'bibtex';
  if (name === 'id' && path.startsWith('/collections/')) return 'no-such-collection';
  throw new Error(`no sample value for :${name} in ${path}: add one`);
}

/** A concrete URL for a route path: each `:name` or `:name{regex}` replaced by its sample. */
const concrete = (path: string) => path.replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => sample(path, name));

/** Paths beside the GET routes: the member API's routes with unusual ids, and a few the catch-alls serve. */
const EXTRA = [
  `/api/papers/${ID}/comments`,
  `/api/papers/${ID}/upvote`,
  '/api/papers/2599.99999/comments',
  '/api/papers/not-an-id/comments',
  `/papers/${ID}.md`,
  `/papers/date/${DAY}.md`,
  '/papers/week/2025-W01.md',
  '/search.md?q=games',
  '/search?q=games',
  '/api/papers/search?q=games',
  `/api/daily_papers?date=${DAY}`,
  '/api/daily_papers?date=0050-01-01',
  '/papers/date/0099-01-01',
  '/no/such/page',
  '/llms.txt',
];

describe.each(DIALECTS)('HEAD behaves as GET without a body (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let admin: Client;
  let urls: string[];

  beforeAll(async () => {
    t = await memberApp(dialect, { env: { TIMEZONE: 'UTC' } });
    await t.load([hfItem()]);
    await createUser(t.db.db, {
      username: 'boss',
      email: 'boss@example.com',
      passwordHash: await hashPassword('a long password'),
      role: 'admin',
      emailConfirmed: true,
    });
    admin = new Client(t.app);
    await admin.get('/login');
    expect((await admin.post('/login', { login: 'boss', password: 'a long password' })).status).toBe(303);
    const gets = t.app.routes.filter((r) => r.method === 'GET').map((r) => concrete(r.path));
    urls = [...new Set([...gets, ...EXTRA])];
  });
  afterAll(async () => {
    await t.close();
  });

  it('walks a route table that has the pages, feeds and API in it', () => {
    for (const u of ['/papers', `/papers/date/${DAY}`, `/api/papers/${ID}`, `/papers/date/${DAY}/feed.atom`, '/settings', '/digest/preview'])
      expect(urls).toContain(u);
  });

  for (const who of ['anonymous', 'admin'] as const) {
    it(`same status and content type, no body (${who})`, async () => {
      const client = who === 'admin' ? admin : new Client(t.app);
      const mismatches: string[] = [];
      for (const url of urls) {
        const get = await client.request(url);
        await get.arrayBuffer();
        const head = await client.request(url, { method: 'HEAD' });
        const body = await head.text();
        const show = (r: Response) => `${r.status} ${r.headers.get('content-type')}${r.headers.has('location') ? ` to ${r.headers.get('location')}` : ''}`;
        const a = show(get);
        const b = show(head);
        if (a !== b || body !== '') mismatches.push(`${url}: GET ${a}, HEAD ${b}${body ? ` with a ${body.length}-character body` : ''}`);
      }
      expect(mismatches).toEqual([]);
    });
  }
});
