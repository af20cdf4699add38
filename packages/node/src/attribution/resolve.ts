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

/** What a context with no attribution resolves to (shared, frozen: callers only read it). */
const NO_ATTRIBUTION: Record<string, AttributeValue> = Object.freeze({});

/**
 * Attribution attributes for a span starting in ctx. Precedence: withAttribution scope > ancestor spans
 * (nearest first, their current attributes) > allowed baggage entries. One object, built only when the context
 * has something to give (the common case of no attribution allocates nothing); callers must not change it.
 */
export function attributionForContext(ctx: Context, rt: LlmCostRuntime): Record<string, AttributeValue> {
  const { keys, baggage, inherited } = rt.attribution;
  const routeKey = keys.route;
  let out: Record<string, AttributeValue> | undefined;

  let span = trace.getSpan(ctx);
  for (let depth = 0; span && depth < MAX_DEPTH; depth++) {
    const { attributes, kind } = view(span);
    if (attributes) {
      for (const key of inherited) {
        const v = attributes[key];
        if (v !== undefined && out?.[key] === undefined) {
          out ??= {};
          out[key] = v;
        }
      }
      // Client spans carry the called API's path in http.route; only server/internal spans name our route.
      const route = attributes[ATTR_HTTP_ROUTE];
      if (route !== undefined && kind !== SpanKind.CLIENT && out?.[routeKey] === undefined) {
        out ??= {};
        out[routeKey] = route;
      }
    }
    span = rt.parentOf.get(span);
  }
  if (out?.[routeKey] === undefined) {
    const route = getRPCMetadata(ctx)?.route;
    if (route) {
      out ??= {};
      out[routeKey] = route;
    }
  }

  // Allowed baggage fills what the spans left open.
  const bag = baggage.size > 0 ? propagation.getBaggage(ctx) : undefined;
  if (bag) {
    for (const [entry, attr] of baggage) {
      const value = bag.getEntry(entry)?.value;
      if (value !== undefined && value !== '' && out?.[attr] === undefined) {
        out ??= {};
        out[attr] = value;
      }
    }
  }

  const scope = scopeAttributes(ctx, rt);
  if (scope) out = Object.assign(out ?? {}, scope);
  return out ?? NO_ATTRIBUTION;
}
