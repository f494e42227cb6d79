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
    reason: reason.slice(0, 500),
  });
}
