import type { CalendarPeriod } from './periods.js';

/**
 * What this instance spent under one budget, kept in memory: in the current calendar period, or in the rolling
 * window (in 96 time buckets, so old spend ages out without keeping every call). It is all of this instance's
 * spend in the period; a Prometheus read adds the other instances' (their series only).
 */
export interface LocalSpend {
  add(now: number, usd: number): void;
  total(now: number): number;
  /** When `usd` of the spend counted now will have left the period (ms since the epoch). */
  agesOutAt(now: number, usd: number): number;
}

export class CalendarSpend implements LocalSpend {
  private start = Number.NaN;
  private sum = 0;

  constructor(private readonly period: CalendarPeriod) {}

  private roll(now: number): void {
    const { start } = this.period.at(now);
    if (start !== this.start) {
      this.start = start;
      this.sum = 0;
    }
  }

  add(now: number, usd: number): void {
    this.roll(now);
    this.sum += usd;
  }

  total(now: number): number {
    this.roll(now);
    return this.sum;
  }

  agesOutAt(now: number): number {
    return this.period.at(now).end;
  }
}

const BUCKETS = 96;

export class RollingSpend implements LocalSpend {
  private readonly buckets = new Float64Array(BUCKETS);
  private readonly width: number;
  /** The absolute number (time / width) of the newest bucket. */
  private head = Number.NEGATIVE_INFINITY;

  constructor(private readonly windowMs: number) {
    this.width = windowMs / BUCKETS;
  }

  private advance(now: number): void {
    const n = Math.floor(now / this.width);
    if (n <= this.head) return;
    const steps = Math.min(BUCKETS, n - this.head);
    for (let i = 1; i <= steps; i++) this.buckets[(n - steps + i) % BUCKETS] = 0;
    this.head = n;
  }

  add(now: number, usd: number): void {
    this.advance(now);
    const n = Math.floor(now / this.width);
    this.buckets[n % BUCKETS]! += usd;
  }

  total(now: number): number {
    this.advance(now);
    let sum = 0;
    for (const v of this.buckets) sum += v;
    return sum;
  }

  agesOutAt(now: number, usd: number): number {
    this.advance(now);
    let dropped = 0;
    for (let b = this.head - BUCKETS + 1; b <= this.head; b++) {
      dropped += this.buckets[((b % BUCKETS) + BUCKETS) % BUCKETS]!;
      // Bucket b covers [b * width, (b + 1) * width): it has left the window once now - window passed its end.
      // Strictly more than the overage must age out: at exactly the limit the call is still refused.
      if (dropped > usd) return (b + 1) * this.width + this.windowMs;
    }
    return now + this.windowMs;
  }
}
