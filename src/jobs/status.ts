// What the status page and /readyz say about ingestion: the harvest job's schedule and outcome.
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { getJob } from '../store/jobs.js';
import { HARVEST_JOB } from './harvest.js';

export interface HarvestState {
  /** False when serve has never scheduled it (ARXIV_SCHEDULE=off, or never started). */
  scheduled: boolean;
  running: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastOutcome: string | null;
  lastSuccessAt: string | null;
  lastError: string | null;
  lastDetails: Record<string, unknown> | null;
}

export async function harvestState(db: Kysely<Database>, now = new Date()): Promise<HarvestState> {
  const row = await getJob(db, HARVEST_JOB);
  return {
    scheduled: row !== null,
    running: row?.locked_until ? row.locked_until > now.toISOString() : false,
    nextRunAt: row?.next_run_at ?? null,
    lastRunAt: row?.last_started_at ?? null,
    lastOutcome: row?.last_outcome ?? null,
    lastSuccessAt: row?.last_success_at ?? null,
    lastError: row?.last_outcome === 'error' ? row.last_error : null,
    lastDetails: row?.last_details ? (JSON.parse(row.last_details) as Record<string, unknown>) : null,
  };
}
