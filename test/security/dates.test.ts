// Day, week and month parameters through the real app and CLI: years JavaScript misreads (0000 to
// 0099, taken as 19xx) and other impossible periods answer 400 naming the accepted form (JSON on
// /api, a page or plain text elsewhere), never 500 or a page for another date; the CLI refuses
// them as usage errors. Valid URLs answer as before. Both dialects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/password.js';
import { UsageError } from '../../src/cli/args.js';
import type { Io } from '../../src/cli/command.js';
import { digestCommand } from '../../src/cli/digest.js';
import { ingestCommand } from '../../src/cli/ingest.js';
import { parseQuery } from '../../src/search/query.js';
import { createUser } from '../../src/store/users.js';
import { hfItem } from '../fixtures/records.js';
import { DIALECTS } from '../harness/db.js';
import { Client, memberApp } from '../members/client.js';

const RANGE = 'in the years 1991 to 9999';
/** The featured day of hfItem(). */
const DAY = '2025-01-03';

describe.each(DIALECTS)('date and period parameters (%s)', (dialect) => {
  let t: Awaited<ReturnType<typeof memberApp>>;
  let admin: Client;

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
  });
  afterAll(async () => {
    await t.close();
  });

  it('/digest/preview refuses years 0000 to 0099 with 400, daily and weekly', async () => {
    for (const q of [
      'frequency=daily&date=0050-01-01',
      'frequency=weekly&date=0050-01-01',
      'frequency=weekly&date=0099-12-31',
      'frequency=daily&date=0000-01-01',
      'frequency=weekly&date=50-01-01',
    ]) {
      const res = await admin.request(`/digest/preview?${q}`);
      expect(res.status, q).toBe(400);
      const text = await res.text();
      expect(text, q).toContain('YYYY-MM-DD');
      expect(text, q).toContain(RANGE);
    }
    expect((await admin.request(`/digest/preview?frequency=weekly&date=${DAY}`)).status).toBe(200);
  });

  it('pages refuse impossible days, weeks and months with a 400 page', async () => {
    for (const [path, form] of [
      ['/papers/date/0099-01-01', 'YYYY-MM-DD'],
      ['/papers/date/0000-02-29', 'YYYY-MM-DD'],
      ['/papers/date/1990-12-31', 'YYYY-MM-DD'],
      ['/papers/week/0050-W01', 'YYYY-Www'],
      ['/papers/week/2025-W53', 'YYYY-Www'],
      ['/papers/month/0050-01', 'YYYY-MM'],
      ['/papers/date/0099-01-01.md', 'YYYY-MM-DD'],
    ] as const) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('content-type'), path).toMatch(/^text\/(html|markdown|plain)/);
      const body = await res.text();
      expect(body, path).toContain(form);
      expect(body, path).toContain(RANGE);
    }
    // The date picker's form sends a day and a view; an impossible day is no redirect to a made-up week.
    const pick = await t.app.request('/papers/date?date=0050-01-01&view=week');
    expect(pick.status).toBe(400);
  });

  it('feeds refuse them with 400', async () => {
    for (const path of ['/papers/date/0000-01-01/feed.atom', '/papers/week/0050-W01/feed.rss', '/papers/month/0099-12/feed.atom']) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toContain(RANGE);
    }
  });

  it('/api/daily_papers refuses them with 400 and a JSON error naming the form', async () => {
    for (const [q, form] of [
      ['date=0001-01-01', 'YYYY-MM-DD'],
      ['week=0050-W10', 'YYYY-Www'],
      ['month=0000-01', 'YYYY-MM'],
      ['date=2025-04-31', 'YYYY-MM-DD'],
    ] as const) {
      const res = await t.app.request(`/api/daily_papers?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type'), q).toMatch(/^application\/json/);
      const body = (await res.json()) as { error: string };
      expect(body.error, q).toContain(form);
      expect(body.error, q).toContain(RANGE);
    }
  });

  it('valid days, weeks and months answer as before', async () => {
    for (const path of [`/papers/date/${DAY}`, '/papers/week/2025-W01', '/papers/month/2025-01', `/papers/date/${DAY}/feed.atom`]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('Contraction Certificates');
    }
    for (const q of [`date=${DAY}`, 'week=2025-W01', 'month=2025-01']) {
      const res = await t.app.request(`/api/daily_papers?${q}`);
      expect(res.status, q).toBe(200);
      expect(((await res.json()) as unknown[]).length, q).toBe(1);
    }
    const pick = await t.app.request(`/papers/date?date=${DAY}&view=week`);
    expect(pick.status).toBe(302);
    expect(pick.headers.get('location')).toBe('/papers/week/2025-W01');
  });
});

describe('the same parser elsewhere', () => {
  const io = { env: { DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' }, stdout: { write: () => true }, stderr: { write: () => true } } as unknown as Io;

  it('the CLI refuses them as usage errors naming the argument and the form', async () => {
    for (const date of ['0050-01-01', '0099-12-31', '1990-12-31', '2025-02-29', '25-01-31']) {
      const error = await digestCommand.run(['send', '--frequency', 'weekly', '--date', date, '--dry-run'], io).catch((e: unknown) => e);
      expect(error, date).toBeInstanceOf(UsageError); // exit code 2
      expect((error as Error).message, date).toMatch(/^--date: .*YYYY-MM-DD.*in the years 1991 to 9999/);
    }
    await expect(ingestCommand.run(['arxiv', '--from', '0050-01-01'], io)).rejects.toThrow(
      /^--from: 0050-01-01 is out of range; expected a date in the form YYYY-MM-DD/,
    );
    await expect(ingestCommand.run(['arxiv', '--from', '2025-01-01', '--until', '0099-01-01'], io)).rejects.toThrow(/^--until: .*in the years 1991 to 9999/);
  });

  it('search takes after: and before: only when the parser does, else searches the words', () => {
    expect(parseQuery('after:2025-01-03').after).toBe('2025-01-03');
    expect(parseQuery('after:0050-01-01').after).toBeNull();
    expect(parseQuery('before:2025-02-30').before).toBeNull();
  });
});
