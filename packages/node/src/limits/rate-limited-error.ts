/**
 * Thrown by an LLM call, before any request is sent, when its user or customer made more calls in the last minute
 * than the opt-in rate limit allows (`rateLimit` in init(); docs/rate-limits.md). Its message is fit to show an
 * end user; answer the request with `status` (429) and a Retry-After of `retryAfterMs`.
 */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  /** The HTTP status to answer with: 429 Too Many Requests. */
  readonly status = 429;
  /** Which limit refused the call. */
  readonly dimension: 'user' | 'customer';
  /** The attribute that holds the limited id (`user.id`, `app.customer.id`, or the key you configured). */
  readonly attribute: string;
  /** The user or customer id that is over its limit. */
  readonly key: string;
  /** Requests per minute allowed per user or customer. */
  readonly limit: number;
  /** Milliseconds until this user or customer may make a call again. */
  readonly retryAfterMs: number;

  constructor(dimension: 'user' | 'customer', attribute: string, key: string, limit: number, retryAfterMs: number) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    super(
      `Too many AI requests: at most ${limit} per minute are allowed. Please try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
    );
    this.dimension = dimension;
    this.attribute = attribute;
    this.key = key;
    this.limit = limit;
    this.retryAfterMs = retryAfterMs;
  }
}
