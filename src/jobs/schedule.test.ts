import { describe, expect, it } from 'vitest';
import { nextRun, parseSchedule, zonedTimeToUtc } from './schedule.js';

describe('parseSchedule', () => {
  it('reads days, time and zone, with weekdays in New York by default', () => {
    expect(parseSchedule('mon-fri 21:00 America/New_York')).toEqual({ days: [1, 2, 3, 4, 5], hour: 21, minute: 0, timeZone: 'America/New_York' });
    expect(parseSchedule('21:30')).toEqual({ days: [1, 2, 3, 4, 5], hour: 21, minute: 30, timeZone: 'America/New_York' });
    expect(parseSchedule('daily 06:05 UTC')).toMatchObject({ days: [0, 1, 2, 3, 4, 5, 6], hour: 6, minute: 5, timeZone: 'UTC' });
    expect(parseSchedule('sat-mon 1:00 Europe/Paris')?.days).toEqual([0, 1, 6]);
    expect(parseSchedule('mon,wed,fri 08:00 UTC')?.days).toEqual([1, 3, 5]);
    expect(parseSchedule('off')).toBeNull();
  });

  it.each([
    ['every day', /not a schedule/],
    ['mon-fri 25:00', /not a time of day/],
    ['funday 21:00', /'funday' .* is not a day/],
    ['mon-fri 21:00 Mars/Olympus', /not an IANA time zone/],
  ])('rejects %j', (input, message) => {
    expect(() => parseSchedule(input)).toThrow(message);
  });
});

describe('nextRun', () => {
  const weekdays = parseSchedule('mon-fri 21:00 America/New_York')!;

  it('runs at 21:00 New York time: 02:00 UTC in winter, 01:00 UTC in summer', () => {
    // Wednesday 2025-01-08 12:00 UTC -> that evening, 21:00 EST = 02:00 UTC on the 9th.
    expect(nextRun(weekdays, new Date('2025-01-08T12:00:00Z')).toISOString()).toBe('2025-01-09T02:00:00.000Z');
    expect(nextRun(weekdays, new Date('2025-07-09T12:00:00Z')).toISOString()).toBe('2025-07-10T01:00:00.000Z');
  });

  it('skips the weekend and is strictly after the given instant', () => {
    // Friday 21:00 EST exactly -> Monday.
    expect(nextRun(weekdays, new Date('2025-01-11T02:00:00Z')).toISOString()).toBe('2025-01-14T02:00:00.000Z');
    // Saturday in New York (though Sunday in UTC is not the point) -> Monday.
    expect(nextRun(weekdays, new Date('2025-01-11T15:00:00Z')).toISOString()).toBe('2025-01-14T02:00:00.000Z');
  });

  it('follows the zone across a DST change', () => {
    // US DST began Sunday 2025-03-09: Friday 7th is EST (UTC-5), Monday 10th EDT (UTC-4).
    expect(nextRun(weekdays, new Date('2025-03-08T03:00:00Z')).toISOString()).toBe('2025-03-11T01:00:00.000Z');
    expect(zonedTimeToUtc(2025, 3, 9, 2, 30, 'America/New_York').toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(zonedTimeToUtc(2025, 11, 2, 12, 0, 'America/New_York').toISOString()).toBe('2025-11-02T17:00:00.000Z');
  });
});
