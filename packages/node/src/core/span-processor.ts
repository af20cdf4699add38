import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { defaultRuntime, type LlmCostRuntime } from './runtime.js';

/**
 * What our span processors share: the runtime they work for, and the SpanProcessor methods they leave empty
 * (they only read and write spans; exporting is the exporting processor's job).
 */
export abstract class RuntimeSpanProcessor implements SpanProcessor {
  /** The runtime this processor works for: give the same one to the instrumentations. */
  readonly runtime: LlmCostRuntime;

  constructor(runtime: LlmCostRuntime | undefined) {
    this.runtime = runtime ?? defaultRuntime();
  }

  abstract onStart(span: Span, parentContext: Context): void;

  abstract onEnding(span: Span): void;

  onEnd(_span: ReadableSpan): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
