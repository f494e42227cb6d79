import { describe, expect, it } from 'vitest';
import { dayInZone } from './dates.js';
import { announcementOf, dayBoundsInZone } from './announce.js';

const listed = (submitted: string) => dayInZone(new Date(announcementOf(submitted)!), 'UTC');

describe('arXiv announcement schedule', () => {
  it('maps each batch to the listing date arXiv prints (EST and EDT)', () => {
    // Tuesday 2 Dec 2025, EST (UTC-5): before the 14:00 cutoff -> announced Tue 20:00 -> listed Wed 3 Dec.
    expect(announcementOf('2025-12-02T18:59:59.000Z')).toBe('2025-12-03T01:00:00.000Z');
    expect(listed('2025-12-02T18:59:59.000Z')).toBe('2025-12-03');
    // After the cutoff: Wednesday's batch, listed Thursday.
    expect(listed('2025-12-02T19:00:00.000Z')).toBe('2025-12-04');
    // Thursday after the cutoff to Friday before it: announced Sunday, listed Monday.
    expect(listed('2025-12-04T20:00:00.000Z')).toBe('2025-12-08');
    expect(announcementOf('2025-12-05T18:00:00.000Z')).toBe('2025-12-08T01:00:00.000Z');
    // Friday after the cutoff, the weekend, Monday before it: announced Monday, listed Tuesday.
    expect(listed('2025-12-05T19:30:00.000Z')).toBe('2025-12-09');
    expect(listed('2025-12-06T12:00:00.000Z')).toBe('2025-12-09');
    expect(listed('2025-12-08T18:00:00.000Z')).toBe('2025-12-09');
    // Summer time (EDT, UTC-4): the cutoff is 18:00 UTC and the announcement 00:00 UTC.
    expect(announcementOf('2025-06-10T17:59:00.000Z')).toBe('2025-06-11T00:00:00.000Z');
    expect(listed('2025-06-10T18:01:00.000Z')).toBe('2025-06-12');
  });

  it('reads a date-only value as the listing day', () => {
    expect(listed('2026-08-21T00:00:00.000Z')).toBe('2026-08-21');
    expect(announcementOf('2026-08-21T00:00:00.000Z')).toBe('2026-08-21T00:00:00.000Z');
    expect(announcementOf(null)).toBeNull();
    expect(announcementOf('not a date')).toBeNull();
  });

  it('gives the instants a day of a zone covers', () => {
    expect(dayBoundsInZone('2025-12-03', 'UTC')).toEqual({ from: '2025-12-03T00:00:00.000Z', to: '2025-12-04T00:00:00.000Z' });
    expect(dayBoundsInZone('2025-12-03', 'America/New_York')).toEqual({ from: '2025-12-03T05:00:00.000Z', to: '2025-12-04T05:00:00.000Z' });
    // The day summer time ends is 25 hours long.
    expect(dayBoundsInZone('2025-11-02', 'America/New_York')).toEqual({ from: '2025-11-02T04:00:00.000Z', to: '2025-11-03T05:00:00.000Z' });
    expect(dayBoundsInZone('2025-06-11', 'Asia/Kolkata')).toEqual({ from: '2025-06-10T18:30:00.000Z', to: '2025-06-11T18:30:00.000Z' });
  });
});
