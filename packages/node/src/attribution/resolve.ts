import { type AttributeValue, type Context, propagation, type Span, SpanKind, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import type { LlmCostRuntime } from '../core/runtime.js';
import { scopeAttributes } from './scope.js';

const MAX_DEPTH = 128;

interface SpanView {
  attributes?: Record<string, AttributeValue | undefined>;
  kind?: SpanKind;
}

/** The live attributes of an SDK span (ReadableSpan), so values set after it started are seen too. */
function view(span: Span): SpanView {
  const s = span as unknown as SpanView;
  return typeof s.attributes === 'object' && s.attributes !== null ? s : {};
}

/**
 * Attribution attributes for a span starting in ctx. Precedence: withAttribution scope > ancestor spans
 * (nearest first, their current attributes) > allowed baggage entries.
 */
export function attributionForContext(ctx: Context, rt: LlmCostRuntime): Record<string, AttributeValue> {
  const { keys, baggage, inherited } = rt.attribution;
  const routeKey = keys.route;
  const out: Record<string, AttributeValue> = {};

  const bag = baggage.size > 0 ? propagation.getBaggage(ctx) : undefined;
  if (bag) {
    for (const [entry, attr] of baggage) {
      const value = bag.getEntry(entry)?.value;
      if (value !== undefined && value !== '') out[attr] = value;
    }
  }

  const fromSpans: Record<string, AttributeValue> = {};
  let span = trace.getSpan(ctx);
  for (let depth = 0; span && depth < MAX_DEPTH; depth++) {
    const { attributes, kind } = view(span);
    if (attributes) {
      for (const key of inherited) {
        const v = attributes[key];
        if (fromSpans[key] === undefined && v !== undefined) fromSpans[key] = v;
      }
      // Client spans carry the called API's path in http.route; only server/internal spans name our route.
      const route = attributes[ATTR_HTTP_ROUTE];
      if (fromSpans[routeKey] === undefined && route !== undefined && kind !== SpanKind.CLIENT) {
        fromSpans[routeKey] = route;
      }
    }
    span = rt.parentOf.get(span);
  }
  if (fromSpans[routeKey] === undefined) {
    const route = getRPCMetadata(ctx)?.route;
    if (route) fromSpans[routeKey] = route;
  }
  Object.assign(out, fromSpans);

  const scope = scopeAttributes(ctx, rt);
  if (scope) Object.assign(out, scope);
  return out;
}
