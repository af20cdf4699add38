import { type AttributeValue, type Context, context, createContextKey } from '@opentelemetry/api';
import { DEFAULT_ATTRIBUTE_KEYS, type Dimension } from '../core/options.js';
import { existingDefaultRuntime, type LlmCostRuntime } from '../core/runtime.js';

/** What a withAttribution scope can carry. Named fields map to the configured dimension keys; other keys are attribute names. */
export interface Attribution {
  userId?: string;
  sessionId?: string;
  customerId?: string;
  feature?: string;
  team?: string;
  route?: string;
  /** The prompt or feature version (`app.version` by default): ties a cost change to a prompt change. */
  version?: string;
  [attributeKey: string]: AttributeValue | undefined;
}

/** Symbol.for-based, so ESM and CJS copies of this package share it. */
export const ATTRIBUTION_KEY = createContextKey('otel-llm-cost.attribution');

const NAMED: Record<string, Dimension> = {
  userId: 'user',
  sessionId: 'session',
  customerId: 'customer',
  feature: 'feature',
  team: 'team',
  route: 'route',
  version: 'version',
};

/**
 * A scope keeps the fields as given (named fields unmapped), most recent last, so that each runtime maps them
 * to its own keys: one withAttribution serves every setup in the process.
 */
type Scope = Record<string, AttributeValue>;

function mapScope(scope: Scope, keys: Record<Dimension, string>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const k in scope) {
    const dimension = NAMED[k];
    out[dimension ? keys[dimension] : k] = scope[k]!;
  }
  return out;
}

/** The attributes of the scope in ctx under rt's keys (memoized per scope), or undefined outside any scope. */
export function scopeAttributes(ctx: Context, rt: LlmCostRuntime): Record<string, AttributeValue> | undefined {
  const scope = ctx.getValue(ATTRIBUTION_KEY) as Scope | undefined;
  if (!scope) return undefined;
  let mapped = rt.scopes.get(scope);
  if (!mapped) {
    mapped = mapScope(scope, rt.attribution.keys);
    rt.scopes.set(scope, mapped);
  }
  return mapped;
}

/**
 * The attribution in effect for the active context (scopes only), under the keys of `runtime`; without one,
 * of init()'s runtime (or the default runtime), else the default keys.
 */
export function getAttribution(runtime = existingDefaultRuntime()): Record<string, AttributeValue> {
  const scope = context.active().getValue(ATTRIBUTION_KEY) as Scope | undefined;
  if (!scope) return {};
  return runtime ? { ...scopeAttributes(context.active(), runtime) } : mapScope(scope, DEFAULT_ATTRIBUTE_KEYS);
}

/**
 * Runs fn with attribution that every span started inside inherits (LLM spans and, by default, all others).
 * Scopes nest: inner values win. Returns what fn returns (a Promise stays a Promise).
 */
export function withAttribution<T>(attribution: Attribution, fn: () => T): T {
  const active = context.active();
  const merged: Scope = { ...(active.getValue(ATTRIBUTION_KEY) as Scope | undefined) };
  for (const k in attribution) {
    const v = attribution[k];
    if (v === undefined || v === null) continue;
    // Re-inserted, so that a named field and its attribute key resolve to the one set last.
    delete merged[k];
    merged[k] = v;
  }
  return context.with(active.setValue(ATTRIBUTION_KEY, merged), fn);
}
