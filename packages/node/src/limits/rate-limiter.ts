import type { AttributeValue } from '@opentelemetry/api';
import type { Dimension } from '../core/options.js';
import type { RateLimits } from './rate-limit-options.js';
import { RateLimitedError } from './rate-limited-error.js';

const MINUTE_MS = 60_000;
/** Past this many ids, buckets that are full again (same as never seen) are dropped, at most once a minute. */
const SWEEP_ABOVE = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per id: `perMinute` calls at once, refilled at `perMinute` per minute. So a burst of a full
 * minute's allowance is possible, and after it one call per 60/perMinute seconds.
 */
class KeyedBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly dimension: 'user' | 'customer',
    readonly attribute: string,
    readonly perMinute: number,
  ) {
    this.perMs = perMinute / MINUTE_MS;
  }

  /** The tokens id has at `now` (a whole one is needed for a call). */
  tokens(id: string, now: number): number {
    const b = this.buckets.get(id);
    return b ? Math.min(this.perMinute, b.tokens + Math.max(0, now - b.at) * this.perMs) : this.perMinute;
  }

  take(id: string, now: number, tokens: number): void {
    const b = this.buckets.get(id);
    if (b) {
      b.tokens = tokens - 1;
      b.at = now;
    } else {
      this.sweep(now);
      this.buckets.set(id, { tokens: tokens - 1, at: now });
    }
  }

  /** Milliseconds until a bucket holding `tokens` has a whole token. */
  wait(tokens: number): number {
    return Math.ceil((1 - tokens) / this.perMs);
  }

  private sweep(now: number): void {
    if (this.buckets.size < SWEEP_ABOVE || now - this.sweptAt < MINUTE_MS) return;
    this.sweptAt = now;
    for (const [id, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.perMinute) this.buckets.delete(id);
    }
  }
}

/**
 * The opt-in request-rate limits of one runtime: per user and/or per customer, counted in this process only
 * (N instances allow N times the limit). A call whose id is absent is not limited by that dimension.
 */
export class RequestRateLimiter {
  private readonly limits: KeyedBuckets[] = [];
  /** Per limit, the tokens the call found (NaN: the call has no id for it); reused, so a check allocates nothing. */
  private readonly found: number[] = [];
  private readonly now: () => number;

  constructor(limits: RateLimits, keys: Record<Dimension, string>) {
    this.now = limits.now;
    if (limits.perUser !== undefined) this.limits.push(new KeyedBuckets('user', keys.user, limits.perUser));
    if (limits.perCustomer !== undefined)
      this.limits.push(new KeyedBuckets('customer', keys.customer, limits.perCustomer));
  }

  /**
   * Counts a call with this attribution, or returns the RateLimitedError that refuses it (then nothing is
   * counted: a refused call uses up no limit).
   */
  check(attribution: Record<string, AttributeValue>): RateLimitedError | undefined {
    const now = this.now();
    for (let i = 0; i < this.limits.length; i++) {
      const limit = this.limits[i]!;
      const id = idOf(attribution, limit.attribute);
      this.found[i] = id === undefined ? Number.NaN : limit.tokens(id, now);
      if (this.found[i]! < 1)
        return new RateLimitedError(limit.dimension, limit.attribute, id!, limit.perMinute, limit.wait(this.found[i]!));
    }
    for (let i = 0; i < this.limits.length; i++) {
      const tokens = this.found[i]!;
      if (!Number.isNaN(tokens)) this.limits[i]!.take(idOf(attribution, this.limits[i]!.attribute)!, now, tokens);
    }
    return undefined;
  }
}

function idOf(attribution: Record<string, AttributeValue>, attribute: string): string | undefined {
  const value = attribution[attribute];
  return value === undefined || value === '' ? undefined : String(value);
}
