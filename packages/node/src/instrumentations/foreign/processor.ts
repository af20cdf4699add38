import {
  type AttributeValue,
  type Context,
  type MeterProvider,
  metrics as metricsApi,
  SpanStatusCode,
} from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace';
import { ERROR_TYPE_VALUE_OTHER } from '@opentelemetry/semantic-conventions';
import { attributionForContext } from '../../attribution/resolve.js';
import { missingDimensions } from '../../attribution/strict.js';
import { createLlmMetrics, type LlmMetrics } from '../../core/metrics.js';
import { ATTR, PACKAGE_NAME, PACKAGE_VERSION } from '../../core/names.js';
import { callCustomer, callSeries, recordFinishedCall } from '../../core/record.js';
import type { LlmCostRuntime } from '../../core/runtime.js';
import { RuntimeSpanProcessor } from '../../core/span-processor.js';
import { carriesUsageOrCost, type ForeignCall, hasUsage, readForeignCall } from './attributes.js';
import { modelCallRole } from './model-calls.js';

export interface ForeignSpanProcessorOptions {
  /** Where the cost metrics go; default: the global MeterProvider (looked up at the first priced span). */
  meterProvider?: MeterProvider;
  /** The runtime to work for (the one given to LlmCostSpanProcessor and the instrumentations); default: the default runtime. */
  runtime?: LlmCostRuntime;
}

/** Spans made by this package's own instrumentations (priced when they end, by LlmCall). */
function isOurs(span: Span): boolean {
  return span.instrumentationScope?.name?.startsWith(PACKAGE_NAME) === true;
}

function hasCost(attrs: Readonly<Record<string, AttributeValue | undefined>>): boolean {
  return attrs[ATTR.COST] !== undefined || attrs[ATTR.PRICED_BY] !== undefined || attrs[ATTR.UNPRICED] !== undefined;
}

/** Another tool's 0 (OpenLIT's for models it cannot price): no price, so it is priced here when it can be. */
function foreignZero(attrs: Readonly<Record<string, AttributeValue | undefined>>): boolean {
  return attrs[ATTR.COST] === 0 && attrs[ATTR.PRICED_BY] === undefined && attrs[ATTR.UNPRICED] === undefined;
}

function seconds(span: Span): number {
  const [s, ns] = span.duration;
  return s + ns / 1e9;
}

/**
 * Prices and attributes the gen_ai spans of other instrumentations in this process: the client
 * libraries that trace themselves (@anthropic-ai/sdk 0.134+ / 1.x), @opentelemetry/instrumentation-openai,
 * OpenLLMetry (@traceloop/*) and the Vercel AI SDK's `ai.*.doGenerate/doStream/doEmbed` spans.
 *
 * In `onEnding` (the span is still writable) a span that describes one model call and has no cost yet gets
 * `gen_ai.usage.cost` and the `llmcost.*` cost attributes, the attribution of its context (withAttribution
 * scope, ancestors, allowed baggage; `llmcost.route` from the server span), and our metrics are recorded.
 *
 * Which spans are model calls comes from the table shared with the collector processor
 * (packages/contract/model-calls.json): agent, workflow, chain, step and framework spans over a call, whose
 * usage repeats the call's, are never priced and are marked `llmcost.model_call = false` when they carry usage (a
 * framework's LLM span is priced when no span under it was: in one process its children end before it).
 *
 * Never twice: a span that already carries a cost (ours, or any that set `gen_ai.usage.cost`, except another
 * tool's 0) is left as is; one call traced by several instrumentations (nested spans) is priced once, on the
 * innermost span: a span with an already priced descendant, or inside one of our own LLM spans, is skipped.
 */
export class LlmCostForeignSpanProcessor extends RuntimeSpanProcessor {
  private llmMetrics: LlmMetrics | undefined;
  private readonly parentContext = new WeakMap<object, Context>();
  /** Spans with a priced LLM-call descendant. */
  private readonly covered = new WeakSet<object>();
  private readonly meterProvider: MeterProvider | undefined;

  constructor(options: ForeignSpanProcessorOptions = {}) {
    super(options.runtime);
    this.meterProvider = options.meterProvider;
  }

  onStart(span: Span, parentContext: Context): void {
    try {
      this.parentContext.set(span, parentContext);
      this.runtime.linkParent(span, parentContext);
    } catch (error) {
      this.runtime.warnings.internalError('LlmCostForeignSpanProcessor.onStart', error);
    }
  }

  onEnding(span: Span): void {
    try {
      this.process(span);
    } catch (error) {
      this.runtime.warnings.internalError('LlmCostForeignSpanProcessor.onEnding', error);
    }
  }

