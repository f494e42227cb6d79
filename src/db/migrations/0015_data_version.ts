// The data version of what every visitor sees: one counter that every write to shared data bumps,
// in the writer's own transaction, so the shared page cache (web/cache.ts) and the ETags built
// from it change exactly when the data does, on every instance that reads this database.
//
// Triggers rather than calls in each store function: a write path that forgets to bump would
// serve stale pages until the next write, and there are many (imports, harvests, votes, comments,
// moderation, submissions, accounts). PostgreSQL fires once per statement (a bulk import's
// 500-row upsert bumps once); SQLite has row triggers only, a few microseconds per row.
// Search vectors are written by the embedding loop, which bumps after each batch itself
// (search/maintenance.ts): the PostgreSQL vector table is created at run time, not here.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/** The tables whose rows anonymous pages, feeds and API reads show. */
export const SHARED_TABLES = ['papers', 'featured', 'comments', 'votes', 'users', 'orgs', 'org_members', 'author_claims'] as const;

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`create table data_version (scope text primary key, version bigint not null)`.execute(db);
  await sql`insert into data_version (scope, version) values ('shared', 1)`.execute(db);
  if (dialect === 'postgres') {
    await sql`create function bump_data_version() returns trigger language plpgsql as $$
      begin
        update data_version set version = version + 1 where scope = 'shared';
        return null;
      end $$`.execute(db);
    for (const table of SHARED_TABLES) {
      await sql`create trigger ${sql.raw(`${table}_data_version`)} after insert or update or delete or truncate on ${sql.table(table)}
        for each statement execute function bump_data_version()`.execute(db);
    }
    return;
  }
  for (const table of SHARED_TABLES) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.raw(`${table}_data_version_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
        begin update data_version set version = version + 1 where scope = 'shared'; end`.execute(db);
    }
  }
}
