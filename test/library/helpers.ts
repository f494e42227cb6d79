// A member app with the featured fixture archive and the project's arXiv stand-in behind the arXiv
// API client, and members logged in through the real forms.
import { hashPassword } from '../../src/auth/password.js';
import type { Dialect } from '../../src/db/schema.js';
import { createApiToken } from '../../src/store/tokens.js';
import { createUser } from '../../src/store/users.js';
import { featuredRecords } from '../api/fixtures.js';
import { type ArxivServer, startArxivServer } from '../harness/arxiv-server.js';
import { Client, memberApp, nextIp } from '../members/client.js';

export const PASSWORD = 'a long password';
/** A paper only the arXiv stand-in has: an import must fetch it. */
export const REMOTE = '2502.00001';

export async function libraryApp(dialect: Dialect) {
  const arxiv: ArxivServer = await startArxivServer({ apiPapers: [{ id: REMOTE, title: 'Fetched from arXiv for an import' }] });
  const t = await memberApp(dialect, { env: { ARXIV_API_URL: arxiv.apiUrl } });
  await t.load(featuredRecords());
  const users: Record<string, { id: number; read: string; write: string }> = {};
  for (const name of ['ada', 'bob']) {
    const u = await createUser(t.db.db, {
      username: name,
      email: `${name}@example.org`,
      passwordHash: await hashPassword(PASSWORD),
      role: 'member',
      emailConfirmed: true,
    });
    users[name] = {
      id: u.id,
      read: (await createApiToken(t.db.db, u.id, 'read', ['read'])).token,
      write: (await createApiToken(t.db.db, u.id, 'write', ['read', 'write'])).token,
    };
  }
  /** A browser session of the member, logged in through the form. */
  const login = async (name: string) => {
    const c = new Client(t.app, nextIp());
    await c.get('/login');
    const res = await c.post('/login', { login: name, password: PASSWORD });
    if (res.status !== 303) throw new Error(`log-in of ${name}: ${res.status}`);
    await c.get('/papers');
    return c;
  };
  return {
    t,
    arxiv,
    users,
    login,
    visitor: () => new Client(t.app, nextIp()),
    async close() {
      await t.close();
      await arxiv.close();
    },
  };
}

/** The collection id a create form redirected to. */
export function collectionOf(res: Response): string {
  const m = /^\/collections\/([A-Za-z0-9_-]+)$/.exec(res.headers.get('location') ?? '');
  if (!m) throw new Error(`no collection in ${res.status} ${res.headers.get('location')}`);
  return m[1]!;
}
