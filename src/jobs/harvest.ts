// The daily arXiv harvest as a job: a plain function (also behind `ingest arxiv` without dates)
// that harvests ARXIV_CATEGORIES from where the last successful harvest ended up to today.
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { arxivFetcher } from '../ingest/http.js';
import { harvest, type HarvestOptions, type HarvestSummary, setsForCategories } from '../ingest/oai-harvest.js';
import type { Logger } from '../log.js';
import { furthestReach } from '../store/harvests.js';
import type { Job } from './scheduler.js';
import { nextRun, type Schedule } from './schedule.js';

export const HARVEST_JOB = 'arxiv-harvest';
const DAY = 86_400_000;
/** After a failure (arXiv down), try again this much later rather than wait a whole day. */
const RETRY_AFTER_FAILURE_MS = 60 * 60_000;

const ymd = (d: Date) => d.toISOString().slice(0, 10);

/** A longer gap (an instance switched off for weeks) is left to a backfill: `ingest arxiv --from`. */
export const MAX_CATCH_UP_DAYS = 14;

/**
 * From the furthest day any completed harvest of each set reached (inclusive: OAI-PMH `from` is,
 * and the merge makes the overlap free), or yesterday for a set never harvested, to today (UTC,
 * the zone of OAI-PMH datestamps); never more than MAX_CATCH_UP_DAYS back.
 */
export async function harvestWindow(db: Kysely<Database>, categories: string[], now: Date): Promise<{ from: string; until: string }> {
  const until = ymd(now);
  let from = until;
  for (const set of setsForCategories(categories)) {
    const start = (await furthestReach(db, set)) ?? ymd(new Date(now.getTime() - DAY));
    if (start < from) from = start;
  }
  const floor = ymd(new Date(now.getTime() - MAX_CATCH_UP_DAYS * DAY));
  return { from: from < floor ? floor : from, until };
}

export interface HarvestRun extends HarvestSummary {
  from: string;
  until: string;
}

export async function runArxivHarvest(
  deps: { db: Kysely<Database>; config: Config; log?: Logger | undefined },
  extra: Partial<HarvestOptions> = {},
  now = new Date(),
): Promise<HarvestRun> {
  const { db, config, log } = deps;
  const window = await harvestWindow(db, config.arxivCategories, now);
  // Retries are debug lines: when arXiv is down the job's failure is the one line worth reading.
  const fetcher = arxivFetcher(config, (r) => log?.debug({ url: r.url, waitMs: r.waitMs }, `arXiv: ${r.reason}; retrying in ${Math.round(r.waitMs / 1000)} s`));
  const summary = await harvest(db, {
    baseUrl: config.arxivOaiUrl,
    categories: config.arxivCategories,
    ...window,
    fetcher,
    onNotice: (m) => log?.info(m),
    ...extra,
  });
  return { ...summary, ...window };
}

export function harvestJob(deps: { db: Kysely<Database>; config: Config; log?: Logger | undefined }, schedule: Schedule): Job {
  return {
    name: HARVEST_JOB,
    async run(signal) {
      const s = await runArxivHarvest(deps, { signal });
      return {
        from: s.from,
        until: s.until,
        pages: s.pages,
        records: s.records,
        new: s.new,
        updated: s.updated,
        withdrawn: s.withdrawn,
        problems: s.problems.length,
      };
    },
    next: (after) => nextRun(schedule, after),
    retry: (after) => {
      const soon = new Date(after.getTime() + RETRY_AFTER_FAILURE_MS);
      const regular = nextRun(schedule, after);
      return soon < regular ? soon : regular;
    },
    overdue: (row, now) => !row.last_success_at || now.getTime() - Date.parse(row.last_success_at) > DAY,
  };
}
