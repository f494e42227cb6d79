// Property tests of the one parser of day, week and month parameters (dates.ts) against an oracle
// written independently of it: calendar arithmetic by hand (days since 0000-03-01, after Howard
// Hinnant's civil-date algorithms), no Date object, no regular expression. Random strings and
// near-misses (wrong digit counts, month 13, 31 April, 29 February of common years, week 53 of a
// 52-week year, years 0000 to 0099 that JavaScript reads as 19xx) must be refused, never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatDay,
  formatMonth,
  formatWeek,
  isoWeekOf,
  MAX_YEAR,
  MIN_YEAR,
  monthOf,
  parseDay,
  parseIsoWeek,
  parseMonth,
  parsePeriod,
  type PeriodKind,
} from './dates.js';

// ---- the oracle ----

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/** Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civil(n: number): [number, number, number] {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? era * 400 + yoe + 1 : era * 400 + yoe, m, d];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const show = (n: number) => {
  const [y, m, d] = civil(n);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
};
/** 1970-01-01 was a Thursday; Monday is 0. */
const weekday = (n: number) => (((n + 3) % 7) + 7) % 7;
/** ISO 8601: a year has 53 weeks when it starts on a Thursday, or is a leap year starting on a Wednesday. */
const weeksIn = (y: number) => {
  const jan1 = weekday(dayNumber(y, 1, 1));
  return jan1 === 3 || (jan1 === 2 && isLeap(y)) ? 53 : 52;
};
const week1Monday = (y: number) => {
  const jan4 = dayNumber(y, 1, 4);
  return jan4 - weekday(jan4);
};

/** Digits at the given positions, '-' at the others, 'W' where asked; the number at each digit run. */
function fields(s: string, shape: string): number[] | null {
  if (s.length !== shape.length) return null;
  const out: number[] = [];
  let run = '';
  for (let i = 0; i <= shape.length; i++) {
    const want = shape[i];
    if (want === 'd') {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) return null;
      run += s[i];
      continue;
    }
    if (run) out.push(Number(run));
    run = '';
    if (want !== undefined && s[i] !== want) return null;
  }
  return out;
}

const LAST = dayNumber(MAX_YEAR, 12, 31);
const inYears = (y: number) => y >= 1991 && y <= 9999;

function oracle(kind: PeriodKind, s: string): { from: string; to: string } | null {
  if (kind === 'day') {
    const f = fields(s, 'dddd-dd-dd');
    if (!f) return null;
    const [y, m, d] = f as [number, number, number];
    if (!inYears(y) || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return null;
    return { from: s, to: s };
  }
  if (kind === 'week') {
    const f = fields(s, 'dddd-Wdd');
    if (!f) return null;
    const [y, w] = f as [number, number];
    if (!inYears(y) || w < 1 || w > weeksIn(y)) return null;
    const from = week1Monday(y) + 7 * (w - 1);
    return { from: show(from), to: show(Math.min(from + 6, LAST)) };
  }
  const f = fields(s, 'dddd-dd');
  if (!f) return null;
  const [y, m] = f as [number, number];
  if (!inYears(y) || m < 1 || m > 12) return null;
  return { from: `${pad(y, 4)}-${pad(m, 2)}-01`, to: `${pad(y, 4)}-${pad(m, 2)}-${pad(daysIn(y, m), 2)}` };
}

// ---- inputs ----

const KINDS: PeriodKind[] = ['day', 'week', 'month'];
const FORM: Record<PeriodKind, string> = { day: 'YYYY-MM-DD', week: 'YYYY-Www', month: 'YYYY-MM' };

/** A number written with too few, the right or too many digits. */
const digits = (max: number, width: number) =>
  fc
    .tuple(fc.integer({ min: 0, max }), fc.integer({ min: width - 2, max: width + 1 }), fc.nat(9))
    .map(([n, w, odd]) => (odd === 0 ? String(n) : pad(n, Math.max(w, 1))));

const sep = fc.constantFrom('-', '-', '-', '-', '/', '', ' ', '.', '–', '--');
const edge = fc.constantFrom('', ' ', '\n', 'W', 'w', 'x', '\u0660', '+', '-');
const years = fc.oneof(
  digits(9999, 4),
  fc.integer({ min: 0, max: 99 }).map((y) => pad(y, 4)), // read as 19xx by Date.UTC
  fc.integer({ min: 0, max: 99 }).map((y) => pad(y, 2)),
  fc.constantFrom('1990', '1991', '2000', '2024', '2025', '2026', '2100', '9998', '9999', '10000', '-001'),
);

const nearDay = fc.tuple(years, sep, digits(13, 2), sep, digits(32, 2)).map(([y, a, m, b, d]) => `${y}${a}${m}${b}${d}`);
const nearWeek = fc.tuple(years, sep, fc.constantFrom('W', 'W', 'W', 'w', ''), digits(54, 2)).map(([y, a, w, n]) => `${y}${a}${w}${n}`);
const nearMonth = fc.tuple(years, sep, digits(13, 2)).map(([y, a, m]) => `${y}${a}${m}`);
const decorated = (a: fc.Arbitrary<string>) => fc.tuple(edge, a, edge, fc.nat(3)).map(([p, s, q, n]) => (n === 0 ? `${p}${s}${q}` : s));

const NAMED = [
  '2025-04-31',
  '2025-06-31',
  '2025-02-29',
  '2100-02-29',
  '1900-02-29',
  '2024-02-29',
  '2000-02-29',
  '2025-13-01',
  '2025-00-10',
  '2025-01-00',
  '2025-01-32',
  '0050-01-01',
  '0000-01-01',
  '0099-12-31',
  '0001-01-01',
  '1990-12-31',
  '1991-01-01',
  '9999-12-31',
  '2025-W53',
  '2026-W53',
  '2020-W53',
  '2025-W00',
  '2015-W53',
  '0050-W01',
  '9999-W52',
  '9999-W53',
  '1991-W01',
  '2025-13',
  '2025-00',
  '0099-12',
  '1991-01',
  '9999-12',
  '25-01-31',
  '2025-1-31',
  '2025-01-1',
  '20250131',
  '2025-W5',
  '2025W05',
  '２０２５-01-31',
  '2025-01-31T00:00:00Z',
  ' 2025-01-31',
  '2025-01-31\n',
  '2025-01',
  '+02025-01-31',
];

const anyInput = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom(...NAMED),
  decorated(nearDay),
  decorated(nearWeek),
  decorated(nearMonth),
);

