// Cache versions per scope (STYLE 16). Migration 0015 kept one counter that every write to shared
// data bumped, so a single vote re-rendered every page of the hub. Votes and comments now bump the
// scopes they change instead:
//
// - `paper:ID`: the paper's page and its API item (its count, its thread);
// - `day:YYYY-MM-DD`: the listings of that featured day (a featured row's count changed);
// - `engagement`: any vote or comment, for what mixes all papers' counts (trending, search).
//
// On PostgreSQL each bump is also a NOTIFY on `dp_versions` naming the scope, so that instances can
// keep the versions they read instead of asking before every page.
//
// `shared` is still bumped by every other write to what visitors see: papers, featured rows (other
// than their two counts), members' names, organisations, claims. A page's tag is `shared` plus the
// versions of its scope (store/versions.ts). Rows are never deleted, so a sum of a range of days
// only grows. Members' private writes (reads, hides, saves, notes) touch none of these tables.
//
// Votes and comments are written a row at a time by members, so row triggers cost one upsert each.
// The featured counts' trigger is a row trigger too, filtered to rows whose counts changed; an
// import that rewrites counts of many rows also changes content columns, which bump `shared` once
// per statement on PostgreSQL.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

/** The featured columns whose change is not a count: any of them changes every listing. */
const FEATURED_CONTENT = [
  'paper_id',
  'day',
  'featured_at',
  'submitted_by_user_id',
  'submitted_by_name',
  'organization',
  'organization_name',
  'imported_upvotes',
  'imported_comments',
  'ai_summary',
  'ai_keywords',
  'source',
  'hash',
  'created_at',
  'modified_at',
];

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`insert into data_version (scope, version) values ('engagement', 1)`.execute(db);
  const content = sql.raw(FEATURED_CONTENT.join(', '));
  if (dialect === 'postgres') {
    for (const table of ['votes', 'comments', 'featured']) await sql`drop trigger ${sql.raw(`${table}_data_version`)} on ${sql.table(table)}`.execute(db);
    await sql`create function bump_scope(s text) returns void language sql as $$
      insert into data_version (scope, version) values (s, 1)
      on conflict (scope) do update set version = data_version.version + 1 $$`.execute(db);
    await sql`create function bump_paper_scope() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then perform bump_scope('paper:' || old.paper_id);
        else perform bump_scope('paper:' || new.paper_id); end if;
        if tg_op = 'UPDATE' and old.paper_id <> new.paper_id then perform bump_scope('paper:' || old.paper_id); end if;
        perform bump_scope('engagement');
        return null;
      end $$`.execute(db);
    await sql`create function bump_day_scope() returns trigger language plpgsql as $$
      begin
        perform bump_scope('day:' || new.day);
        perform bump_scope('engagement');
        return null;
      end $$`.execute(db);
    for (const table of ['votes', 'comments']) {
      await sql`create trigger ${sql.raw(`${table}_scope`)} after insert or update or delete on ${sql.table(table)}
        for each row execute function bump_paper_scope()`.execute(db);
      await sql`create trigger ${sql.raw(`${table}_data_version`)} after truncate on ${sql.table(table)}
        for each statement execute function bump_data_version()`.execute(db);
    }
    await sql`create trigger featured_data_version after insert or delete or truncate on featured
      for each statement execute function bump_data_version()`.execute(db);
    await sql`create trigger featured_content_version after update of ${content} on featured
      for each statement execute function bump_data_version()`.execute(db);
    // Every instance keeps the versions it read until PostgreSQL says one changed (store/versions.ts):
    // a NOTIFY per bumped scope, delivered when the writer commits.
    await sql`create function notify_data_version() returns trigger language plpgsql as $$
      begin
        perform pg_notify('dp_versions', new.scope);
        return null;
      end $$`.execute(db);
    await sql`create trigger data_version_notify after insert or update on data_version
      for each row execute function notify_data_version()`.execute(db);
    await sql`create trigger featured_counts_scope after update of upvotes, comment_count on featured
      for each row when (old.upvotes is distinct from new.upvotes or old.comment_count is distinct from new.comment_count)
      execute function bump_day_scope()`.execute(db);
    return;
  }
  const bump = (scope: string) =>
    sql.raw(`insert into data_version (scope, version) values (${scope}, 1) on conflict (scope) do update set version = version + 1;`);
  const engagement = bump(`'engagement'`);
  for (const table of ['votes', 'comments', 'featured']) {
    for (const event of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.raw(`${table}_data_version_${event}`)}`.execute(db);
  }
  for (const table of ['votes', 'comments']) {
    const t = sql.table(table);
    await sql`create trigger ${sql.raw(`${table}_scope_insert`)} after insert on ${t}
      begin ${bump(`'paper:' || new.paper_id`)} ${engagement} end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_scope_delete`)} after delete on ${t}
      begin ${bump(`'paper:' || old.paper_id`)} ${engagement} end`.execute(db);
    await sql`create trigger ${sql.raw(`${table}_scope_update`)} after update on ${t}
      begin ${bump(`'paper:' || new.paper_id`)} ${bump(`'paper:' || old.paper_id`)} ${engagement} end`.execute(db);
  }
  const shared = sql.raw(`update data_version set version = version + 1 where scope = 'shared';`);
  await sql`create trigger featured_data_version_insert after insert on featured begin ${shared} end`.execute(db);
  await sql`create trigger featured_data_version_delete after delete on featured begin ${shared} end`.execute(db);
  await sql`create trigger featured_data_version_update after update of ${content} on featured begin ${shared} end`.execute(db);
  await sql`create trigger featured_counts_scope after update of upvotes, comment_count on featured
    when old.upvotes is not new.upvotes or old.comment_count is not new.comment_count
    begin ${bump(`'day:' || new.day`)} ${engagement} end`.execute(db);
}
