import { type Context, trace } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { LlmCostOptions } from '../core/options.js';
import { configureRuntime, getRuntime } from '../core/runtime.js';
import { internalError } from '../core/warn.js';
import { resolveAttribution } from './resolve.js';

/**
 * Gives every span the attribution of its context (withAttribution scope, ancestor spans, allowed baggage)
 * and records parent links so that LLM spans see attributes set on any ancestor, even after it started.
 * init() installs it; with your own NodeSDK add it to `spanProcessors` (before the exporting processor).
 */
export class LlmCostSpanProcessor implements SpanProcessor {
  constructor(options?: LlmCostOptions) {
    const rt = options ? configureRuntime(options) : getRuntime();
    rt.processorActive = true;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      const rt = getRuntime();
      const parent = trace.getSpan(parentContext);
      if (parent) rt.parentOf.set(span, parent);
      if (!rt.attribution.allSpans) return;
      const attrs = resolveAttribution(parentContext, rt);
      const own = span.attributes;
      for (const [key, value] of Object.entries(attrs)) {
        if (own[key] === undefined) span.setAttribute(key, value);
      }
    } catch (error) {
      internalError('LlmCostSpanProcessor.onStart', error);
    }
  }

  onEnding(_span: Span): void {}

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