  private metrics(): LlmMetrics {
    if (!this.llmMetrics) {
      const provider = this.meterProvider ?? metricsApi.getMeterProvider();
      const scope = { name: `${PACKAGE_NAME}/foreign`, version: PACKAGE_VERSION };
      this.llmMetrics = createLlmMetrics(provider.getMeter(scope.name, scope.version), scope);
    }
    return this.llmMetrics;
  }

  private markAncestors(span: Span): void {
    const parentOf = this.runtime.parentOf;
    for (let p = parentOf.get(span), depth = 0; p && depth < 128; p = parentOf.get(p), depth++) {
      this.covered.add(p);
    }
  }

  /** True when one of our own LLM spans encloses this span (that span prices the call). */
  private insideOurCall(span: Span): boolean {
    const parentOf = this.runtime.parentOf;
    for (let p = parentOf.get(span), depth = 0; p && depth < 128; p = parentOf.get(p), depth++) {
      if (isOurs(p as Span) && (p as Span).attributes?.[ATTR.OPERATION] !== undefined) return true;
    }
    return false;
  }

  private process(span: Span): void {
    const attrs = span.attributes;
    const decided = modelCallRole(attrs, span.name, span.instrumentationScope?.name ?? '');
    // A framework's LLM span is a summary of the client span under it. In one process the spans under it have
    // ended before it, so it is priced when none of them was (the framework called a client nothing traces);
    // the collector, which sees spans one by one, needs framework_llm_spans: call for that.
    const framework = decided?.role === 'framework' && !this.covered.has(span);
    if (decided && decided.role !== 'call' && !framework) {
      // Its usage repeats the calls under it (or it is no billed call): never priced or metered.
      if (!isOurs(span) && carriesUsageOrCost(attrs)) span.setAttribute(ATTR.MODEL_CALL, false);
      return;
    }
    if (!decided && !hasUsage(attrs)) return; // no LLM span
    const zero = foreignZero(attrs);
    if (isOurs(span) || (hasCost(attrs) && !zero)) {
      this.markAncestors(span);
      return;
    }
    if (this.covered.has(span) || this.insideOurCall(span)) return;
    this.markAncestors(span);

    const rt = this.runtime;
    const call = readForeignCall(attrs);
    const ctx = this.parentContext.get(span);
    const attribution = ctx ? attributionForContext(ctx, rt) : {};
    for (const [key, value] of Object.entries(attribution)) {
      if (attrs[key] === undefined) span.setAttribute(key, value);
    }
    this.record(span, call, { ...attribution, ...this.ownAttribution(span, rt) }, rt);
    if (zero && span.attributes[ATTR.COST_SOURCE] !== undefined) span.setAttribute(ATTR.COST_REPLACED, 'zero');
  }

  /** Attribution attributes already on the span (set by the app or at start) win over resolved ones. */
  private ownAttribution(span: Span, rt: LlmCostRuntime): Record<string, AttributeValue> {
    const out: Record<string, AttributeValue> = {};
    for (const key of rt.attribution.inherited) {
      const v = span.attributes[key];
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  private record(span: Span, call: ForeignCall, attribution: Record<string, AttributeValue>, rt: LlmCostRuntime): void {
    const series = callSeries(rt.metricsFor(this.metrics()), call, attribution, rt);
    for (const key of missingDimensions(attribution, rt)) series.attributionMissing(key);
    // Normalize to the semconv subsets this project documents (cache writes under cache_creation).
    if (call.usage?.cacheWriteTokens && span.attributes[ATTR.CACHE_CREATION_TOKENS] === undefined) {
      span.setAttribute(ATTR.CACHE_CREATION_TOKENS, call.usage.cacheWriteTokens);
    }
    let errorType: string | undefined;
    if (span.status?.code === SpanStatusCode.ERROR) {
      const type = span.attributes[ATTR.ERROR_TYPE];
      errorType = typeof type === 'string' && type ? type : ERROR_TYPE_VALUE_OTHER;
    }
    recordFinishedCall(span, series, rt, callCustomer(attribution, rt), {
      provider: call.provider,
      requestModel: call.requestModel,
      responseModel: call.responseModel,
      usage: call.usage,
      providerReportedCost: call.providerReportedCost,
      context: call.context,
      partial: call.usage ? call.partial : undefined,
      errorType,
      durationSeconds: seconds(span),
      timeToFirstChunkSeconds: call.streaming ? call.timeToFirstChunk : undefined,
      // The span carries its instrumentation's usage attributes already.
      setUsageAttributes: false,
    });
  }
}