const RUNS = { numRuns: 3000 };

describe('the period parser against an oracle', () => {
  it('never throws, and accepts exactly the valid days, weeks and months, with their ranges', () => {
    fc.assert(
      fc.property(anyInput, fc.constantFrom(...KINDS), (s, kind) => {
        const got = parsePeriod(kind, s);
        const want = oracle(kind, s);
        if (want) {
          expect(got).toEqual({ ok: true, value: want });
        } else {
          expect(got.ok).toBe(false);
          if (!got.ok) {
            expect(got.error).toContain(FORM[kind]);
            expect(got.error).toContain(`in the years ${MIN_YEAR} to ${MAX_YEAR}`);
            expect(got.error.length).toBeLessThan(200);
          }
        }
      }),
      RUNS,
    );
  });

  it('the per-kind parsers agree with parsePeriod', () => {
    fc.assert(
      fc.property(anyInput, (s) => {
        const day = parseDay(s);
        expect(day.ok ? { ok: true, value: { from: day.value, to: day.value } } : day).toEqual(parsePeriod('day', s));
        expect(parseIsoWeek(s)).toEqual(parsePeriod('week', s));
        expect(parseMonth(s)).toEqual(parsePeriod('month', s));
      }),
      RUNS,
    );
  });

  it('refuses the named near-misses and takes the named edges', () => {
    const ok = (kind: PeriodKind, s: string) => parsePeriod(kind, s).ok;
    for (const s of ['2025-04-31', '2025-02-29', '2100-02-29', '0050-01-01', '0000-01-01', '0099-12-31', '1990-12-31', '25-01-31'])
      expect(ok('day', s), s).toBe(false);
    for (const s of ['2024-02-29', '2000-02-29', '1991-01-01', '9999-12-31']) expect(ok('day', s), s).toBe(true);
    for (const s of ['2025-W53', '2015-W52', '0050-W01', '9999-W53']) expect(ok('week', s), s).toBe(s === '2015-W52');
    expect(parseIsoWeek('2015-W53').ok).toBe(true); // 2015 began on a Thursday
    expect(parseIsoWeek('9999-W52')).toEqual({ ok: true, value: { from: '9999-12-27', to: '9999-12-31' } });
    for (const s of ['2025-13', '0099-12', '1990-12']) expect(ok('month', s), s).toBe(false);
  });
});

describe('round trips through formatting', () => {
  const anyDay = fc.integer({ min: dayNumber(MIN_YEAR, 1, 1), max: LAST }).map(show);

  it('every supported day parses to itself, and its week and month contain it', () => {
    fc.assert(
      fc.property(anyDay, (d) => {
        expect(parseDay(d)).toEqual({ ok: true, value: d });
        const week = parseIsoWeek(isoWeekOf(d));
        const month = parseMonth(monthOf(d));
        if (!week.ok || !month.ok) throw new Error(`${d}: ${isoWeekOf(d)} or ${monthOf(d)} does not parse`);
        expect(d >= week.value.from && d <= week.value.to).toBe(true);
        expect(d >= month.value.from && d <= month.value.to).toBe(true);
        expect(formatDay(d)).toContain(String(Number(d.slice(0, 4))));
      }),
      RUNS,
    );
  });

  it('a valid week or month is named again by its first day, and formats', () => {
    fc.assert(
      fc.property(anyDay, (d) => {
        const w = isoWeekOf(d);
        const week = parseIsoWeek(w);
        if (!week.ok) throw new Error(week.error);
        expect(isoWeekOf(week.value.from)).toBe(w);
        expect(formatWeek(w, week.value)).toMatch(/^Week \d+ of \d{4} \(/);
        const m = monthOf(d);
        const month = parseMonth(m);
        if (!month.ok) throw new Error(month.error);
        expect(monthOf(month.value.from)).toBe(m);
        expect(monthOf(month.value.to)).toBe(m);
        expect(formatMonth(m)).toMatch(/^[A-Z][a-z]+ \d{4}$/);
      }),
      RUNS,
    );
  });
});
