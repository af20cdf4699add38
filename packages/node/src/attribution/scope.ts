import { type AttributeValue, type Context, context, createContextKey } from '@opentelemetry/api';
import { getRuntime } from '../core/runtime.js';

/** What a withAttribution scope can carry. Named fields map to the configured dimension keys; other keys are attribute names. */
export interface Attribution {
  userId?: string;
  sessionId?: string;
  customerId?: string;
  feature?: string;
  team?: string;
  route?: string;
  [attributeKey: string]: AttributeValue | undefined;
}

/** Symbol.for-based, so ESM and CJS copies of this package share it. */
export const ATTRIBUTION_KEY = createContextKey('otel-llm-cost.attribution');

const NAMED: Record<string, 'user' | 'session' | 'customer' | 'feature' | 'team' | 'route'> = {
  userId: 'user',
  sessionId: 'session',
  customerId: 'customer',
  feature: 'feature',
  team: 'team',
  route: 'route',
};

/** Attribute map of a scope, with the named fields turned into the configured keys. */
export function toAttributes(attribution: Attribution): Record<string, AttributeValue> {
  const keys = getRuntime().attribution.keys;
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(attribution)) {
    if (v === undefined || v === null) continue;
    const dimension = NAMED[k];
    out[dimension ? keys[dimension] : k] = v;
  }
  return out;
}

export function scopeAttributes(ctx: Context): Record<string, AttributeValue> | undefined {
  return ctx.getValue(ATTRIBUTION_KEY) as Record<string, AttributeValue> | undefined;
}

/** The attribution in effect for the active context (scopes only). */
export function getAttribution(): Record<string, AttributeValue> {
  return { ...scopeAttributes(context.active()) };
}

/**
 * Runs fn with attribution that every span started inside inherits (LLM spans and, by default, all others).
 * Scopes nest: inner values win. Returns what fn returns (a Promise stays a Promise).
 */
export function withAttribution<T>(attribution: Attribution, fn: () => T): T {
  const active = context.active();
  const merged = { ...scopeAttributes(active), ...toAttributes(attribution) };
  return context.with(active.setValue(ATTRIBUTION_KEY, merged), fn);
}
