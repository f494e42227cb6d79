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

/**
 * The years a day, week or month parameter may name. arXiv's first paper is from August 1991, so
 * nothing here is older; the floor also keeps every year clear of JavaScript's habit of reading
 * years 0 to 99 as 1900 to 1999 (Date.UTC, new Date(y, m)). YYYY has four digits, hence 9999.
 */
export const MIN_YEAR = 1991;
export const MAX_YEAR = 9999;
const LAST_DAY = `${MAX_YEAR}-12-31`;
const YEARS = `in the years ${MIN_YEAR} to ${MAX_YEAR}`;

/** The accepted forms, as every error message states them. */
export const FORMS = {
  day: `a date in the form YYYY-MM-DD, like 2025-01-31, ${YEARS}`,
  week: `an ISO week in the form YYYY-Www, like 2025-W05, ${YEARS}`,
  month: `a month in the form YYYY-MM, like 2025-01, ${YEARS}`,
} as const;

const toUtc = (day: string) => Date.parse(`${day}T00:00:00Z`);
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Date.UTC without its reading of years 0 to 99 as 1900 to 1999. */
function utc(year: number, monthIndex: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  return d.getTime();
}

/** The input as echoed in an error: quoted, and cut short so a long parameter stays out of the answer. */
const quoted = (input: string) => `'${input.length > 40 ? `${input.slice(0, 40)}…` : input}'`;

const inYears = (year: number) => year >= MIN_YEAR && year <= MAX_YEAR;

export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * DAY_MS);
}

/** `YYYY-MM-DD` that names a real calendar date (2025-02-30 does not) from MIN_YEAR to MAX_YEAR. */
export function parseDay(input: string): Parsed<string> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(input);
  if (!m) return { ok: false, error: `${quoted(input)} is not ${FORMS.day}` };
  if (!inYears(Number(m[1]))) return { ok: false, error: `${input} is out of range; expected ${FORMS.day}` };
  const ms = toUtc(input);
  if (Number.isNaN(ms) || fromUtc(ms) !== input) return { ok: false, error: `${input} is not a day of the calendar; expected ${FORMS.day}` };
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
  const week = Math.floor((thursday - utc(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Monday of week 1: the Monday on or before January 4th (which is always in week 1). */
function week1Monday(year: number): number {
  const jan4 = utc(year, 0, 4);
  return jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
}

/**
 * `YYYY-Www` (ISO 8601 week) -> its Monday..Sunday. A year has 52 or 53 weeks. 9999's last week
 * ends in the year 10000, which YYYY-MM-DD cannot name: its range stops at 9999-12-31.
 */
export function parseIsoWeek(input: string): Parsed<DayRange> {
  const m = /^(\d{4})-W(\d{2})$/.exec(input);
  if (!m) return { ok: false, error: `${quoted(input)} is not ${FORMS.week}` };
  const year = Number(m[1]);
  if (!inYears(year)) return { ok: false, error: `${input} is out of range; expected ${FORMS.week}` };
  const week = Number(m[2]);
  const weeks = (week1Monday(year + 1) - week1Monday(year)) / (7 * DAY_MS);
  if (week < 1 || week > weeks) return { ok: false, error: `${year} has weeks W01 to W${weeks}, not W${m[2]}; expected ${FORMS.week}` };
  const from = week1Monday(year) + (week - 1) * 7 * DAY_MS;
  return { ok: true, value: { from: fromUtc(from), to: fromUtc(Math.min(from + 6 * DAY_MS, toUtc(LAST_DAY))) } };
}

/** `YYYY-MM` -> its first..last day. */
export function parseMonth(input: string): Parsed<DayRange> {
  const m = /^(\d{4})-(\d{2})$/.exec(input);
  if (!m) return { ok: false, error: `${quoted(input)} is not ${FORMS.month}` };
  const year = Number(m[1]);
  if (!inYears(year)) return { ok: false, error: `${input} is out of range; expected ${FORMS.month}` };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return { ok: false, error: `${input} has no month ${m[2]}: months are 01 to 12; expected ${FORMS.month}` };
  return { ok: true, value: { from: fromUtc(utc(year, month - 1, 1)), to: fromUtc(utc(year, month, 0)) } };
}

export type PeriodKind = 'day' | 'week' | 'month';

/** The one parser of every day, week and month parameter (pages, feeds, API, CLI): its first..last day. */
export function parsePeriod(kind: PeriodKind, input: string): Parsed<DayRange> {
  if (kind === 'week') return parseIsoWeek(input);
  if (kind === 'month') return parseMonth(input);
  const day = parseDay(input);
  return day.ok ? { ok: true, value: { from: day.value, to: day.value } } : day;
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
  const from =
    a.getUTCFullYear() !== b.getUTCFullYear()
      ? formatDay(range.from, false)
      : a.getUTCMonth() !== b.getUTCMonth()
        ? formatDay(range.from, false).replace(/ \d{4}$/, '')
        : `${a.getUTCDate()}`;
  return `Week ${Number(week.slice(6))} of ${week.slice(0, 4)} (${from}–${formatDay(range.to, false)})`;
}
