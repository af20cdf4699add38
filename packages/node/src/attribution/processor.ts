import { type Context, SpanKind } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace';
import { PACKAGE_NAME } from '../core/names.js';
import type { LlmCostOptions } from '../core/options.js';
import { defaultRuntimeInUse, LlmCostRuntime } from '../core/runtime.js';
import { RuntimeSpanProcessor } from '../core/span-processor.js';
import { attributionForContext } from './resolve.js';

export interface LlmCostSpanProcessorOptions extends LlmCostOptions {
  /**
   * The runtime to work for: the one the instrumentations were given (createLlmCostRuntime). When set, the
   * other options are ignored. Without it, options (if any) make a runtime of this processor's own; no
   * options at all: the default runtime, which instrumentations built without a runtime use too.
   */
  runtime?: LlmCostRuntime;
}

/**
 * Gives every span the attribution of its context (withAttribution scope, ancestor spans, allowed baggage)
 * and records parent links so that LLM spans see attributes set on any ancestor, even after it started.
 *
 * Attribution set on a short-lived child of the request span (e.g. `trace.getActiveSpan().setAttribute('user.id', ..)`
 * inside an Express middleware, whose active span is the middleware's own span) is copied up to the local
 * root SERVER span when that child ends, so the rest of the request inherits it.
 *
 * init() installs it; with your own NodeSDK add it to `spanProcessors` (before the exporting processor), with
 * the runtime you give the instrumentations: `new LlmCostSpanProcessor({ runtime })`.
 */
export class LlmCostSpanProcessor extends RuntimeSpanProcessor {
  /** Keys each span got from us at start (so only keys the app set itself are copied up). */
  private readonly inheritedKeys = new WeakMap<object, Set<string>>();
  /** Built from options rather than given a runtime: instrumentations may not share it (warned once). */
  private readonly ownRuntime: boolean;

  constructor(options: LlmCostSpanProcessorOptions = {}) {
    const { runtime, ...rest } = options;
    const own = !runtime && Object.keys(rest).length > 0;
    super(runtime ?? (own ? new LlmCostRuntime(rest) : undefined));
    this.ownRuntime = own;
  }

  onStart(span: Span, parentContext: Context): void {
    const rt = this.runtime;
    try {
      if (this.ownRuntime) this.checkShared(span);
      rt.linkParent(span, parentContext);
      // Our LLM span: started with this context's attribution on it (startLlmCall), nothing to inherit again.
      if (!rt.attribution.allSpans || rt.startingCall === parentContext) return;
      const attrs = attributionForContext(parentContext, rt);
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
      rt.warnings.internalError('LlmCostSpanProcessor.onStart', error);
    }
  }

  onEnding(span: Span): void {
    const rt = this.runtime;
    try {
      if (span.kind === SpanKind.SERVER || span.kind === SpanKind.CLIENT) return;
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
      rt.warnings.internalError('LlmCostSpanProcessor.onEnding', error);
    }
  }

  /**
   * An LLM span of ours while the default runtime is in use: its instrumentation was most likely built without
   * a runtime, so this processor's options do not apply to it. Said once.
   */
  private checkShared(span: Span): void {
    if (!defaultRuntimeInUse() || span.instrumentationScope?.name?.startsWith(PACKAGE_NAME) !== true) return;
    this.runtime.warnings.warnOnce(
      'processor-runtime',
      'LlmCostSpanProcessor was given options, but an instrumentation of ours uses the default runtime, so ' +
        'those options do not apply to its LLM calls. Create one runtime, createLlmCostRuntime(options), and ' +
        'pass it as `runtime` to the span processor and to every instrumentation.',
    );
  }
}
