// PostgreSQL going away under a running instance (a restart, a failover, pg_terminate_backend):
// connections idle in the pool, and one checked out between two queries, are cut; the process
// must live on and answer from fresh connections. Before the fix in db/connect.ts the checked-out
// one's 'error' was unheard and ended the process (bench/cluster.ts found it).
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { connect } from '../../src/db/connect.js';
import { createTestDatabase, PG_ADMIN_URL } from '../harness/db.js';

it.runIf(PG_ADMIN_URL)('lives through every connection being terminated, one of them checked out between queries', async () => {
  const t = await createTestDatabase('postgres');
  const db = await connect(t.config);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  process.on('warning', onWarning);
  try {
    await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(db.db))); // a few idle connections
    const name = new URL(t.url).pathname.slice(1);
    let held!: () => void;
    const released = new Promise<void>((r) => (held = r));
    const inUse = db.db.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      await released; // checked out, no query running: the moment a cut is unheard
      return sql`select 1`.execute(conn).then(
        () => 'answered',
        (e: Error) => e.message,
      );
    });
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    await admin.end();
    await expect.poll(() => warnings.some((w) => w.includes('terminating connection')), { timeout: 10_000 }).toBe(true);
    held();
    expect(await inUse).toMatch(/terminat|Connection terminated|not queryable/i);
    // The process is alive, and the pool answers from new connections.
    const { rows } = await sql<{ n: number }>`select 41 + 1 as n`.execute(db.db);
    expect(rows[0]!.n).toBe(42);
  } finally {
    process.off('warning', onWarning);
    await db.close();
    await t.drop();
  }
});
