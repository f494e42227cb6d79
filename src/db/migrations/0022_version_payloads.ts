// The versions' NOTIFY carries the new version: `scope version` instead of `scope`. An instance
// that knows a scope's version then follows each bump without reading it again (store/versions.ts):
// under a stream of votes, every vote used to cost each instance a read of each scope it touched.
// Payloads are also distinct now, so two bumps of one scope in one transaction are no longer
// folded into one notification (PostgreSQL delivers identical payloads of a transaction once).
// SQLite has no notifications: nothing changes there.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  await sql`create or replace function notify_data_version() returns trigger language plpgsql as $$
    begin
      perform pg_notify('dp_versions', new.scope || ' ' || new.version);
      return null;
    end $$`.execute(db);
}
