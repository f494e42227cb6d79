// Sign-ups waiting for their address to be confirmed (migration 0014). The row, not a users row,
// holds the username until the link is used or LINK_TTL_MS.confirm (48 h) passes, and it is
// written alike whether the address already has an account or not, so that nothing an outsider
// can observe (the username being taken, a log-in, a profile) tells the two apart.
import type { Kysely } from 'kysely';
import { newToken, sha256 } from '../auth/secrets.js';
import type { Database } from '../db/schema.js';
import { LINK_TTL_MS } from './tokens.js';
import { isUniqueViolation, usernameKey } from './users.js';

export interface PendingSignup {
  username: string;
  email: string;
  passwordHash: string;
}

/**
 * Holds the username for a sign-up and returns the link's token, or null if the username is
 * taken: by an account, or by a sign-up still waiting. Expired reservations of the name, and an
 * account that never confirmed its address within the same 48 hours, give the name up first.
 */
export async function reserveSignup(db: Kysely<Database>, s: PendingSignup, now = new Date()): Promise<string | null> {
  const key = usernameKey(s.username);
  const stale = new Date(now.getTime() - LINK_TTL_MS.confirm).toISOString();
  await db.deleteFrom('pending_signups').where('username_key', '=', key).where('expires_at', '<=', now.toISOString()).execute();
  await db.deleteFrom('users').where('username_key', '=', key).where('email_confirmed_at', 'is', null).where('created_at', '<=', stale).execute();
  if (await db.selectFrom('users').select('id').where('username_key', '=', key).executeTakeFirst()) return null;
  const token = newToken();
  try {
    await db
      .insertInto('pending_signups')
      .values({
        username_key: key,
        username: s.username,
        email: s.email.trim(),
        password_hash: s.passwordHash,
        token_hash: sha256(token),
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + LINK_TTL_MS.confirm).toISOString(),
        confirmed_at: null,
      })
      .execute();
  } catch (e) {
    if (isUniqueViolation(e)) return null; // another sign-up took the name first
    throw e;
  }
  return token;
}

export type SignupState = { ok: true; signup: PendingSignup } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/** Looks a confirmation link up without using it. */
export async function peekSignup(db: Kysely<Database>, token: string, now = new Date()): Promise<SignupState> {
  const r = await db.selectFrom('pending_signups').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!r) return { ok: false, reason: 'unknown' };
  if (r.confirmed_at) return { ok: false, reason: 'used' };
  if (r.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  return { ok: true, signup: { username: r.username, email: r.email, passwordHash: r.password_hash } };
}

/** Uses a confirmation link once: only the request whose update changes the row wins. */
export async function consumeSignup(db: Kysely<Database>, token: string, now = new Date()): Promise<SignupState> {
  const state = await peekSignup(db, token, now);
  if (!state.ok) return state;
  const r = await db
    .updateTable('pending_signups')
    .set({ confirmed_at: now.toISOString() })
    .where('token_hash', '=', sha256(token))
    .where('confirmed_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? state : { ok: false, reason: 'used' };
}

/** Drops reservations past their expiry (used or not): the table stays bounded without a job. */
export async function purgeExpiredSignups(db: Kysely<Database>, now = new Date()): Promise<number> {
  const r = await db.deleteFrom('pending_signups').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
