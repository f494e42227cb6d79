// When arXiv announces a submission, from what a harvest stores: the time a version was submitted
// (arXivRaw's <version><date>, the Kaggle snapshot's versions[].created), or, for a source that
// only knows the day a paper was listed (the sample's `_listed_on`, a date-only `update_date`),
// that day. Pure; decision 0035 says why and what it leaves out (arXiv's holidays).
//
// arXiv's schedule, in US Eastern time: a batch of submissions closes at 14:00 each weekday and
// is announced at 20:00 that evening, except Friday's, which is announced on Sunday evening:
//   received Mon 14:00 .. Tue 14:00  -> announced Tue 20:00, listed as Wednesday
//   received Tue 14:00 .. Wed 14:00  -> announced Wed 20:00, listed as Thursday
//   received Wed 14:00 .. Thu 14:00  -> announced Thu 20:00, listed as Friday
//   received Thu 14:00 .. Fri 14:00  -> announced Sun 20:00, listed as Monday
//   received Fri 14:00 .. Mon 14:00  -> announced Mon 20:00, listed as Tuesday
// The listing date (the one arXiv prints on /list/cs.LG/new) is the UTC date of the announcement
// (20:00 Eastern is 00:00 or 01:00 UTC the next day), so in the default TIMEZONE, UTC, an
// announcement day is arXiv's own listing date.

const ARXIV_ZONE = 'America/New_York';
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const zoneParts = formatterFor(ARXIV_ZONE);

/** The wall-clock fields of an instant in a zone, as if that wall clock were UTC (ms). */
function wallClock(ms: number, f: Intl.DateTimeFormat): number {
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The instant at which the wall clock of `f`'s zone shows `wall` (ms, wall clock read as UTC). */
function instantOf(wall: number, f: Intl.DateTimeFormat): number {
  // Two rounds of "guess, measure the zone's offset there, correct" settle on either side of a
  // daylight-saving change; at a skipped hour the later instant is taken.
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (wallClock(guess, f) - guess);
  return guess;
}

/** The instant the given day starts in a zone (00:00 local), as ms since the epoch. */
export function dayStartInZone(day: string, timeZone: string): number {
  return instantOf(Date.parse(`${day}T00:00:00Z`), formatterFor(timeZone));
}

/** The instants [from, to) a day of a zone covers, as ISO strings: what a range query on stored instants needs. */
export function dayBoundsInZone(day: string, timeZone: string): { from: string; to: string } {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
  return { from: new Date(dayStartInZone(day, timeZone)).toISOString(), to: new Date(dayStartInZone(next, timeZone)).toISOString() };
}

/** A stored date-only value: importers store a day as its UTC midnight (ingest/fields.ts isoDate). */
const isDateOnly = (iso: string) => iso.endsWith('T00:00:00.000Z');

/** 20:00 Eastern on the given Eastern calendar day (ms of that day's UTC midnight). */
const eveningOf = (easternDayMs: number) => instantOf(easternDayMs + 20 * 3_600_000, zoneParts);

/**
 * The instant arXiv announces (announced) a version submitted at `submitted` (ISO 8601); for a
 * date-only value, the announcement that lists it on that day. Null for an unreadable value.
 */
export function announcementOf(submitted: string | null): string | null {
  if (!submitted) return null;
  const ms = Date.parse(submitted);
  if (Number.isNaN(ms)) return null;
  if (isDateOnly(submitted)) {
    // Listed on day D: announced at 20:00 Eastern the evening before.
    return new Date(eveningOf(ms - DAY_MS)).toISOString();
  }
  const wall = wallClock(ms, zoneParts); // Eastern wall clock, read as UTC
  let day = wall - (wall % DAY_MS); // Eastern calendar day, at its UTC midnight
  const afterCutoff = wall - day >= 14 * 3_600_000;
  let weekday = new Date(day).getUTCDay(); // 0 Sunday .. 6 Saturday
  // The batch a submission joins closes at the next weekday 14:00.
  if (afterCutoff || weekday === 0 || weekday === 6) {
    do {
      day += DAY_MS;
      weekday = new Date(day).getUTCDay();
    } while (weekday === 0 || weekday === 6);
  }
  // Friday's batch is announced on Sunday evening; the others the evening their batch closes.
  const announceDay = weekday === 5 ? day + 2 * DAY_MS : day;
  return new Date(eveningOf(announceDay)).toISOString();
}

/**
 * When arXiv announced a paper (its first version) and, when the latest version is a replacement
 * (v2 or later, announced after v1), that replacement. From the stored versions' dates: a Kaggle
 * record's date-only `update_date` counts as the latest version's date (ingest/kaggle.ts), so an
 * imported paper whose metadata alone changed may show as replaced on that day.
 */
export function announcements(p: { version: number | null; publishedAt: string | null; updatedAt: string | null }): {
  announcedAt: string | null;
  replacedAt: string | null;
} {
  const announcedAt = announcementOf(p.publishedAt);
  if ((p.version ?? 1) < 2 || !p.updatedAt || p.updatedAt === p.publishedAt) return { announcedAt, replacedAt: null };
  const replaced = announcementOf(p.updatedAt);
  return { announcedAt, replacedAt: replaced !== null && replaced !== announcedAt ? replaced : null };
}
