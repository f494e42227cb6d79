// The harvests aggregate: where each OAI-PMH harvest stands. The position is written in the same
// transaction as the page's records (see ingest/oai-harvest.ts), so it never runs ahead of them.
import type { Kysely, Selectable } from 'kysely';
import type { Database, HarvestsTable } from '../db/schema.js';

export type HarvestRow = Selectable<HarvestsTable>;
export type HarvestStatus = 'running' | 'done' | 'failed';

export function harvestKey(prefix: string, set: string, from: string | null, until: string | null): string {
  return `${prefix}:${set}:${from ?? ''}:${until ?? ''}`;
}

export async function getHarvest(db: Kysely<Database>, key: string): Promise<HarvestRow | null> {
  return (await db.selectFrom('harvests').selectAll().where('key', '=', key).executeTakeFirst()) ?? null;
}

/** Starts (or restarts from scratch) the harvest of a window: no token, counters at zero. */
export async function beginHarvest(db: Kysely<Database>, h: { key: string; set: string; from: string | null; until: string | null }): Promise<HarvestRow> {
  const now = new Date().toISOString();
  const row: HarvestRow = {
    key: h.key,
    set_spec: h.set,
    from_date: h.from,
    until_date: h.until,
    status: 'running',
    token: null,
    last_datestamp: null,
    records: 0,
    pages: 0,
    error: null,
    started_at: now,
    updated_at: now,
    finished_at: null,
  };
  await db
    .insertInto('harvests')
    .values(row)
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        status: 'running',
        token: null,
        last_datestamp: null,
        records: 0,
        pages: 0,
        error: null,
        started_at: now,
        updated_at: now,
        finished_at: null,
      }),
    )
    .execute();
  return row;
}

/** Marks a harvest as running again (a resume), clearing the last error. */
export async function resumeHarvest(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('harvests').set({ status: 'running', error: null, updated_at: new Date().toISOString() }).where('key', '=', key).execute();
}

/** Records one stored page: the next token (null when the list is complete) and the counters. */
export async function savePagePosition(
  db: Kysely<Database>,
  key: string,
  p: { token: string | null; lastDatestamp: string | null; records: number; done: boolean },
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('harvests')
    .set((eb) => ({
      token: p.token,
      last_datestamp: p.lastDatestamp,
      records: eb('records', '+', p.records),
      pages: eb('pages', '+', 1),
      status: p.done ? 'done' : 'running',
      finished_at: p.done ? now : null,
      updated_at: now,
    }))
    .where('key', '=', key)
    .execute();
}

/** A lost token (badResumptionToken): drop it; the harvest goes on from its last datestamp. */
export async function dropToken(db: Kysely<Database>, key: string): Promise<void> {
  await db.updateTable('harvests').set({ token: null, updated_at: new Date().toISOString() }).where('key', '=', key).execute();
}

export async function finishHarvest(db: Kysely<Database>, key: string, status: HarvestStatus, error: string | null = null): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable('harvests')
    .set({ status, error, updated_at: now, finished_at: status === 'running' ? null : now })
    .where('key', '=', key)
    .execute();
}

/** The last day a completed harvest of the set reached (its `until`, else its last datestamp). */
export async function furthestReach(db: Kysely<Database>, set: string): Promise<string | null> {
  const row = await db
    .selectFrom('harvests')
    .select((eb) => eb.fn.max(eb.fn.coalesce('until_date', 'last_datestamp')).as('reached'))
    .where('set_spec', '=', set)
    .where('status', '=', 'done')
    .executeTakeFirst();
  return row?.reached ?? null;
}

export async function recentHarvests(db: Kysely<Database>, limit = 20): Promise<HarvestRow[]> {
  return db.selectFrom('harvests').selectAll().orderBy('updated_at', 'desc').limit(limit).execute();
}
