// The digest outbox: one row per (subscription, period), unique, made before the digest is sent
// and marked after (STYLE.md §10, the row is the queue). A sender claims a batch with a lease; on
// PostgreSQL the claim's inner SELECT takes FOR UPDATE SKIP LOCKED, so two instances claiming at
// once get disjoint rows without waiting on each other; SQLite has one writer, so the same single
// UPDATE ... WHERE id IN (SELECT ...) is atomic there as it stands.
import { type Kysely, sql } from 'kysely';
import type { Database, Dialect, DigestOutboxTable } from '../db/schema.js';

export type OutboxStatus = DigestOutboxTable['status'];

export interface Claimed {
  id: number;
  subscriptionId: number;
  attempts: number;
}

/**
 * Makes the period's rows for every active subscription of that frequency, once: a repeated run
 * inserts nothing (ON CONFLICT on the unique pair). Returns how many rows are new.
 */
export async function enqueuePeriod(db: Kysely<Database>, frequency: 'daily' | 'weekly', period: string, now = new Date()): Promise<number> {
  const iso = now.toISOString();
  const r = await db
    .insertInto('digest_outbox')
    .columns(['subscription_id', 'period', 'status', 'attempts', 'next_attempt_at', 'created_at', 'updated_at'])
    .expression(
      db
        .selectFrom('subscriptions')
        .select((eb) => [
          'id',
          eb.val(period).as('period'),
          eb.val('pending').as('status'),
          eb.lit(0).as('attempts'),
          eb.val(iso).as('next_attempt_at'),
          eb.val(iso).as('created_at'),
          eb.val(iso).as('updated_at'),
        ])
        // A WHERE is also what lets SQLite parse INSERT ... SELECT ... ON CONFLICT (its docs, "upsert").
        .where('status', '=', 'active')
        .where('frequency', '=', frequency),
    )
    .onConflict((oc) => oc.columns(['subscription_id', 'period']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0);
}

/** Takes up to `limit` due, unleased rows of the period for `owner` until now + leaseMs. */
export async function claimBatch(
  db: Kysely<Database>,
  dialect: Dialect,
  period: string,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<Claimed[]> {
  const iso = now.toISOString();
  let due = db
    .selectFrom('digest_outbox')
    .select('id')
    .where('period', '=', period)
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', iso)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', iso)]))
    .orderBy('id')
    .limit(limit);
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  const rows = await db
    .updateTable('digest_outbox')
    .set({ claimed_by: owner, claimed_until: new Date(now.getTime() + leaseMs).toISOString(), updated_at: iso })
    .where('id', 'in', due)
    .returning(['id', 'subscription_id', 'attempts'])
    .execute();
  return rows.map((r) => ({ id: r.id, subscriptionId: r.subscription_id, attempts: r.attempts })).sort((a, b) => a.id - b.id);
}

/** Renews this owner's lease on rows it still holds (a long batch behind a slow server). */
export async function extendClaims(db: Kysely<Database>, ids: number[], owner: string, until: Date): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('digest_outbox')
    .set({ claimed_until: until.toISOString() })
    .where('id', 'in', ids)
    .where('claimed_by', '=', owner)
    .where('status', '=', 'pending')
    .execute();
}

type Finish =
  | { status: 'sent'; messageId: string; papers: number }
  | { status: 'empty' | 'skipped'; error?: string }
  | { status: 'failed'; error: string; responseCode: number | null; attempts: number }
  | { status: 'retry'; error: string; responseCode: number | null; attempts: number; nextAttemptAt: Date };

/** Records what became of a claimed row and releases the claim. */
export async function finishRow(db: Kysely<Database>, id: number, f: Finish, now = new Date()): Promise<void> {
  const iso = now.toISOString();
  const base = { claimed_by: null, claimed_until: null, updated_at: iso };
  const set =
    f.status === 'sent'
      ? {
          ...base,
          status: 'sent' as const,
          message_id: f.messageId,
          papers: f.papers,
          sent_at: iso,
          error: null,
          response_code: null,
          attempts: sql<number>`attempts + 1`,
        }
      : f.status === 'retry'
        ? { ...base, attempts: f.attempts, next_attempt_at: f.nextAttemptAt.toISOString(), error: f.error.slice(0, 500), response_code: f.responseCode }
        : f.status === 'failed'
          ? { ...base, status: 'failed' as const, attempts: f.attempts, error: f.error.slice(0, 500), response_code: f.responseCode }
          : { ...base, status: f.status, error: f.error ?? null };
  await db.updateTable('digest_outbox').set(set).where('id', '=', id).execute();
}

/** Rows still pending in the period that nobody holds: when the earliest becomes due, or null. */
export async function nextDue(db: Kysely<Database>, period: string, now: Date): Promise<{ at: string | null; held: number }> {
  const iso = now.toISOString();
  const row = await db
    .selectFrom('digest_outbox')
    .select((eb) => [
      eb.fn
        .min(
          eb
            .case()
            .when(eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', iso)]))
            .then(eb.ref('next_attempt_at'))
            .end(),
        )
        .as('at'),
      eb.fn.sum<number>(eb.case().when('claimed_until', '>=', iso).then(1).else(0).end()).as('held'),
    ])
    .where('period', '=', period)
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return { at: (row.at as string | null) ?? null, held: Number(row.held ?? 0) };
}

/** Owners holding live leases on the period's pending rows. */
export async function claimOwners(db: Kysely<Database>, period: string, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('digest_outbox')
    .select('claimed_by')
    .distinct()
    .where('period', '=', period)
    .where('status', '=', 'pending')
    .where('claimed_until', '>=', now.toISOString())
    .execute();
  return rows.map((r) => r.claimed_by).filter((o): o is string => o !== null);
}

/** Frees rows leased by an owner known to be dead (a killed process on this host). */
export async function releaseOwner(db: Kysely<Database>, period: string, owner: string): Promise<number> {
  const r = await db
    .updateTable('digest_outbox')
    .set({ claimed_by: null, claimed_until: null })
    .where('period', '=', period)
    .where('status', '=', 'pending')
    .where('claimed_by', '=', owner)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function periodCounts(db: Kysely<Database>, period: string): Promise<Record<OutboxStatus, number>> {
  const rows = await db
    .selectFrom('digest_outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('period', '=', period)
    .groupBy('status')
    .execute();
  const out: Record<OutboxStatus, number> = { pending: 0, sent: 0, empty: 0, skipped: 0, failed: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** The latest feed day with featured papers strictly before `day` (the daily digest's day). */
export async function latestFeaturedDayBefore(db: Kysely<Database>, day: string): Promise<string | null> {
  const row = await db
    .selectFrom('featured')
    .select((eb) => eb.fn.max('day').as('d'))
    .where('day', '<', day)
    .executeTakeFirst();
  return row?.d ?? null;
}
