import { BUDGET_PERIODS, type Budget } from './schema.js';

/**
 * Where a calendar period starts and ends: at midnight (of the day, of Monday, of the 1st) in the budget's time
 * zone, DST included. The window is computed when the period changes, not per call: `at(now)` is a comparison.
 */
export interface PeriodWindow {
  /** Start of the period that holds `now` (ms since the epoch). */
  start: number;
  /** End of that period: when it resets. */
  end: number;
}

type Parts = { y: number; m: number; d: number };

/** Calendar period boundaries in one time zone. */
export class CalendarPeriod {
  private readonly format: Intl.DateTimeFormat;
  private window: PeriodWindow = { start: 0, end: 0 };

  constructor(
    private readonly unit: 'day' | 'week' | 'month',
    timeZone: string,
  ) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The period holding `now`, recomputed only when `now` left the last one. */
  at(now: number): PeriodWindow {
    if (now >= this.window.start && now < this.window.end) return this.window;
    const { y, m, d } = this.wall(now);
    let first: Parts;
    let next: Parts;
    if (this.unit === 'day') {
      first = { y, m, d };
      next = { y, m, d: d + 1 };
    } else if (this.unit === 'week') {
      const monday = d - ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7);
      first = { y, m, d: monday };
      next = { y, m, d: monday + 7 };
    } else {
      first = { y, m, d: 1 };
      next = { y, m: m + 1, d: 1 };
    }
    this.window = { start: this.midnight(first), end: this.midnight(next) };
    return this.window;
  }

  /** The wall-clock date of instant t in the zone. */
  private wall(t: number): Parts & { h: number; min: number; s: number } {
    const p: Record<string, number> = {};
    for (const { type, value } of this.format.formatToParts(t)) p[type] = Number(value);
    return { y: p.year!, m: p.month!, d: p.day!, h: p.hour!, min: p.minute!, s: p.second! };
  }

  /** How far the zone's wall clock is ahead of UTC at instant t (ms). */
  private offset(t: number): number {
    const w = this.wall(t);
    return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - Math.floor(t / 1000) * 1000;
  }

  /** The instant of 00:00 on that wall-clock date (days and months past their end roll over, as in Date.UTC). */
  private midnight({ y, m, d }: Parts): number {
    const utc = Date.UTC(y, m - 1, d);
    const first = utc - this.offset(utc);
    return utc - this.offset(first); // again at the result: the offset may differ across a DST change
  }
}

/** The calendar boundaries of a budget with a calendar period; undefined for a rolling window. */
export function calendarOf(budget: Budget): CalendarPeriod | undefined {
  if (BUDGET_PERIODS[budget.period].kind === 'rolling') return undefined;
  const unit = budget.period === 'calendar_day' ? 'day' : budget.period === 'calendar_week' ? 'week' : 'month';
  return new CalendarPeriod(unit, budget.timeZone ?? 'UTC');
}
