// When a daily job runs, as pure functions: `mon-fri 21:00 America/New_York` parsed, and the next
// run after a given instant computed in that zone (DST included) with nothing but Intl.

export interface Schedule {
  /** Days of the week it runs on, 0 = Sunday (as Date.getUTCDay). */
  days: number[];
  hour: number;
  minute: number;
  timeZone: string;
}

export class ScheduleError extends Error {
  override name = 'ScheduleError';
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * `off`, or `[DAYS] HH:MM [ZONE]`, where DAYS is `daily`, `weekdays`, a range `mon-fri` or a list
 * `mon,wed,fri` (default weekdays) and ZONE an IANA zone (default America/New_York, where arXiv
 * announces). Returns null for `off`.
 */
export function parseSchedule(input: string): Schedule | null {
  const s = input.trim();
  if (/^(off|none|disabled)$/i.test(s)) return null;
  const m = /^(?:([a-z,-]+)\s+)?(\d{1,2}):(\d{2})(?:\s+(\S+))?$/i.exec(s);
  if (!m) throw new ScheduleError(`'${input}' is not a schedule like 'mon-fri 21:00 America/New_York' or 'off'`);
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (hour > 23 || minute > 59) throw new ScheduleError(`'${m[2]}:${m[3]}' is not a time of day`);
  const timeZone = m[4] ?? 'America/New_York';
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ScheduleError(`'${timeZone}' is not an IANA time zone like America/New_York or UTC`);
  }
  return { days: parseDays(m[1]?.toLowerCase() ?? 'weekdays', input), hour, minute, timeZone };
}

function parseDays(spec: string, input: string): number[] {
  if (spec === 'daily') return [0, 1, 2, 3, 4, 5, 6];
  if (spec === 'weekdays') return [1, 2, 3, 4, 5];
  const day = (name: string) => {
    const i = DAY_NAMES.indexOf(name);
    if (i < 0) throw new ScheduleError(`'${name}' in '${input}' is not a day (sun, mon, ... sat)`);
    return i;
  };
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const [a, b] = part.split('-');
    if (b === undefined) {
      days.add(day(a!));
      continue;
    }
    for (let i = day(a!), end = day(b), n = 0; n < 7; i = (i + 1) % 7, n++) {
      days.add(i);
      if (i === end) break;
    }
  }
  return [...days].sort();
}

/** The first run strictly after `after`. */
export function nextRun(s: Schedule, after: Date): Date {
  const local = zonedParts(after, s.timeZone);
  for (let d = 0; d <= 8; d++) {
    // Calendar arithmetic on the local date, via UTC to stay clear of the zone's own DST jumps.
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + d));
    if (!s.days.includes(day.getUTCDay())) continue;
    const at = zonedTimeToUtc(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), s.hour, s.minute, s.timeZone);
    if (at > after) return at;
  }
  throw new ScheduleError('schedule has no day of the week'); // unreachable: parseDays never returns []
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function zonedParts(at: Date, timeZone: string): Parts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { year: +p.year!, month: +p.month!, day: +p.day!, hour: +p.hour!, minute: +p.minute!, second: +p.second! };
}

/** The zone's offset from UTC at an instant, in ms (New York in winter: -5 h). */
function offsetAt(at: number, timeZone: string): number {
  const p = zonedParts(new Date(at), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

/**
 * The instant a wall-clock time occurs in a zone. In the hour a DST change skips, the time is
 * taken with the offset from before the change (02:30 on a spring-forward day runs at 03:30).
 */
export function zonedTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const first = wall - offsetAt(wall, timeZone);
  const second = wall - offsetAt(first, timeZone);
  const shows = (at: number) => {
    const p = zonedParts(new Date(at), timeZone);
    return p.hour === hour && p.minute === minute && p.day === day;
  };
  if (shows(first)) return new Date(first);
  if (shows(second)) return new Date(second);
  return new Date(Math.max(first, second)); // a skipped wall time: the later reading
}
