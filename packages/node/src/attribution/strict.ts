import type { AttributeValue } from '@opentelemetry/api';
import type { Dimension } from '../core/options.js';
import type { LlmCostRuntime } from '../core/runtime.js';

/** Thrown in strict `throw` mode when an LLM call lacks a required attribution dimension. */
export class AttributionError extends Error {
  readonly missing: string[];
  constructor(missing: string[], operation: string) {
    super(
      `otel-llm-cost strict attribution: the ${operation} call has no ${missing.join(', ')}. ` +
        'Wrap the code in withAttribution({ ... }, fn), set the attribute on a parent span, or allow it as a baggage key; ' +
        "in production use strict: { mode: 'count' } to count such calls instead of throwing.",
    );
    this.name = 'AttributionError';
    this.missing = missing;
  }
}

/** Attribute keys of required dimensions that attrs lacks (empty when strict mode is off). */
/** Shared empty result (the common case: no strict mode), so that the call path allocates nothing for it. */
const NONE: string[] = [];

export function missingDimensions(attrs: Record<string, AttributeValue>, rt: LlmCostRuntime): string[] {
  const strict = rt.options.strict;
  if (!strict || strict.mode === 'off') return NONE;
  return strict.required
    .map((d: Dimension) => rt.attribution.keys[d])
    .filter((key) => attrs[key] === undefined || attrs[key] === '');
}
