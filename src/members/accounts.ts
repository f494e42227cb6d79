// Account use cases: sign up, confirm, log in, ask for and use a reset link, change the password,
// sign out everywhere. Pages (web/ui/members/account.tsx, settings.tsx) parse forms and render;
// the rules live here.
//
// Two rules shape this file (OWASP Authentication and Forgot Password Cheat Sheets):
// - No answer tells whether an address has an account. Sign-up does the same work for a known and
//   an unknown address (a pending sign-up holding the username for 48 h); reset requests answer at
//   once and do the lookup, the link and the mail afterwards, so their timing tells nothing either.
// - Failed password checks slow guessing (auth/ratelimit.ts) but never lock the owner out.
import type { Kysely } from 'kysely';
import { burnPasswordCheck, hashPassword, needsRehash, passwordProblem, verifyPassword } from '../auth/password.js';
import type { RateLimiter } from '../auth/ratelimit.js';
import type { Database } from '../db/schema.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mailer.js';
import { deleteAccount, otherAdmins } from '../store/account-data.js';
import { createSession, deleteSession, deleteUserSessions } from '../store/sessions.js';
import { consumeSignup, peekSignup, purgeExpiredSignups, reserveSignup } from '../store/signups.js';
import { consumeMailToken, createMailToken, type MailPurpose, peekMailToken } from '../store/tokens.js';
import {
  changePassword as storeChangePassword,
  confirmEmail,
  createUser,
  DuplicateError,
  EMAIL,
  findForLogin,
  getPasswordHash,
  getUser,
  getUserByEmail,
  resetPassword as storeResetPassword,
  setPasswordHash,
  type User,
  USERNAME,
} from '../store/users.js';

export interface AccountDeps {
  db: Kysely<Database>;
  mailer: Mailer;
  limiter: RateLimiter;
  baseUrl: string;
  log?: Logger | undefined;
}

// ---- work after the answer -------------------------------------------------------------------

const running = new Set<Promise<void>>();

/** Runs `task` after the caller has answered; a failure is logged, never shown to the visitor. */
function later(d: AccountDeps, what: string, task: () => Promise<unknown>) {
  const p: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(task)
    .then(
      () => undefined,
      (e: unknown) => d.log?.error({ err: e }, `${what} failed`),
    )
    .finally(() => running.delete(p));
  running.add(p);
}

/** Resolves once the work begun after earlier answers is done (tests, a graceful shutdown). */
export async function accountWorkDone(): Promise<void> {
  while (running.size) await Promise.allSettled([...running]);
}

function sendLink(d: AccountDeps, to: string, purpose: MailPurpose, token: string) {
  const url = `${d.baseUrl}/${purpose}/${token}`;
  const text =
    purpose === 'confirm'
      ? `Welcome to dailypapers.\n\nConfirm your email address by opening this link within 48 hours:\n\n${url}\n\nIf you did not sign up, ignore this message.\n`
      : `Someone (hopefully you) asked to reset the password of your dailypapers account.\n\nChoose a new password by opening this link within an hour:\n\n${url}\n\nIf you did not ask, ignore this message: your password stays as it is.\n`;
  return d.mailer.send({ to, subject: purpose === 'confirm' ? 'Confirm your email address' : 'Reset your password', text });
}

// ---- sign-up and confirmation ----------------------------------------------------------------

export type SignupResult = { kind: 'sent' } | { kind: 'taken' } | { kind: 'invalid'; message: string };

/**
 * Holds the username for 48 h and mails the address: a confirmation link if it has no account, a
 * note that someone tried to sign up with it if it has one. The answer is 'sent' either way and
 * the work until the answer is the same (hash, reservation); the lookup and mail come after.
 */
export async function signUp(d: AccountDeps, input: { username: string; email: string; password: string }): Promise<SignupResult> {
  const username = input.username.trim();
  const email = input.email.trim();
  if (!USERNAME.test(username)) return { kind: 'invalid', message: "Usernames have 2 to 32 letters, digits, '-' or '_', and start with a letter or digit." };
  if (email.length > 254 || !EMAIL.test(email)) return { kind: 'invalid', message: 'That does not look like an email address.' };
  const problem = passwordProblem(input.password);
  if (problem) return { kind: 'invalid', message: problem };
  const passwordHash = await hashPassword(input.password);
  await purgeExpiredSignups(d.db);
  // Usernames are public (profile pages), so saying one is taken reveals nothing new.
  const token = await reserveSignup(d.db, { username, email, passwordHash });
  if (token === null) return { kind: 'taken' };
  later(d, 'sign-up mail', async () => {
    const existing = await getUserByEmail(d.db, email);
    if (!existing) return sendLink(d, email, 'confirm', token);
    return d.mailer.send({
      to: existing.email,
      subject: 'Sign-up attempt with your address',
      text: `Someone tried to sign up on dailypapers with this address, which already has an account (username ${existing.username}).\n\nIf it was you: log in at ${d.baseUrl}/login, or reset your password at ${d.baseUrl}/reset.\nIf not, ignore this message.\n`,
    });
  });
  return { kind: 'sent' };
}

