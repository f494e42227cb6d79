// The digest run as a scheduled job (jobs/scheduler.ts): at DIGEST_SCHEDULE (weekdays 07:00 New
// York by default) the daily digests, and on Mondays (in the schedule's zone) the weekly ones too.
// The same sendDigests is behind `digest send`; a repeated run sends nothing twice.
import type { Recommender } from '../recommend/index.js';
import { type Config, ConfigError } from '../config.js';
import type { Db } from '../db/connect.js';
import { nextRun, parseSchedule, type Schedule, ScheduleError } from '../jobs/schedule.js';
import type { Job } from '../jobs/scheduler.js';
import type { Logger } from '../log.js';
import type { Mailer } from '../mailer.js';
import { dayInZone } from '../papers/dates.js';
import type { SearchService } from '../search/index.js';
import { isWeeklyDay } from './period.js';
import { sendDigests, type SendSummary } from './send.js';

export const DIGEST_JOB = 'digests';
/** After a failed run (database or mail server down), try again this much later. */
const RETRY_AFTER_FAILURE_MS = 15 * 60_000;

export interface DigestJobDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
  log?: Logger | undefined;
  search?: Pick<SearchService, 'similar' | 'search'> | undefined;
  recommender?: Pick<Recommender, 'forYou'> | undefined;
}

/** One scheduled run: daily, and weekly on Mondays. */
export async function runScheduledDigests(
  deps: DigestJobDeps,
  schedule: Schedule,
  now = new Date(),
  signal?: AbortSignal,
): Promise<Record<string, SendSummary>> {
  const config = { ...deps.config, timezone: schedule.timeZone };
  // A clock that starts at `now` and runs on (retries wait on it).
  const offset = now.getTime() - Date.now();
  const clock = () => new Date(Date.now() + offset);
  const out: Record<string, SendSummary> = {};
  out.daily = await sendDigests({ ...deps, config }, { frequency: 'daily', now: clock, signal });
  if (isWeeklyDay(dayInZone(now, schedule.timeZone))) out.weekly = await sendDigests({ ...deps, config }, { frequency: 'weekly', now: clock, signal });
  return out;
}

export function digestJob(deps: DigestJobDeps, schedule: Schedule): Job {
  return {
    name: DIGEST_JOB,
    async run(signal) {
      const r = await runScheduledDigests(deps, schedule, new Date(), signal);
      return Object.fromEntries(
        Object.entries(r).map(([k, s]) => [k, { period: s.period, reason: s.reason, sent: s.sent, empty: s.empty, failed: s.failed, left: s.left }]),
      );
    },
    next: (after) => nextRun(schedule, after),
    retry: (after) => {
      const soon = new Date(after.getTime() + RETRY_AFTER_FAILURE_MS);
      const regular = nextRun(schedule, after);
      return soon < regular ? soon : regular;
    },
  };
}

/** DIGEST_SCHEDULE parsed (null for `off`), its mistakes reported as configuration errors. */
export function parseDigestSchedule(value: string): Schedule | null {
  try {
    return parseSchedule(value);
  } catch (e) {
    if (e instanceof ScheduleError) throw new ConfigError(`DIGEST_SCHEDULE: ${e.message}`);
    throw e;
  }
}
