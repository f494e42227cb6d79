// One-time mail links (confirm an address, reset a password) and API tokens. Both are random
// tokens stored as SHA-256 hashes; mail links expire and are consumed by a conditional update, so
// two clicks racing on one link cannot both succeed.
import type { Kysely } from 'kysely';
import { newToken, sha256 } from '../auth/secrets.js';
import type { Database } from '../db/schema.js';
import { toUser, type User } from './users.js';

export type MailPurpose = 'confirm' | 'reset';

/** OWASP Forgot Password Cheat Sheet: reset links short-lived; confirmation links may last longer. */
export const LINK_TTL_MS: Record<MailPurpose, number> = { confirm: 48 * 3600_000, reset: 3600_000 };

export async function createMailToken(db: Kysely<Database>, userId: number, purpose: MailPurpose, now = new Date()): Promise<string> {
  const token = newToken();
  await db
    .insertInto('mail_tokens')
    .values({
      token_hash: sha256(token),
      user_id: userId,
      purpose,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + LINK_TTL_MS[purpose]).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type LinkState = { ok: true; userId: number } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/** Looks a link up without using it (the GET that shows the form). */
export async function peekMailToken(db: Kysely<Database>, token: string, purpose: MailPurpose, now = new Date()): Promise<LinkState> {
  const r = await db.selectFrom('mail_tokens').selectAll().where('token_hash', '=', sha256(token)).where('purpose', '=', purpose).executeTakeFirst();
  if (!r) return { ok: false, reason: 'unknown' };
  if (r.used_at) return { ok: false, reason: 'used' };
  if (r.expires_at <= now.toISOString()) return { ok: false, reason: 'expired' };
  return { ok: true, userId: r.user_id };
}

/** Uses a link once: only the request whose update changes the row wins. */
export async function consumeMailToken(db: Kysely<Database>, token: string, purpose: MailPurpose, now = new Date()): Promise<LinkState> {
  const state = await peekMailToken(db, token, purpose, now);
  if (!state.ok) return state;
  const r = await db
    .updateTable('mail_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1 ? state : { ok: false, reason: 'used' };
}

export type Scope = 'read' | 'write';

export interface ApiToken {
  id: number;
  name: string;
  scopes: Scope[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Creates a token; the plain value is returned once and never stored. */
export async function createApiToken(db: Kysely<Database>, userId: number, name: string, scopes: Scope[]): Promise<{ token: string; id: number }> {
  const token = newToken('dp_');
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name,
      token_hash: sha256(token),
      scopes: [...new Set(scopes)].sort().join(' '),
      created_at: new Date().toISOString(),
      last_used_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { token, id: row.id };
}

export async function listApiTokens(db: Kysely<Database>, userId: number): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    scopes: r.scopes.split(' ') as Scope[],
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  }));
}

/** Revokes one of the user's own tokens; false if there is no such live token of theirs. */
export async function revokeApiToken(db: Kysely<Database>, userId: number, id: number): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Revokes every live token of the user; returns how many. */
export async function revokeAllApiTokens(db: Kysely<Database>, userId: number): Promise<number> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function apiTokenUser(db: Kysely<Database>, token: string): Promise<{ user: User; scopes: Scope[] } | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select(['t.id as token_id', 't.scopes', 't.last_used_at'])
    .where('t.token_hash', '=', sha256(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row || row.suspended_at !== null) return null;
  const now = new Date();
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', row.token_id).execute();
  }
  return { user: toUser(row), scopes: row.scopes.split(' ') as Scope[] };
}
