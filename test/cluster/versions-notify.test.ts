// Data versions kept between notifications (store/versions.ts, db/listen.ts): on PostgreSQL an
// instance reads a scope's version once and follows it through the NOTIFY of each bump, which
// carries the new version, so a cached page costs no round trip, even under a stream of votes. Another instance's write (here a second connection) shows once
// its notification arrives; a notification of another scope leaves the kept version alone; while
// the listening connection is cut nothing is kept, and it comes back by itself.
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { LISTENER_NAME } from '../../src/db/listen.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ScopeVersions, scopeVersion } from '../../src/store/versions.js';
import { createTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../harness/db.js';

describe.runIf(PG_ADMIN_URL)('data versions kept between notifications (postgres)', () => {
  let t: TestDatabase;
  let here: Db;
  let there: Db;
  let versions: ScopeVersions;
  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    here = await connect(t.config);
    await migrateToLatest(here.db, here.dialect);
    there = await connect(t.config);
    versions = new ScopeVersions(here);
    await vi.waitFor(() => expect(versions.heard).toBe(true), { timeout: 5000 });
  });
  afterAll(async () => {
    await here.close();
    await there.close();
    await t.drop();
  });

  const bump = (scope: string) =>
    sql`insert into data_version (scope, version) values (${scope}, 1)
        on conflict (scope) do update set version = data_version.version + 1`.execute(there.db);

  it('keeps a version until its scope changes, and follows a change from another connection', async () => {
    const before = await versions.read({ paper: '2501.00001' });
    const asked = versions.stats.asked;
    expect(await versions.read({ paper: '2501.00001' })).toBe(before);
    expect(versions.stats.asked).toBe(asked); // kept: no round trip

    await bump('paper:2501.00002'); // another paper: ours is kept
    await bump('paper:2501.00001');
    await vi.waitFor(async () => expect(await versions.read({ paper: '2501.00001' })).not.toBe(before), { timeout: 2000, interval: 5 });
    const after = await versions.read({ paper: '2501.00001' });
    expect(after).toBe(`${before.split('.')[0]}.1`);
    // The notification carried the new version: followed without asking the database.
    expect(versions.stats.asked).toBe(asked);
    // Two bumps in one transaction are two notifications (distinct payloads), both followed.
    await there.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 2; i++)
        await sql`insert into data_version (scope, version) values ('paper:2501.00001', 1)
          on conflict (scope) do update set version = data_version.version + 1`.execute(trx);
    });
    await versions.sync();
    expect(await versions.read({ paper: '2501.00001' })).toBe(`${before.split('.')[0]}.3`);
    expect(versions.stats.asked).toBe(asked);
  });

  it("drops a day range's version when a day inside it changes, and everything on new content", async () => {
    const week = { days: { from: '2025-01-06', to: '2025-01-12' } };
    const day = { days: { from: '2025-01-13', to: '2025-01-13' } };
    const [w0, d0] = [await versions.read(week), await versions.read(day)];
    const asked = versions.stats.asked;
    await bump('day:2025-01-08'); // a day of the range that had no row yet
    await vi.waitFor(async () => expect(await versions.read(week)).not.toBe(w0), { timeout: 2000, interval: 5 });
    await bump('day:2025-01-08');
    await versions.sync();
    expect(await versions.read(week)).toBe(`${w0.split('.')[0]}.${Number(w0.split('.')[1]) + 2}`);
    expect(await versions.read(day)).toBe(d0);
    expect(versions.stats.asked).toBe(asked);
    const all = await versions.read('all');
    await sql`update data_version set version = version + 1 where scope = 'shared'`.execute(there.db);
    await vi.waitFor(async () => expect(await versions.read(day)).not.toBe(d0), { timeout: 2000, interval: 5 });
    expect(await versions.read('all')).not.toBe(all);
  });

  it('sums the shards that votes and comments bump, and two writers on two shards do not wait on each other', async () => {
    const week = { days: { from: '2025-01-06', to: '2025-01-12' } };
    const [a0, w0] = [await versions.read('all'), await versions.read(week)];
    const own = (token: string) => Number(token.split('.')[1]);
    // Two backends whose shards differ (migration 0025: the backend's pid modulo 16).
    const clients: pg.Client[] = [];
    const pids: number[] = [];
    try {
      while (pids.length < 2) {
        const c = new pg.Client({ connectionString: t.url });
        await c.connect();
        clients.push(c);
        const pid = Number((await c.query('select pg_backend_pid() as pid')).rows[0].pid);
        if (pids.length === 0 || pids[0]! % 16 !== pid % 16) pids.push(pid);
        else await c.end();
      }
      const [one, two] = clients.filter((_c, i) => i === 0 || i === clients.length - 1) as [pg.Client, pg.Client];
      await one.query('begin');
      await one.query("select bump_scope('engagement'), bump_scope('day:2025-01-09')");
      // The first transaction holds its shards' rows; the second bumps its own without waiting.
      await two.query("set lock_timeout = '2s'");
      await two.query("select bump_scope('engagement'), bump_scope('day:2025-01-09')");
      await one.query('commit');
    } finally {
      for (const c of clients) await c.end().catch(() => {});
    }
    const asked = versions.stats.asked;
    await versions.sync();
    expect(own(await versions.read('all'))).toBe(own(a0) + 2);
    expect(own(await versions.read(week))).toBe(own(w0) + 2);
    expect(versions.stats.asked).toBe(asked); // followed from the shards' notifications
    // A reader that asks the database sums the same rows.
    expect(await scopeVersion(there.db, 'all')).toBe(await versions.read('all'));
    expect(await scopeVersion(there.db, week)).toBe(await versions.read(week));
    const { rows } = await sql<{ scope: string }>`select scope from data_version where scope like 'engagement#%' or scope like 'day:2025-01-09#%'`.execute(
      here.db,
    );
    expect(rows.length).toBe(4);
  });

  it("answers concurrent syncs only once each one's own write has been heard", async () => {
    const papers = Array.from({ length: 12 }, (_, i) => `2501.009${String(i).padStart(2, '0')}`);
    const before = await Promise.all(papers.map((id) => versions.read({ paper: id })));
    const asked = versions.stats.asked;
    // Each caller writes on the other connection, then syncs while others' syncs are in flight.
    const after = await Promise.all(
      papers.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, i * 3));
        await bump(`paper:${id}`);
        await versions.sync();
        return versions.read({ paper: id });
      }),
    );
    const bumped = (token: string) => `${token.split('.')[0]}.${Number(token.split('.')[1]) + 1}`;
    expect(after).toEqual(before.map(bumped));
    expect(versions.stats.asked).toBe(asked);
  });

  it('keeps nothing while the listening connection is cut, and listens again by itself', async () => {
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      const { rows } = await admin.query('select pg_terminate_backend(pid) as cut from pg_stat_activity where application_name = $1 and datname = $2', [
        LISTENER_NAME,
        new URL(t.url).pathname.slice(1),
      ]);
      expect(rows).toHaveLength(1);
    } finally {
      await admin.end();
    }
    await vi.waitFor(() => expect(versions.heard).toBe(false), { timeout: 5000 });
    // Unheard, a write elsewhere still shows at once: every read asks.
    const before = await versions.read('content');
    await sql`update data_version set version = version + 1 where scope = 'shared'`.execute(there.db);
    if (!versions.heard) expect(await versions.read('content')).not.toBe(before);
    await vi.waitFor(() => expect(versions.heard).toBe(true), { timeout: 10_000 });
    const now = await versions.read('content');
    await sql`update data_version set version = version + 1 where scope = 'shared'`.execute(there.db);
    await vi.waitFor(async () => expect(await versions.read('content')).not.toBe(now), { timeout: 2000, interval: 5 });
  });
});
