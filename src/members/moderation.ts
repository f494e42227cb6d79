// What staff do, written down: every moderation action (hiding a comment, removing or picking a
// featured paper, suspending or restoring an account, changing a role, deciding an authorship
// claim) goes through record() after it took effect, so the admin audit and the public log
// (/moderation, as Lobsters keeps one) never disagree with what happened.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { addModeration } from '../store/moderation.js';
import type { User } from '../store/users.js';

export type ModerationAction =
  | 'hid comment'
  | 'restored comment'
  | 'removed featured paper'
  | 'picked paper'
  | 'suspended account'
  | 'restored account'
  | 'changed role'
  | 'approved claim'
  | 'rejected claim';

/** The longest reason a moderator may give; forms say so with maxlength too. */
export const MAX_REASON = 500;

/**
 * A moderator's optional reason as the logs keep it: one line (runs of white space, line breaks
 * and control characters become one space), trimmed; an error when it is longer than MAX_REASON,
 * checked before the action so that a refused reason leaves nothing half done.
 */
export function parseReason(raw: string | undefined): { ok: true; reason: string } | { ok: false; message: string } {
  const reason = (raw ?? '').replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim();
  if (reason.length > MAX_REASON) return { ok: false, message: `A reason is at most ${MAX_REASON} characters (this one has ${reason.length}).` };
  return { ok: true, reason };
}

export function recordModeration(
  db: Kysely<Database>,
  actor: User,
  action: ModerationAction,
  subject: { kind: 'comment' | 'paper' | 'user' | 'claim'; id: string | number; label?: string },
  reason = '',
): Promise<void> {
  return addModeration(db, {
    actorId: actor.id,
    action,
    subjectKind: subject.kind,
    subjectId: String(subject.id),
    subjectLabel: subject.label ?? '',
    reason: reason.slice(0, MAX_REASON), // parseReason() refused longer ones before the action
  });
}
