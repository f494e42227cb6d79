// Feed calendar arithmetic on plain YYYY-MM-DD strings: days, ISO 8601 weeks and months. Pure; a
// "day" is a calendar date in the instance's time zone (config.timezone), never an instant, so all
// arithmetic here is done at UTC midnight where no daylight-saving shift can move a date.

const DAY_MS = 86_400_000;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export interface DayRange {
  /** First day, inclusive. */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** `YYYY-MM-DD` that names a real calendar date (2025-02-30 does not). */
export function parseDay(input: string): Parsed<string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!m) return { ok: false, error: `'${input}' is not a date in the form YYYY-MM-DD, like 2025-01-31` };
  const ms = toUtc(input);
  if (Number.isNaN(ms) || fromUtc(ms) !== input) return { ok: false, error: `${input} is not a day of the calendar` };
  return { ok: true, value: input };
}

/**
 * ISO 8601 week-numbering year and week of a day: weeks start on Monday, and week 1 is the week
 * with the year's first Thursday (so 2024-12-30 is in 2025-W01, and 2021-01-03 in 2020-W53).
 */
export function isoWeekOf(day: string): string {
  const ms = toUtc(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  const thursday = ms + (3 - weekday) * DAY_MS; // the Thursday of this week decides its year
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of week 1: the Monday on or before January 4th (which is always in week 1). */
function week1Monday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
}

/** `YYYY-Www` (ISO 8601 week) -> its Monday..Sunday. A year has 52 or 53 weeks. */
export function parseIsoWeek(input: string): Parsed<DayRange> {
  const m = /^(\d{4})-W(\d{2})$/.exec(input);
  if (!m) return { ok: false, error: `'${input}' is not an ISO week in the form YYYY-Www, like 2025-W05` };
  const year = Number(m[1]);
  const week = Number(m[2]);
  const weeks = (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY_MS);
  if (week < 1 || week > weeks) return { ok: false, error: `${year} has weeks W01 to W${weeks}, not W${m[2]}` };
  const from = week1Monday(year) + (week - 1) * 7 * DAY_MS;
  return { ok: true, value: { from: fromUtc(from), to: fromUtc(from + 6 * DAY_MS) } };
}

/** `YYYY-MM` -> its first..last day. */
export function parseMonth(input: string): Parsed<DayRange> {
  const m = /^(\d{4})-(\d{2})$/.exec(input);
  if (!m) return { ok: false, error: `'${input}' is not a month in the form YYYY-MM, like 2025-01` };
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return { ok: false, error: `${input} has no month ${m[2]}: months are 01 to 12` };
  return { ok: true, value: { from: fromUtc(Date.UTC(year, month - 1, 1)), to: fromUtc(Date.UTC(year, month, 0)) } };
}

export const monthOf = (day: string) => day.slice(0, 7);

/** The calendar date of an instant in an IANA zone, e.g. 2025-01-03T03:00Z is 2025-01-02 in New York. */
export function dayInZone(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    // en-CA formats dates as YYYY-MM-DD.
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}

// Building a DateTimeFormat costs ~1 ms (it loads zone and locale data); formatting with one, ~1 µs.
const formats = new Map<string, Intl.DateTimeFormat>();

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** "Friday, 3 January 2025": for headings, without the locale surprises of toLocaleDateString. */
export function formatDay(day: string, withWeekday = true): string {
  const d = new Date(toUtc(day));
  const text = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  return withWeekday ? `${WEEKDAYS[d.getUTCDay()]}, ${text}` : text;
}

export function formatMonth(month: string): string {
  return `${MONTHS[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** "Week 2 of 2025 (6-12 January)". */
export function formatWeek(week: string, range: DayRange): string {
  const a = new Date(toUtc(range.from));
  const b = new Date(toUtc(range.to));
  const from = a.getUTCFullYear() !== b.getUTCFullYear() ? formatDay(range.from, false)
    : a.getUTCMonth() !== b.getUTCMonth() ? formatDay(range.from, false).replace(/ \d{4}$/, '')
    : `${a.getUTCDate()}`;
  return `Week ${Number(week.slice(6))} of ${week.slice(0, 4)} (${from}–${formatDay(range.to, false)})`;
}
