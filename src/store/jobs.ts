// The schedule table: one row per periodic job. The row is the queue (STYLE.md §10): an instance
// runs a job only after winning a conditional UPDATE that takes a time-limited lease, so two
// instances on one database never run it together, and a crashed one's lease simply runs out.
import type { Kysely, Selectable } from 'kysely';
import type { Database, JobsTable } from '../db/schema.js';

export type JobRow = Selectable<JobsTable>;

/** Creates the job's row on first start; an existing row (its schedule and history) is kept. */
export async function ensureJob(db: Kysely<Database>, name: string, nextRunAt: Date): Promise<void> {
  await db
    .insertInto('jobs')
    .values({ name, next_run_at: nextRunAt.toISOString(), updated_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
}

export async function getJob(db: Kysely<Database>, name: string): Promise<JobRow | null> {
  return (await db.selectFrom('jobs').selectAll().where('name', '=', name).executeTakeFirst()) ?? null;
}

export async function listJobs(db: Kysely<Database>): Promise<JobRow[]> {
  return db.selectFrom('jobs').selectAll().orderBy('name').execute();
}

/** Moves the next run earlier (never later), e.g. to now when the last success is too old. */
export async function runNoLaterThan(db: Kysely<Database>, name: string, at: Date): Promise<void> {
  const iso = at.toISOString();
  await db
    .updateTable('jobs')
    .set({ next_run_at: iso, updated_at: new Date().toISOString() })
    .where('name', '=', name)
    .where('next_run_at', '>', iso)
    .execute();
}

/**
 * Takes the lease if the job is due and nobody holds a live lease: true if this caller won.
 * One UPDATE with the whole condition in its WHERE: atomic on SQLite (one writer) and on
 * PostgreSQL (a concurrent UPDATE re-checks the WHERE after the first commits, READ COMMITTED).
 */
export async function claimJob(db: Kysely<Database>, name: string, owner: string, now: Date, leaseMs: number): Promise<boolean> {
  const iso = now.toISOString();
  const r = await db
    .updateTable('jobs')
    .set({ locked_by: owner, locked_until: new Date(now.getTime() + leaseMs).toISOString(), last_started_at: iso, updated_at: iso })
    .where('name', '=', name)
    .where('next_run_at', '<=', iso)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', iso)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Keeps a long run's lease alive; false if the lease was lost (it ran out and another took it). */
export async function extendLease(db: Kysely<Database>, name: string, owner: string, until: Date): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ locked_until: until.toISOString() }).where('name', '=', name).where('locked_by', '=', owner).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface JobResult {
  outcome: 'ok' | 'error';
  error?: string | null;
  details?: Record<string, unknown>;
  nextRunAt: Date;
}

/** Records a run's outcome and next time, and releases the lease. */
export async function finishJob(db: Kysely<Database>, name: string, owner: string, r: JobResult): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('jobs')
    .set({
      locked_by: null,
      locked_until: null,
      last_finished_at: now,
      last_outcome: r.outcome,
      last_error: r.outcome === 'error' ? (r.error ?? 'unknown error') : null,
      last_details: r.details ? JSON.stringify(r.details) : null,
      next_run_at: r.nextRunAt.toISOString(),
      updated_at: now,
      ...(r.outcome === 'ok' ? { last_success_at: now } : {}),
    })
    .where('name', '=', name)
    .where('locked_by', '=', owner)
    .execute();
}

/** Gives the lease back without a result (shutdown mid-run): the job stays due. */
export async function releaseJob(db: Kysely<Database>, name: string, owner: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ locked_by: null, locked_until: null, updated_at: new Date().toISOString() })
    .where('name', '=', name)
    .where('locked_by', '=', owner)
    .execute();
}
