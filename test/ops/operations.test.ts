// The operators' commands as operators run them (bin/dailypapers in a child process): doctor on a
// sound instance and on a broken one, and backup while the database is being written, then restore.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { runCli, startCli } from '../harness/cli.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../harness/db.js';
import { TEST_REDIS_URL } from '../harness/redis.js';
import { startSmtp } from '../harness/smtp.js';
import { seedPapers } from '../digests/helpers.js';

const count = async (db: Db) => Number((await sql<{ n: number }>`select count(*) as n from papers`.execute(db.db)).rows[0]!.n);

describe.each(DIALECTS)('doctor, backup and restore (%s)', (dialect) => {
  let t: TestDatabase;
  let db: Db;
  let env: Record<string, string>;
  beforeEach(async () => {
    t = await createTestDatabase(dialect);
    db = await connect(t.config);
    env = { DATABASE_URL: t.url, DATA_DIR: t.dataDir, LOG_LEVEL: 'warn', ARXIV_SCHEDULE: 'off' };
  });
  afterEach(async () => {
    await db.close();
    await t.drop();
  });

  it('doctor: exit 1 with a line per problem, exit 0 once they are fixed', async () => {
    // A fresh, unmigrated database, and an SMTP server and a Redis that are not there.
    const bad = await runCli(['doctor'], { ...env, SMTP_URL: 'smtp://127.0.0.1:9', REDIS_URL: 'redis://:hidden@127.0.0.1:9' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^problem smtp: smtp:\/\/127\.0\.0\.1:9: .*ECONNREFUSED/m);
    expect(bad.stdout).toMatch(/^problem redis: redis:\/\/:\*\*\*@127\.0\.0\.1:9: .*ECONNREFUSED.*counts rate limits on its own/m);
    expect(bad.stdout).not.toContain('hidden');
    expect(bad.stdout).toMatch(/^problem schema: \d+ migration\(s\) pending .*run 'dailypapers migrate'/m);
    expect(bad.stdout).toMatch(/^3 problem\(s\)$/m);

    await migrateToLatest(db.db, db.dialect);
    if (dialect === 'postgres') await sql`create extension if not exists vector`.execute(db.db);
    const smtp = await startSmtp();
    try {
      const good = await runCli(['doctor'], { ...env, SMTP_URL: smtp.url, REDIS_URL: TEST_REDIS_URL });
      expect(good.stdout).toMatch(/^ok {6}schema: /m);
      expect(good.stdout).toMatch(/^ok {6}redis: .* answers \(PONG\)/m);
      expect(good.stdout).toMatch(/^ok {6}smtp: .* answers$/m);
      expect(good.stdout).toMatch(/^ok {6}disk: .* GiB free$/m);
      expect(good.stdout).toMatch(/^ok {6}digests: 0 pending/m);
      if (dialect === 'postgres') expect(good.stdout).toMatch(/^ok {6}pgvector: vector \d/m);
      expect(good.stdout, good.stdout).toMatch(/^no problems$/m);
      expect(good.code).toBe(0);
      const json = await runCli(['doctor', '--json'], { ...env, SMTP_URL: smtp.url });
      expect(JSON.parse(json.stdout).map((c: { name: string }) => c.name)).toContain('harvest');
    } finally {
      await smtp.close();
    }
  });

  it('backup while papers are being written, then restore: the copy is whole and comes back', async () => {
    await migrateToLatest(db.db, db.dialect);
    await seedPapers(db.db, [{ id: '2608.00001', day: '2026-08-20', upvotes: 1, title: 'Before the backup', categories: ['cs.CL'] }]);
    const file = path.join(t.dataDir, dialect === 'sqlite' ? 'backup.db' : 'backup.dump');
    // Writes go on while the backup runs: a paper at a time until the command has finished.
    const backup = startCli(['backup', file], env);
    let finished = false;
    void backup.done.then(() => (finished = true));
    let written = 0;
    while (!finished) {
      await new Promise((r) => setTimeout(r, 5)); // let the child's exit be heard (SQLite's writes never yield)
      written++;
      await seedPapers(db.db, [
        { id: `2608.${String(10000 + written)}`, day: '2026-08-21', upvotes: 0, title: `Written during ${written}`, categories: ['cs.LG'] },
      ]);
    }
    const r = await backup.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`to ${file}`);
    expect(existsSync(file)).toBe(true);
    expect(written).toBeGreaterThan(0);
    const atEnd = await count(db);

    // Everything after the backup is lost by the restore; what the backup held comes back.
    await seedPapers(db.db, [{ id: '2608.99999', day: '2026-08-22', upvotes: 0, title: 'After the backup', categories: ['cs.LG'] }]);
    if (dialect === 'sqlite') await db.close(); // serve is stopped for a restore
    const restored = await runCli(['restore', file], env);
    expect(restored.code, restored.stderr).toBe(0);
    if (dialect === 'sqlite') db = await connect(t.config);
    const n = await count(db);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(atEnd);
    const ids = (await db.db.selectFrom('papers').select('id').execute()).map((p) => p.id);
    expect(ids).toContain('2608.00001');
    expect(ids).not.toContain('2608.99999');

    // Not a backup: refused with the file named, nothing touched.
    const junk = path.join(t.dataDir, 'secret-notes.txt');
    await import('node:fs').then((fs) => fs.writeFileSync(junk, 'not a database'));
    const refused = await runCli(['restore', junk], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(dialect === 'sqlite' ? `${junk}: file is not a database` : 'pg_restore exited with 1');
    expect(await count(db)).toBe(n);
    const exists = await runCli(['backup', file], env);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toContain('use --force');
  }, 120_000);
});
