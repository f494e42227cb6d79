// account security: pending sign-ups and what a member needs to recognise a session (issue 24).
//
// pending_signups: a sign-up waits here, not in users, until its address is confirmed. A sign-up
// with an address that already has an account writes the same row (its link is never mailed), so
// the username is held for the same 48 hours whether the address was known or not, and no account
// exists for anyone to probe (log-in, profile, organizations) before the mailbox is proven.
// username_key is the key: one live reservation per username; token_hash finds the row from the
// link (SHA-256, like every other secret).
//
// sessions.user_agent: a coarse "Firefox on Linux", shown on /settings next to the session's
// creation and last use; never the full header.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await sql`create table pending_signups (
    username_key text primary key,
    username text not null,
    email text not null,
    password_hash text not null,
    token_hash text not null unique,
    created_at text not null,
    expires_at text not null,
    confirmed_at text
  )`.execute(db);
  await db.schema.createIndex('pending_signups_expires').on('pending_signups').column('expires_at').execute();
  await sql`alter table sessions add column user_agent text`.execute(db);
}
