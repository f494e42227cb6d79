import { describe, expect, it } from 'vitest';
import { addDays, dayInZone, formatDay, formatWeek, isoWeekOf, parseDay, parseIsoWeek, parseMonth } from './dates.js';

describe('days', () => {
  it('accepts real dates only', () => {
    expect(parseDay('2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseDay('2025-02-29')).toEqual({
      ok: false,
      error: '2025-02-29 is not a day of the calendar; expected a date in the form YYYY-MM-DD, like 2025-01-31, in the years 1991 to 9999',
    });
    expect(parseDay('2025-13-01').ok).toBe(false);
    expect(parseDay('2025-1-01')).toMatchObject({ ok: false, error: expect.stringContaining('YYYY-MM-DD') });
  });
  it('adds days across months, years and DST changes', () => {
    expect(addDays('2025-03-08', 1)).toBe('2025-03-09');
    expect(addDays('2025-03-09', 1)).toBe('2025-03-10'); // US DST starts 2025-03-09
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });
  it('finds the day of an instant in a zone', () => {
    expect(dayInZone(new Date('2025-01-03T03:00:00Z'), 'America/New_York')).toBe('2025-01-02');
    expect(dayInZone(new Date('2025-01-03T03:00:00Z'), 'UTC')).toBe('2025-01-03');
    expect(dayInZone(new Date('2025-01-02T20:00:00Z'), 'Asia/Tokyo')).toBe('2025-01-03');
  });
  it('formats headings', () => {
    expect(formatDay('2025-01-03')).toBe('Friday, 3 January 2025');
  });
});

describe('ISO weeks', () => {
  it('numbers weeks by the Thursday rule', () => {
    expect(isoWeekOf('2024-12-30')).toBe('2025-W01'); // Monday; its Thursday is 2025-01-02
    expect(isoWeekOf('2021-01-03')).toBe('2020-W53'); // Sunday; 2020 has 53 weeks
    expect(isoWeekOf('2025-01-05')).toBe('2025-W01');
    expect(isoWeekOf('2025-01-06')).toBe('2025-W02');
    expect(isoWeekOf('2026-12-31')).toBe('2026-W53'); // Thursday; 2026 starts on a Thursday
  });
  it('turns a week into Monday..Sunday', () => {
    expect(parseIsoWeek('2025-W01')).toEqual({ ok: true, value: { from: '2024-12-30', to: '2025-01-05' } });
    expect(parseIsoWeek('2020-W53')).toEqual({ ok: true, value: { from: '2020-12-28', to: '2021-01-03' } });
    expect(parseIsoWeek('2025-W53')).toEqual({
      ok: false,
      error: '2025 has weeks W01 to W52, not W53; expected an ISO week in the form YYYY-Www, like 2025-W05, in the years 1991 to 9999',
    });
    expect(parseIsoWeek('2025-W00').ok).toBe(false);
    expect(parseIsoWeek('2025-5').ok).toBe(false);
  });
  it('round-trips every day of a few years', () => {
    for (let d = '2019-12-01'; d < '2027-01-31'; d = addDays(d, 1)) {
      const r = parseIsoWeek(isoWeekOf(d));
      if (!r.ok) throw new Error(r.error);
      expect(d >= r.value.from && d <= r.value.to).toBe(true);
    }
  });
  it('formats a week heading', () => {
    expect(formatWeek('2025-W02', { from: '2025-01-06', to: '2025-01-12' })).toBe('Week 2 of 2025 (6–12 January 2025)');
    expect(formatWeek('2025-W01', { from: '2024-12-30', to: '2025-01-05' })).toBe('Week 1 of 2025 (30 December 2024–5 January 2025)');
  });
});

describe('months', () => {
  it('spans first to last day', () => {
    expect(parseMonth('2024-02')).toEqual({ ok: true, value: { from: '2024-02-01', to: '2024-02-29' } });
    expect(parseMonth('2025-12')).toEqual({ ok: true, value: { from: '2025-12-01', to: '2025-12-31' } });
    expect(parseMonth('2025-13')).toEqual({
      ok: false,
      error: '2025-13 has no month 13: months are 01 to 12; expected a month in the form YYYY-MM, like 2025-01, in the years 1991 to 9999',
    });
  });
});
