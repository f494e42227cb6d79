// Which days a digest covers, as pure functions of plain YYYY-MM-DD days (papers/dates.ts). A
// period's key names it in the outbox's unique (subscription, period): `daily:2026-08-21`,
// `weekly:2026-W34`.
import { addDays, type DayRange, formatDay, formatWeek, isoWeekOf, parseDay, parseIsoWeek } from '../papers/dates.js';

export const FREQUENCIES = ['daily', 'weekly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export interface Period {
  frequency: Frequency;
  key: string;
  range: DayRange;
  /** "Thursday, 21 August 2026" or "Week 34 of 2026 (17–23 August 2026)". */
  label: string;
}

/**
 * A daily scheduled run does not send days older than this: an instance that stopped ingesting for
 * weeks should not mail a stale day as news when it comes back.
 */
export const DAILY_LOOKBACK_DAYS = 7;

export class PeriodError extends Error {
  override name = 'PeriodError';
}

/** The period of a given day: that day (daily), or the ISO week (Monday to Sunday) holding it (weekly). */
export function periodOf(frequency: Frequency, day: string): Period {
  const parsed = parseDay(day);
  if (!parsed.ok) throw new PeriodError(parsed.error);
  if (frequency === 'daily') return { frequency, key: `daily:${day}`, range: { from: day, to: day }, label: formatDay(day) };
  const week = isoWeekOf(day);
  const range = (parseIsoWeek(week) as { ok: true; value: DayRange }).value;
  return { frequency, key: `weekly:${week}`, range, label: formatWeek(week, range) };
}

/**
 * What a scheduled run on `today` (a day in the instance's zone) covers. Daily: the latest day
 * with featured papers before today (Monday's run sends Friday's papers when nothing was featured
 * at the weekend), or null when there is none within DAILY_LOOKBACK_DAYS. Weekly: last ISO week.
 */
export function scheduledPeriod(frequency: Frequency, today: string, latestDayBeforeToday: string | null): Period | null {
  if (frequency === 'weekly') return periodOf('weekly', addDays(today, -7));
  if (!latestDayBeforeToday || latestDayBeforeToday >= today || latestDayBeforeToday < addDays(today, -DAILY_LOOKBACK_DAYS)) return null;
  return periodOf('daily', latestDayBeforeToday);
}

/** Weekly digests go out on Mondays (in the instance's zone). */
export const isWeeklyDay = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
