// The dialect matrix (after kysely's test-setup): store and search tests run on SQLite always and
// on PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Every test database is fresh: a
// temporary SQLite file, or a PostgreSQL database created for the test and dropped after.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type DatabaseConfig, parseDatabaseUrl } from '../../src/config.js';
import { connect, type Db } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Dialect } from '../../src/db/schema.js';

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL;

export const DIALECTS: Dialect[] = PG_ADMIN_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDatabase {
  config: DatabaseConfig;
  /** The URL to hand to the CLI as DATABASE_URL. */
  url: string;
  /** A folder for DATA_DIR, removed with the database. */
  dataDir: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the dialect (no migrations applied). */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dailypapers-test-'));
  if (dialect === 'sqlite') {
    const url = `sqlite:${path.join(dataDir, 'test.db')}`;
    return { config: parseDatabaseUrl(url), url, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  if (!PG_ADMIN_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `dp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    config: parseDatabaseUrl(url),
    url,
    dataDir,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A fresh, migrated database, connected. */
export async function openTestDb(dialect: Dialect): Promise<{ db: Db; test: TestDatabase; close(): Promise<void> }> {
  const test = await createTestDatabase(dialect);
  const db = await connect(test.config);
  await migrateToLatest(db.db, db.dialect);
  return {
    db,
    test,
    async close() {
      await db.close();
      await test.drop();
    },
  };
}
