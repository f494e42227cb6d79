// Who is asking: the signed-in member (or nobody), the CSRF token for forms, the client's address.
// Kept per request in AsyncLocalStorage so that deep page components (the header's account menu,
// a card's upvote form) can read it without every page threading it through props.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'hono';
import type { Scope } from '../../store/tokens.js';
import type { User } from '../../store/users.js';

export interface Member {
  user: User | null;
  /** SHA-256 of the session cookie, when signed in by session. */
  sessionHash: string | null;
  /** Set when the request authenticated with `Authorization: Bearer`. */
  tokenScopes: Scope[] | null;
  /** The token forms must send back (hidden field `csrf` or header X-CSRF-Token). */
  csrf: string;
  /** Papers the member has upvoted, loaded for HTML pages only. */
  voted: Set<string>;
  /** Papers the member hid ("not interested") and opened, loaded for HTML pages only (absent: none). */
  hidden?: Set<string> | undefined;
  read?: Set<string> | undefined;
  /** Papers in the member's library, loaded for HTML pages only (absent: none). */
  saved?: Set<string> | undefined;
  ip: string;
}

const storage = new AsyncLocalStorage<Member>();
const byRequest = new WeakMap<Request, Member>();

export const ANONYMOUS: Member = { user: null, sessionHash: null, tokenScopes: null, csrf: '', voted: new Set(), ip: 'unknown' };

export function runAs<T>(c: Context, member: Member, fn: () => Promise<T>): Promise<T> {
  byRequest.set(c.req.raw, member);
  return storage.run(member, fn);
}

/** The member of this request (from a handler). */
export function member(c: Context): Member {
  return byRequest.get(c.req.raw) ?? ANONYMOUS;
}

/** The member of the request being rendered (from a component). */
export function currentMember(): Member {
  return storage.getStore() ?? ANONYMOUS;
}

export const isStaff = (u: User | null) => u !== null && (u.role === 'admin' || u.role === 'moderator');

/** Runs `fn` with `member` as the member components see (rendering a fragment for someone). */
export const withMember = <T>(who: Member, fn: () => T): T => storage.run(who, fn);
