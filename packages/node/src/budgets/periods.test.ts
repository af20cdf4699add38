import { describe, expect, it } from 'vitest';
import { CalendarPeriod } from './periods.js';

const iso = (w: { start: number; end: number }) => [new Date(w.start).toISOString(), new Date(w.end).toISOString()];

describe('calendar periods in a time zone', () => {
  // New York: EST (-5) until 2026-03-08 02:00, then EDT (-4).
  it('a day across the DST change is 23 hours long', () => {
    const day = new CalendarPeriod('day', 'America/New_York');
    expect(iso(day.at(Date.parse('2026-03-08T12:00:00Z')))).toEqual([
      '2026-03-08T05:00:00.000Z',
      '2026-03-09T04:00:00.000Z',
    ]);
  });

  it('a week starts on Monday, a month on the 1st', () => {
    const week = new CalendarPeriod('week', 'America/New_York');
    // Wednesday 2026-03-11 -> Monday 2026-03-09 00:00 EDT.
    expect(iso(week.at(Date.parse('2026-03-11T15:00:00Z')))).toEqual([
      '2026-03-09T04:00:00.000Z',
      '2026-03-16T04:00:00.000Z',
    ]);
    const month = new CalendarPeriod('month', 'America/New_York');
    expect(iso(month.at(Date.parse('2026-03-15T00:00:00Z')))).toEqual([
      '2026-03-01T05:00:00.000Z',
      '2026-04-01T04:00:00.000Z',
    ]);
    // 2026-01-01 02:00 UTC is still 2025-12-31 in New York.
    expect(iso(month.at(Date.parse('2026-01-01T02:00:00Z')))).toEqual([
      '2025-12-01T05:00:00.000Z',
      '2026-01-01T05:00:00.000Z',
    ]);
  });
});
