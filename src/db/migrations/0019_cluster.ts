// Several instances on one database (issue 22).
//
// rate_limits: the counters of the rate limits and log-in throttle (auth/ratelimit.ts), so that
// every instance behind a balancer counts against one budget (decision 0046). A row is a fixed
// window (start_ms, count) or a failure record (start_ms = last failure, count, until_ms = the
// delay it imposes); expires_ms is when the row means nothing any more and may be swept. Times
// are milliseconds since the epoch, compared as integers on both engines. On PostgreSQL the table
// is UNLOGGED: no write-ahead log for counters that are rewritten on every limited request, and a
// crash empties it, which errs on the side of letting people back in.
//
// moderation_log: what staff did (hid a comment, removed a featured paper, suspended a member,
// changed a role), by whom, when and why; the public /moderation page lists it without the
// moderator's name, as Lobsters' moderation log does.
//
// digest_outbox_pending: a partial index, so that the queue's depth is counted without reading
// the whole outbox.
//
// The secret that signs form tokens and mail links, when SECRET is unset, goes into the existing
// `meta` key-value table (key 'secret'), so it needs no table of its own.
import { type Kysely, sql } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  await sql`create ${sql.raw(dialect === 'postgres' ? 'unlogged ' : '')}table rate_limits (
    key text primary key,
    start_ms bigint not null,
    count integer not null,
    until_ms bigint not null default 0,
    expires_ms bigint not null
  )`.execute(db);
  await db.schema.createIndex('rate_limits_expires').on('rate_limits').column('expires_ms').execute();

  await sql`create table moderation_log (
    id ${sql.raw(dialect === 'postgres' ? 'bigserial primary key' : 'integer primary key autoincrement')},
    at text not null,
    actor_id integer references users(id) on delete set null,
    action text not null,
    subject_kind text not null,
    subject_id text not null,
    subject_label text not null default '',
    reason text not null default ''
  )`.execute(db);
  await db.schema.createIndex('moderation_log_at').on('moderation_log').column('at').execute();

  // The digest queue's depth for /metrics and doctor: pending rows only, a small part of an outbox
  // that keeps every message ever sent.
  await sql`create index digest_outbox_pending on digest_outbox (next_attempt_at) where status = 'pending'`.execute(db);
}