export type LinkCheck = { ok: true } | { ok: false; reason: 'unknown' | 'expired' | 'used' };

/** Whether a confirmation link (a pending sign-up's, or an older account's) can be used. */
export async function checkConfirmLink(d: AccountDeps, token: string): Promise<LinkCheck> {
  const pending = await peekSignup(d.db, token);
  if (pending.ok || pending.reason !== 'unknown') return pending.ok ? { ok: true } : pending;
  const legacy = await peekMailToken(d.db, token, 'confirm');
  return legacy.ok ? { ok: true } : legacy;
}

export type ConfirmResult = { ok: true; user: User } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'exists' };

/**
 * Uses a confirmation link: a pending sign-up becomes an account (the first one is the admin);
 * an account made before pending sign-ups existed gets its address confirmed. 'exists' when the
 * address got an account meanwhile (only the mailbox's owner holds the link, so saying so is safe).
 */
export async function confirmSignup(d: AccountDeps, token: string): Promise<ConfirmResult> {
  const pending = await consumeSignup(d.db, token);
  if (pending.ok) {
    try {
      const { username, email, passwordHash } = pending.signup;
      return { ok: true, user: await createUser(d.db, { username, email, passwordHash, emailConfirmed: true }) };
    } catch (e) {
      if (e instanceof DuplicateError) return { ok: false, reason: 'exists' };
      throw e;
    }
  }
  if (pending.reason !== 'unknown') return pending;
  const legacy = await consumeMailToken(d.db, token, 'confirm');
  if (!legacy.ok) return legacy;
  await confirmEmail(d.db, legacy.userId);
  const user = await getUser(d.db, legacy.userId);
  return user ? { ok: true, user } : { ok: false, reason: 'unknown' };
}

// ---- log-in ----------------------------------------------------------------------------------

export type LoginResult =
  | { kind: 'ok'; user: User; session: { token: string } }
  | { kind: 'throttled'; seconds: number }
  | { kind: 'failed' }
  | { kind: 'suspended' }
  | { kind: 'unconfirmed' };

export interface ClientInfo {
  /** The client's address (member(c).ip). */
  ip: string;
  /** The coarse user agent to show on /settings (coarseAgent). */
  agent: string | null;
  /** The session this browser had before, ended when a new one starts (no session fixation). */
  oldSession?: string | null | undefined;
}

/**
 * Checks a name (or email) and password. A known account is throttled by its id, an unknown name
 * by the name itself, so both are throttled alike; an unknown name still costs one argon2
 * verification, so the time taken does not tell either.
 */
export async function logIn(d: AccountDeps, input: { login: string; password: string }, client: ClientInfo): Promise<LoginResult> {
  const login = input.login.trim().slice(0, 254);
  const password = input.password.slice(0, 1024);
  const row = login ? await findForLogin(d.db, login) : null;
  const account = row ? `user:${row.id}` : `name:${login.toLowerCase()}`;
  const wait = (await d.limiter.loginBlocked(account, client.ip)) ?? (await d.limiter.hit('loginPerIp', client.ip));
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  let ok = false;
  if (row) ok = await verifyPassword(row.password_hash, password);
  else await burnPasswordCheck(password);
  if (!row || !ok) {
    await d.limiter.loginFailed(account, client.ip);
    return { kind: 'failed' };
  }
  await d.limiter.loginSucceeded(account, client.ip);
  if (row.suspended_at) return { kind: 'suspended' };
  if (!row.email_confirmed_at) {
    // An account made before sign-ups waited in pending_signups: send it a fresh link.
    if ((await d.limiter.hit('mailPerIp', client.ip)) === null) {
      const token = await createMailToken(d.db, row.id, 'confirm');
      later(d, 'confirmation mail', () => sendLink(d, row.email, 'confirm', token));
    }
    return { kind: 'unconfirmed' };
  }
  if (needsRehash(row.password_hash)) await setPasswordHash(d.db, row.id, await hashPassword(password));
  const user = (await getUser(d.db, row.id))!;
  return { kind: 'ok', user, session: await startSession(d, row.id, client) };
}

/** A new session id at every log-in and password change; the browser's previous one ends. */
async function startSession(d: AccountDeps, userId: number, client: ClientInfo): Promise<{ token: string }> {
  if (client.oldSession) await deleteSession(d.db, client.oldSession);
  const s = await createSession(d.db, userId, new Date(), client.agent);
  return { token: s.token };
}

// ---- password reset --------------------------------------------------------------------------

/**
 * Answers nothing: the caller shows the same page for every address at once, and the lookup,
 * the link and the mail happen afterwards, so neither the answer nor its timing says whether
 * the address has an account. Suspended accounts get no link.
 */
