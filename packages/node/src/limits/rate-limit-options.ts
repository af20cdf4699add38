import type { Warnings } from '../core/warn.js';

/**
 * Opt-in request-rate limits (docs/rate-limits.md): at most this many LLM calls per minute per user and/or per
 * customer, counted in this process. A call over a limit throws RateLimitedError before any request is sent.
 */
export interface RateLimitOptions {
  /** Requests per minute per user (the call's `user` attribution, `user.id` by default). Else LLMCOST_RATE_LIMIT_PER_USER. */
  perUser?: number;
  /** Requests per minute per customer (`app.customer.id` by default). Else LLMCOST_RATE_LIMIT_PER_CUSTOMER. */
  perCustomer?: number;
  /** The clock in milliseconds (tests inject one). Default Date.now. */
  now?: () => number;
}

/** The limits in effect: the options, else the variables; a limit that is no positive number is off (with a warning). */
export interface RateLimits {
  perUser?: number;
  perCustomer?: number;
  now: () => number;
}

const VARIABLES = { perUser: 'LLMCOST_RATE_LIMIT_PER_USER', perCustomer: 'LLMCOST_RATE_LIMIT_PER_CUSTOMER' } as const;

/** The limits from the options and the LLMCOST_RATE_LIMIT_* variables; undefined when none is set. */
export function rateLimits(
  option: RateLimitOptions | undefined,
  warnings: Warnings,
  env: NodeJS.ProcessEnv = process.env,
): RateLimits | undefined {
  const out: RateLimits = { now: option?.now ?? Date.now };
  for (const field of ['perUser', 'perCustomer'] as const) {
    const variable = VARIABLES[field];
    const raw = option?.[field] ?? (env[variable] || undefined);
    if (raw === undefined) continue;
    const n = Number(raw);
    // A bucket holds at most a minute's allowance and a call takes one whole token: below 1 nothing would pass.
    if (Number.isFinite(n) && n >= 1) out[field] = n;
    else
      warnings.warnOnce(
        `rate-limit:${field}:${raw}`,
        `rateLimit.${field} (or ${variable}) is ${JSON.stringify(raw)}, not a number of requests per minute of at least 1: that limit is off. Set it to e.g. 60.`,
      );
  }
  return out.perUser === undefined && out.perCustomer === undefined ? undefined : out;
}
