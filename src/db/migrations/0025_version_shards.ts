// The hot versions sharded by backend (PostgreSQL). Every vote and comment bumped one `engagement`
// row and one `day:DAY` row inside its transaction, so every write of the cluster waited for the
// row lock of the one before it, held until that transaction's commit (its WAL flush, and for a
// comment several round trips): under a stream of votes, writes queued behind each other.
//
// `bump_scope` now bumps `engagement#N` and `day:DAY#N`, N the backend's process id modulo 16: a
// transaction keeps to one shard (its backend's), so two bumps in one transaction take one lock and
// no two transactions wait on each other in opposite orders. A scope's version is the sum of its
// rows (store/versions.ts): the shards, and the unsharded row written before this migration (and on
// SQLite, whose single writer has no such queue, where nothing changes). Every row only grows, so
// the sum only grows. Paper scopes stay one row each: two writes on one paper queue on its featured
// row anyway.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // PL/pgSQL rather than SQL: its statement's plan is kept for the session, where an SQL function
  // called from a trigger is parsed and planned on every call (a third of a vote's time in the
  // database, by pg_stat_statements).
  await sql`create or replace function bump_scope(s text) returns void language plpgsql as $$
    begin
      insert into data_version (scope, version)
      values (case when s = 'engagement' or s like 'day:%' then s || '#' || (pg_backend_pid() % 16) else s end, 1)
      on conflict (scope) do update set version = data_version.version + 1;
    end $$`.execute(db);
}
