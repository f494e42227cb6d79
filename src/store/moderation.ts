// The moderation log (migration 0019): one row per staff action, written by members/moderation.ts.
// The admin view shows who acted; the public /moderation page does not.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

export interface ModerationEntry {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  subjectKind: string;
  subjectId: string;
  subjectLabel: string;
  reason: string;
}

export async function addModeration(
  db: Kysely<Database>,
  e: { actorId: number; action: string; subjectKind: string; subjectId: string; subjectLabel?: string; reason?: string },
  now = new Date(),
): Promise<void> {
  await db
    .insertInto('moderation_log')
    .values({
      at: now.toISOString(),
      actor_id: e.actorId,
      action: e.action,
      subject_kind: e.subjectKind,
      subject_id: e.subjectId,
      subject_label: e.subjectLabel ?? '',
      reason: e.reason ?? '',
    })
    .execute();
}

/** Newest first; `before` pages back by id. */
export async function listModeration(db: Kysely<Database>, limit = 100, before?: number): Promise<ModerationEntry[]> {
  let q = db
    .selectFrom('moderation_log as m')
    .leftJoin('users as u', 'u.id', 'm.actor_id')
    .select(['m.id', 'm.at', 'u.username', 'm.action', 'm.subject_kind', 'm.subject_id', 'm.subject_label', 'm.reason'])
    .orderBy('m.id', 'desc')
    .limit(limit);
  if (before !== undefined) q = q.where('m.id', '<', before);
  return (await q.execute()).map((r) => ({
    id: Number(r.id),
    at: r.at,
    actor: r.username ?? null,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    subjectLabel: r.subject_label,
    reason: r.reason,
  }));
}
