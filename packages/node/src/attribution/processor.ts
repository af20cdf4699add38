import { type Context, SpanKind, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { LlmCostOptions } from '../core/options.js';
import { configureRuntime, getRuntime } from '../core/runtime.js';
import { internalError } from '../core/warn.js';
import { resolveAttribution } from './resolve.js';

/**
 * Gives every span the attribution of its context (withAttribution scope, ancestor spans, allowed baggage)
 * and records parent links so that LLM spans see attributes set on any ancestor, even after it started.
 *
 * Attribution set on a short-lived child of the request span (e.g. `trace.getActiveSpan().setAttribute('user.id', ..)`
 * inside an Express middleware, whose active span is the middleware's own span) is copied up to the local
 * root SERVER span when that child ends, so the rest of the request inherits it.
 *
 * init() installs it; with your own NodeSDK add it to `spanProcessors` (before the exporting processor).
 */
export class LlmCostSpanProcessor implements SpanProcessor {
  /** Keys each span got from us at start (so only keys the app set itself are copied up). */
  private readonly inheritedKeys = new WeakMap<object, Set<string>>();

  constructor(options?: LlmCostOptions) {
    const rt = options ? configureRuntime(options) : getRuntime();
    rt.processorActive = true;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      const rt = getRuntime();
      const parent = trace.getSpan(parentContext);
      if (parent) {
        rt.parentOf.set(span, parent);
        rt.localRootOf.set(span, rt.localRootOf.get(parent) ?? parent);
      }
      if (!rt.attribution.allSpans) return;
      const attrs = resolveAttribution(parentContext, rt);
      const own = span.attributes;
      const set = new Set<string>();
      for (const [key, value] of Object.entries(attrs)) {
        if (own[key] === undefined) {
          span.setAttribute(key, value);
          set.add(key);
        }
      }
      this.inheritedKeys.set(span, set);
    } catch (error) {
      internalError('LlmCostSpanProcessor.onStart', error);
    }
  }

  onEnding(span: Span): void {
    try {
      if (span.kind === SpanKind.SERVER || span.kind === SpanKind.CLIENT) return;
      const rt = getRuntime();
      const root = rt.localRootOf.get(span) as Span | undefined;
      if (!root || root.kind !== SpanKind.SERVER || typeof root.isRecording !== 'function' || !root.isRecording()) {
        return;
      }
      const inherited = this.inheritedKeys.get(span);
      for (const key of rt.attribution.inherited) {
        if (key === rt.attribution.keys.route) continue;
        const value = span.attributes[key];
        if (value === undefined || inherited?.has(key) || root.attributes?.[key] !== undefined) continue;
        root.setAttribute(key, value);
      }
    } catch (error) {
      internalError('LlmCostSpanProcessor.onEnding', error);
    }
  }

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
