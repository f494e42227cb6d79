// Several processes starting on one fresh SQLite file at once (two `serve`s, or `migrate` beside
// a `serve`) migrate it one after another: the first applies every migration, the others wait for
// its write lock and find nothing left to do. Real processes (the compiled CLI), not promises in one.
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { MIGRATIONS, migrateToLatest } from '../../src/db/migrate.js';
import { runCli } from '../harness/cli.js';
import { createTestDatabase, type TestDatabase } from '../harness/db.js';

describe('migrating one fresh SQLite file from several processes at once', () => {
  let t: TestDatabase;
  let db: Db | undefined;
  beforeEach(async () => {
    t = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await db?.close();
    await t.drop();
  });

  it('applies each migration once, and every process exits 0', async () => {
    const env = { DATABASE_URL: t.url, DATA_DIR: t.dataDir, LOG_LEVEL: 'warn' };
    const runs = await Promise.all([0, 1, 2, 3].map(() => runCli(['migrate'], env)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    // Between them they applied every migration once; each said what it applied.
    const said = runs.map((r) => r.stdout).join('\n');
    for (const name of Object.keys(MIGRATIONS)) expect(said.split(name).length - 1, said).toBe(1);

    db = await connect(t.config);
    const applied = (await sql<{ name: string }>`select name from schema_migration order by name`.execute(db.db)).rows.map((r) => r.name);
    expect(applied).toEqual(Object.keys(MIGRATIONS));
    expect(db.sqlite!.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((await runCli(['migrate'], env)).stdout).toBe('schema is up to date\n');
  });

  it('rolls a failed run back whole: no migration before the failing one stays applied', async () => {
    db = await connect(t.config);
    // A table in the way of 0002_ingest, so that the run applies 0001_initial and then fails.
    await sql`create table harvests (x integer)`.execute(db.db);
    await expect(migrateToLatest(db.db, db.dialect)).rejects.toThrow(/migration 0002_ingest failed: table .?harvests.? already exists/);
    const tables = (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db.db)).rows.map((r) => r.name);
    expect(tables).toEqual(['harvests']); // neither 0001's tables nor the migrations table
    await sql`drop table harvests`.execute(db.db);
    expect(await migrateToLatest(db.db, db.dialect)).toEqual(Object.keys(MIGRATIONS));
  });
});
