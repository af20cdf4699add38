import type { LlmCall } from '../core/llm-call.js';
import type { RateLimitedError } from './rate-limited-error.js';

/**
 * The call skeleton's rate-limit hook, before the client method runs: a call over its user's or customer's
 * limit ends its span as failed (error.type RateLimitedError, nothing priced) and throws, so no request is sent.
 * Without `rateLimit` configured it does nothing; a failure of the limiter itself lets the call through.
 */
export function enforceRateLimit(call: LlmCall): void {
  const limiter = call.runtime.rateLimiter;
  if (!limiter) return;
  let refusal: RateLimitedError | undefined;
  try {
    refusal = limiter.check(call.attribution);
  } catch (error) {
    call.runtime.warnings.internalError('the rate limit check', error);
    return;
  }
  if (!refusal) return;
  call.fail(refusal);
  throw refusal;
}
