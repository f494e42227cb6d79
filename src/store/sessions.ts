// Server-side sessions: the cookie holds a random token, the table its SHA-256. Ending a session
// is deleting its row; a session expires SESSION_DAYS after its creation, whatever its use.
import type { Kysely } from 'kysely';
import { newToken, sha256 } from '../auth/secrets.js';
import type { Database } from '../db/schema.js';
import { toUser, type User } from './users.js';

export const SESSION_DAYS = 30;
/** last_seen_at is written at most this often, so that page views are not all writes. */
const TOUCH_MS = 60 * 60_000;

/** Starts a session; `userAgent` is the coarse browser and system shown on /settings. */
export async function createSession(
  db: Kysely<Database>,
  userId: number,
  now = new Date(),
  userAgent: string | null = null,
): Promise<{ token: string; idHash: string; expiresAt: Date }> {
  const token = newToken();
  const idHash = sha256(token);
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  // Each log-in sweeps the member's own expired sessions (an index range on user_id): the table
  // stays bounded without a job.
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now.toISOString()).execute();
  await db
    .insertInto('sessions')
    .values({
      id_hash: idHash,
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
      last_seen_at: now.toISOString(),
      user_agent: userAgent,
    })
    .execute();
  return { token, idHash, expiresAt };
}

/** The session's user, or null if the token is unknown, expired, or its account suspended. */
export async function sessionUser(db: Kysely<Database>, token: string, now = new Date()): Promise<{ user: User; idHash: string } | null> {
  const idHash = sha256(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .selectAll('u')
    .select(['s.expires_at', 's.last_seen_at'])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  if (row.expires_at <= now.toISOString()) {
    await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (row.suspended_at !== null) return null;
  if (now.getTime() - Date.parse(row.last_seen_at) > TOUCH_MS) {
    await db.updateTable('sessions').set({ last_seen_at: now.toISOString() }).where('id_hash', '=', idHash).execute();
  }
  return { user: toUser(row), idHash };
}

export interface SessionInfo {
  createdAt: string;
  /** Updated at most hourly (TOUCH_MS). */
  lastSeenAt: string;
  userAgent: string | null;
  /** The session of the request asking. */
  current: boolean;
}

/** The member's live sessions, most recently used first. */
export async function listSessions(db: Kysely<Database>, userId: number, currentHash: string | null, now = new Date()): Promise<SessionInfo[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id_hash', 'created_at', 'last_seen_at', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now.toISOString())
    .orderBy('last_seen_at', 'desc')
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((r) => ({ createdAt: r.created_at, lastSeenAt: r.last_seen_at, userAgent: r.user_agent, current: r.id_hash === currentHash }));
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

/** Ends every session of the user but `keep` ("sign out everywhere"). */
export async function deleteUserSessions(db: Kysely<Database>, userId: number, keep?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id_hash', '!=', keep);
  await q.execute();
}

export async function purgeExpiredSessions(db: Kysely<Database>, now = new Date()): Promise<number> {
  const r = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