export function requestReset(d: AccountDeps, email: string): void {
  const address = email.trim();
  if (address.length > 254 || !EMAIL.test(address)) return;
  later(d, 'reset mail', async () => {
    const user = await getUserByEmail(d.db, address);
    if (!user || user.suspended) return;
    const token = await createMailToken(d.db, user.id, 'reset');
    await sendLink(d, user.email, 'reset', token);
  });
}

export const checkResetLink = (d: AccountDeps, token: string): Promise<LinkCheck> => peekMailToken(d.db, token, 'reset');

export type ResetResult = { ok: true; user: User | null } | { ok: false; reason: 'unknown' | 'expired' | 'used' } | { ok: false; problem: string };

/**
 * Sets a new password from a reset link. A reset is the way back after an account is taken, so it
 * ends every session and revokes every API token and every other reset link.
 */
export async function resetPassword(d: AccountDeps, token: string, password: string): Promise<ResetResult> {
  const problem = passwordProblem(password);
  if (problem) return { ok: false, problem };
  const state = await consumeMailToken(d.db, token, 'reset');
  if (!state.ok) return state;
  await storeResetPassword(d.db, state.userId, await hashPassword(password));
  return { ok: true, user: await getUser(d.db, state.userId) };
}

// ---- signed-in members -----------------------------------------------------------------------

export type ChangeResult =
  | { kind: 'changed'; session: { token: string }; revokedTokens: number }
  | { kind: 'throttled'; seconds: number }
  | { kind: 'wrong' }
  | { kind: 'invalid'; message: string };

/**
 * Changes the password after checking the current one, under the log-in throttle (a stolen
 * session must not become a way to guess the password). Every session ends and the asking
 * browser gets a fresh one; the API tokens are revoked when `revokeTokens`.
 */
export async function changePassword(
  d: AccountDeps,
  user: User,
  input: { current: string; password: string; revokeTokens: boolean },
  client: ClientInfo,
): Promise<ChangeResult> {
  const account = `user:${user.id}`;
  const wait = (await d.limiter.loginBlocked(account, client.ip)) ?? (await d.limiter.hit('loginPerIp', client.ip));
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  const stored = await getPasswordHash(d.db, user.id);
  if (!stored || !(await verifyPassword(stored, input.current.slice(0, 1024)))) {
    await d.limiter.loginFailed(account, client.ip);
    return { kind: 'wrong' };
  }
  await d.limiter.loginSucceeded(account, client.ip);
  const problem = passwordProblem(input.password);
  if (problem) return { kind: 'invalid', message: problem };
  const revokedTokens = await storeChangePassword(d.db, user.id, await hashPassword(input.password), input.revokeTokens);
  return { kind: 'changed', session: await startSession(d, user.id, { ...client, oldSession: null }), revokedTokens };
}

/**
 * Deletes the member's account after checking their password (under the log-in throttle, as a
 * password change is): store/account-data.ts says what goes and what stays (decision 0041).
 */
export async function closeAccount(
  d: AccountDeps,
  user: User,
  password: string,
  client: ClientInfo,
): Promise<{ kind: 'deleted' | 'wrong' | 'last-admin' } | { kind: 'throttled'; seconds: number }> {
  const account = `user:${user.id}`;
  const wait = (await d.limiter.loginBlocked(account, client.ip)) ?? (await d.limiter.hit('loginPerIp', client.ip));
  if (wait !== null) return { kind: 'throttled', seconds: wait };
  const stored = await getPasswordHash(d.db, user.id);
  if (!stored || !(await verifyPassword(stored, password.slice(0, 1024)))) {
    await d.limiter.loginFailed(account, client.ip);
    return { kind: 'wrong' };
  }
  // An instance keeps an administrator: the last one makes another first.
  if (user.role === 'admin' && (await otherAdmins(d.db, user.id)) === 0) return { kind: 'last-admin' };
  await deleteAccount(d.db, user.id);
  return { kind: 'deleted' };
}

/** Ends every session of the member, the asking browser's included. */
export async function signOutEverywhere(d: AccountDeps, user: User): Promise<void> {
  await deleteUserSessions(d.db, user.id);
}

/**
 * "Firefox on Linux": enough for a member to recognise a session, too coarse to fingerprint
 * anyone. Order matters: Edge and Opera say Chrome too, Chrome says Safari, iPadOS says Mac OS X.
 */
export function coarseAgent(ua: string | undefined): string | null {
  if (!ua) return null;
  const browser = /Edg(e|A|iOS)?\//.test(ua)
    ? 'Edge'
    : /OPR\/|Opera/.test(ua)
      ? 'Opera'
      : /Firefox\/|FxiOS/.test(ua)
        ? 'Firefox'
        : /Chrome\/|CriOS/.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /^(curl|Wget|python|node|Go-http|okhttp|axios)/i.test(ua)
              ? 'a script'
              : 'a browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Mac OS X|Macintosh/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return os ? `${browser} on ${os}` : browser;
}
