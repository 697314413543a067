import { describe, expect, it } from 'vitest';
import { formatIsoTime } from '../../src/util/time.js';

describe('formatIsoTime', () => {
  it('formats seconds and nanoseconds as ISO-8601 UTC with nine fractional digits', () => {
    expect(formatIsoTime(1729756121, 592009000)).toBe('2024-10-24T07:48:41.592009000Z');
    expect(formatIsoTime(0, 5)).toBe('1970-01-01T00:00:00.000000005Z');
  });

  it('keeps each second its own date when calls alternate between seconds (the one-second cache)', () => {
    const times: [number, number, string][] = [
      [1729756121, 1, '2024-10-24T07:48:41.000000001Z'],
      [1729756121, 2, '2024-10-24T07:48:41.000000002Z'],
      [1729756122, 0, '2024-10-24T07:48:42.000000000Z'],
      [1729756121, 3, '2024-10-24T07:48:41.000000003Z'],
      [86400 * 365, 999999999, '1971-01-01T00:00:00.999999999Z'],
    ];
    for (const [s, ns, text] of times) expect(formatIsoTime(s, ns)).toBe(text);
  });

  it('agrees with Date for every second of an hour, across hour and day boundaries, and before 1970', () => {
    const viaDate = (s: number, ns: number) => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(ns).padStart(9, '0')}Z`;
    const starts = [1729756121 - 1729756121 % 3600, 1700000000 - 3, 86400 * 365 - 1800, -7200, 0, 951782400 - 60];
    for (const start of starts) {
      for (let s = start; s < start + 3700; s += 7) expect(formatIsoTime(s, s % 1000)).toBe(viaDate(s, s % 1000));
    }
    expect(formatIsoTime(-1, 0)).toBe('1969-12-31T23:59:59.000000000Z');
    expect(formatIsoTime(951868799, 0)).toBe('2000-02-29T23:59:59.000000000Z');
  });

  it('falls back to plain seconds for a time no Date can hold, and does not cache it', () => {
    expect(formatIsoTime(1e16, 7)).toBe('10000000000000000.000000007');
    expect(formatIsoTime(1e16, 8)).toBe('10000000000000000.000000008');
    expect(formatIsoTime(1729756121, 9)).toBe('2024-10-24T07:48:41.000000009Z');
  });
});
