import { describe, expect, it } from 'vitest';
import { parseRetryAfter, userAgent } from './http.js';

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2025-01-07T12:00:00Z');
  it('reads delay-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 07 Jan 2025 12:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 07 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-5', now)).toBeNull();
  });
});

describe('userAgent', () => {
  it('names the program and the contact', () => {
    expect(userAgent('ops@example.org', '1.2.3')).toBe('dailypapers/1.2.3 (+https://github.com/dailypapers; mailto:ops@example.org)');
  });
});
