// The users aggregate: accounts, roles, suspension. Usernames and emails are unique through their
// lower-cased keys (a constraint, so two racing sign-ups cannot both win).
import type { Kysely, Selectable } from 'kysely';
import type { Database, UsersTable } from '../db/schema.js';

export type Role = UsersTable['role'];
export type UserRow = Selectable<UsersTable>;

export interface User {
  id: number;
  username: string;
  email: string;
  role: Role;
  emailConfirmed: boolean;
  suspended: boolean;
  upvotesPublic: boolean;
  /** The remembered filter of /papers/new (`cs.LG -cs.CV`), or null. */
  newCategories: string | null;
  /** Whether a private feed token is issued (its hash is never carried around). */
  hasFeedToken: boolean;
  createdAt: string;
}

export const toUser = (r: UserRow): User => ({
  id: r.id,
  username: r.username,
  email: r.email,
  role: r.role,
  emailConfirmed: r.email_confirmed_at !== null,
  suspended: r.suspended_at !== null,
  upvotesPublic: r.upvotes_public === 1,
  newCategories: r.new_categories ?? null,
  hasFeedToken: Boolean(r.feed_token_hash),
  createdAt: r.created_at,
});

/** Letters, digits, '-' and '_', 2 to 32 long, starting with a letter or digit: safe in URLs and HTML alike. */
export const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$/;
/** Deliberately loose (RFC 5321 allows far more than any pattern says); the confirmation mail is the real test. */
export const EMAIL = /^[^\s@<>"'`]{1,64}@[^\s@<>"'`]+\.[^\s@<>"'`]+$/;

export const usernameKey = (name: string) => name.toLowerCase();
export const emailKey = (email: string) => email.trim().toLowerCase();

export class DuplicateError extends Error {
  override name = 'DuplicateError';
  constructor(readonly field: 'username' | 'email') {
    super(`${field} is taken`);
  }
}

export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(err?.message ?? '');
}

export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  /** Forced role; by default the first account is the admin, the others members. */
  role?: Role | undefined;
  emailConfirmed?: boolean | undefined;
}

export async function createUser(db: Kysely<Database>, u: NewUser): Promise<User> {
  const now = new Date().toISOString();
  try {
    return await db.transaction().execute(async (trx) => {
      const first = !(await trx.selectFrom('users').select('id').limit(1).executeTakeFirst());
      const row = await trx
        .insertInto('users')
        .values({
          username: u.username,
          username_key: usernameKey(u.username),
          email: u.email.trim(),
          email_key: emailKey(u.email),
          password_hash: u.passwordHash,
          role: u.role ?? (first ? 'admin' : 'member'),
          email_confirmed_at: u.emailConfirmed ? now : null,
          suspended_at: null,
          upvotes_public: 1,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      const msg = String((e as Error).message) + String((e as { constraint?: string }).constraint ?? '');
      throw new DuplicateError(/email/.test(msg) ? 'email' : 'username');
    }
    throw e;
  }
}

export async function getUser(db: Kysely<Database>, id: number): Promise<User | null> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function getUserByName(db: Kysely<Database>, username: string): Promise<User | null> {
  const r = await db.selectFrom('users').selectAll().where('username_key', '=', usernameKey(username)).executeTakeFirst();
  return r ? toUser(r) : null;
}

export async function getUserByEmail(db: Kysely<Database>, email: string): Promise<User | null> {
  const r = await db.selectFrom('users').selectAll().where('email_key', '=', emailKey(email)).executeTakeFirst();
  return r ? toUser(r) : null;
}

/** The row with its hash, for log-in by username or email. */
export async function findForLogin(db: Kysely<Database>, login: string): Promise<UserRow | null> {
  const key = login.trim().toLowerCase();
  const r = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .executeTakeFirst();
  return r ?? null;
}

export async function getPasswordHash(db: Kysely<Database>, id: number): Promise<string | null> {
  const r = await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirst();
  return r?.password_hash ?? null;
}

export async function setPasswordHash(db: Kysely<Database>, id: number, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

/**
 * A password reset, in one transaction: the new hash, the address confirmed (the link proved the
 * mailbox), every session ended, every API token revoked and every other reset link used up.
 * A reset is the way back after an account is taken, so nothing the taker held survives it.
 */
export async function resetPassword(db: Kysely<Database>, id: number, hash: string): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', id).execute();
    await trx.updateTable('users').set({ email_confirmed_at: now }).where('id', '=', id).where('email_confirmed_at', 'is', null).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    await trx.updateTable('mail_tokens').set({ used_at: now }).where('user_id', '=', id).where('purpose', '=', 'reset').where('used_at', 'is', null).execute();
  });
}

/**
 * A password change by a signed-in member, in one transaction: the new hash, every session ended
 * (the caller starts a fresh one for the browser that asked), and the API tokens revoked when
 * `revokeTokens`. Returns how many tokens were revoked.
 */
export async function changePassword(db: Kysely<Database>, id: number, hash: string, revokeTokens: boolean): Promise<number> {
  const now = new Date().toISOString();
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
    if (!revokeTokens) return 0;
    const r = await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  });
}

export async function confirmEmail(db: Kysely<Database>, id: number): Promise<void> {
  const now = new Date().toISOString();
  await db.updateTable('users').set({ email_confirmed_at: now, updated_at: now }).where('id', '=', id).where('email_confirmed_at', 'is', null).execute();
}

export async function setRole(db: Kysely<Database>, id: number, role: Role): Promise<void> {
  await db.updateTable('users').set({ role, updated_at: new Date().toISOString() }).where('id', '=', id).execute();
}

/** Suspends (or restores) an account; a suspension also ends its sessions and revokes its tokens. */
export async function setSuspended(db: Kysely<Database>, id: number, suspended: boolean): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ suspended_at: suspended ? now : null, updated_at: now })
      .where('id', '=', id)
      .execute();
    if (suspended) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
      await trx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
    }
  });
}

export async function setUpvotesPublic(db: Kysely<Database>, id: number, visible: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ upvotes_public: visible ? 1 : 0, updated_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

export async function listUsers(db: Kysely<Database>, limit = 200): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toUser);
}

/** How many member accounts there are (/metrics). */
export async function countUsers(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
