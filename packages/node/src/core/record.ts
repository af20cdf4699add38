import type { AttributeValue, Span } from '@opentelemetry/api';
import type { PriceContext, PriceResult, TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmMetrics, LlmSeries } from './metrics.js';
import { ATTR, type TOKEN_TYPES } from './names.js';
import type { LlmCostRuntime } from './runtime.js';

/**
 * Records one finished LLM call on its span and in the metrics: usage attributes, price (or the unpriced
 * marker), cost attributes, and every metric of docs/telemetry.md. Provider-neutral: LlmCall uses it for the
 * spans our instrumentations create, and processors can use it for spans other libraries created.
 */

export interface FinishedCall {
  /** gen_ai.provider.name */
  provider?: string;
  requestModel?: string;
  responseModel?: string;
  usage?: TokenUsage;
  /** Cost the provider reported (USD), e.g. OpenRouter usage.cost: it wins. */
  providerReportedCost?: number;
  /**
   * Price context from the response (genai-prices `price_context`): the service tier the provider SERVED
   * (`service_tier`), `processing: 'batch'`, `speed: 'fast'`. Selects price variants; recorded on the span as
   * `llmcost.price.context.<key>`.
   */
  context?: PriceContext;
  /** Usage/cost cover only part of the call (stream left early). */
  partial?: boolean;
  /** error.type when the call failed. */
  errorType?: string;
  durationSeconds: number;
  /** Streams: seconds until the first chunk. */
  timeToFirstChunkSeconds?: number;
  /** Write gen_ai.usage.* on the span (false when the span already carries them). Default true. */
  setUsageAttributes?: boolean;
  /** The span describes a call the provider ran earlier or elsewhere (see LlmCallStart.deferred): no duration. */
  deferred?: boolean;
}

/** Metric labels common to every instrument (before cardinality caps). */
export function metricLabels(
  call: { provider?: string; operation?: string; requestModel?: string },
  attribution: Record<string, AttributeValue>,
  rt: LlmCostRuntime,
): Record<string, AttributeValue> {
  const labels: Record<string, AttributeValue> = {};
  if (call.provider) labels[ATTR.PROVIDER] = call.provider;
  if (call.operation) labels[ATTR.OPERATION] = call.operation;
  if (call.requestModel) labels[ATTR.REQUEST_MODEL] = call.requestModel;
  if (rt.options.environment) labels[ATTR.ENVIRONMENT] = rt.options.environment;
  if (rt.options.serviceVersion) labels[ATTR.SERVICE_VERSION] = rt.options.serviceVersion;
  for (const key of rt.attribution.labelKeys) {
    const v = attribution[key];
    if (v !== undefined && v !== '') labels[key] = v;
  }
  return labels;
}

function recordUsage(span: Span, series: LlmSeries, call: FinishedCall) {
  const usage = call.usage;
  if (!usage) return;
  if (call.setUsageAttributes !== false) {
    span.setAttribute(ATTR.INPUT_TOKENS, usage.inputTokens);
    span.setAttribute(ATTR.OUTPUT_TOKENS, usage.outputTokens);
    if (usage.cacheReadTokens) span.setAttribute(ATTR.CACHE_READ_TOKENS, usage.cacheReadTokens);
    if (usage.cacheWriteTokens) span.setAttribute(ATTR.CACHE_CREATION_TOKENS, usage.cacheWriteTokens);
    if (usage.reasoningTokens) span.setAttribute(ATTR.REASONING_TOKENS, usage.reasoningTokens);
  }
  if (usage.cacheWrite1hTokens) span.setAttribute(ATTR.CACHE_CREATION_1H_TOKENS, usage.cacheWrite1hTokens);
  for (const [key, field] of MODALITY_ATTRIBUTES) {
    const n = usage[field];
    if (n) span.setAttribute(key, n);
  }
  for (const [type, field] of TOKEN_TYPE_COUNTS) {
    const n = usage[field];
    if (n === undefined || (n === 0 && type !== 'input' && type !== 'output')) continue;
    series.tokens(type, n);
  }
  series.tokenUsage('input', usage.inputTokens);
  series.tokenUsage('output', usage.outputTokens);
}

type CountField = { [K in keyof TokenUsage]-?: TokenUsage[K] extends number | undefined ? K : never }[keyof TokenUsage];

/** The usage field each `llmcost.token_type` of the contract counts (a type added there must be added here). */
const TOKEN_TYPE_FIELDS: Record<(typeof TOKEN_TYPES)[number], CountField> = {
  input: 'inputTokens',
  output: 'outputTokens',
  cache_read: 'cacheReadTokens',
  cache_creation: 'cacheWriteTokens',
  reasoning: 'reasoningTokens',
};
/** llmcost.tokens `llmcost.token_type` values and their fields (zero counts skipped but input/output). */
const TOKEN_TYPE_COUNTS = Object.entries(TOKEN_TYPE_FIELDS) as [string, CountField][];

/** The modality parts of usage, the usage that is not tokens, and their span attributes (written only when non-zero). */
const MODALITY_ATTRIBUTES: readonly (readonly [string, CountField])[] = Object.entries({
  [ATTR.AUDIO_INPUT_TOKENS]: 'inputAudioTokens',
  [ATTR.IMAGE_INPUT_TOKENS]: 'inputImageTokens',
  [ATTR.VIDEO_INPUT_TOKENS]: 'inputVideoTokens',
  [ATTR.CACHE_READ_AUDIO_TOKENS]: 'cacheReadAudioTokens',
  [ATTR.AUDIO_OUTPUT_TOKENS]: 'outputAudioTokens',
  [ATTR.IMAGE_OUTPUT_TOKENS]: 'outputImageTokens',
  [ATTR.INPUT_AUDIO_SECONDS]: 'inputAudioSeconds',
  [ATTR.OUTPUT_AUDIO_SECONDS]: 'outputAudioSeconds',
  [ATTR.INPUT_CHARACTERS]: 'inputCharacters',
  [ATTR.WEB_SEARCHES]: 'webSearches',
  [ATTR.IMAGES]: 'images',
  [ATTR.OUTPUT_VIDEO_SECONDS]: 'outputVideoSeconds',
  [ATTR.CACHE_STORAGE_TOKEN_HOURS]: 'cacheStorageTokenHours',
} as const);

/** The context as the pricer gets it: string values only, undefined when empty. */
function priceContext(context: PriceContext | undefined): PriceContext | undefined {
  if (!context) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(context)) if (typeof value === 'string' && value !== '') out[key] = value;
  return Object.keys(out).length ? out : undefined;
}

function recordPrice(
  span: Span,
  series: LlmSeries,
  rt: LlmCostRuntime,
  customer: AttributeValue | undefined,
  result: PriceResult,
  call: FinishedCall,
) {
  span.setAttribute(ATTR.PRICE_DATA_VERSION, result.priceDataVersion);
  if (result.priced) {
    span.setAttribute(ATTR.COST, result.cost);
    span.setAttribute(ATTR.COST_INPUT, result.inputCost);
    span.setAttribute(ATTR.COST_OUTPUT, result.outputCost);
    span.setAttribute(ATTR.COST_SOURCE, result.source);
    span.setAttribute(ATTR.PRICING_PROVIDER, result.pricingProvider);
    span.setAttribute(ATTR.PRICING_MODEL, result.pricingModel);
    if (result.variant) span.setAttribute(ATTR.PRICE_VARIANT, result.variant);
    series.cost(result.source, result.cost);
    // The markup bills the call's customer (the attribution's own id, not the capped label) next to its cost.
    const billed = rt.markup?.billed(
      customer,
      result.cost,
      call.usage?.inputTokens ?? 0,
      call.usage?.outputTokens ?? 0,
    );
    if (billed !== undefined) {
      span.setAttribute(ATTR.BILLED_COST, billed);
      series.billed(result.source, billed);
    }
    if (result.cacheSavings > 0) {
      span.setAttribute(ATTR.COST_CACHE_SAVINGS, result.cacheSavings);
      series.cacheSavings(result.cacheSavings);
    }
    return;
  }
  markUnpriced(span, series, result.reason);
  rt.warnings.warnOnce(`unpriced:${call.provider}:${call.requestModel}`, result.message);
}

function markUnpriced(span: Span, series: LlmSeries, reason: string) {
  span.setAttribute(ATTR.UNPRICED, true);
  span.setAttribute(ATTR.UNPRICED_REASON, reason);
  series.unpriced(reason);
}

/** Returns the call's cost in USD when it was priced (budgets add it to their spend). */
export function recordFinishedCall(
  span: Span,
  m: LlmMetrics,
  rt: LlmCostRuntime,
  callLabels: Record<string, AttributeValue>,
  call: FinishedCall,
): number | undefined {
  // The call's labels are capped once (per label, across instruments); the labels each instrument adds are
  // closed sets (token type, cost source, unpriced reason), except error.type, capped below.
  const series = m.series(rt.limiter.limitAttributes(callLabels));
  span.setAttribute(ATTR.PRICED_BY, 'sdk');
  span.setAttribute(ATTR.SDK_METRICS, true);
  if (call.partial) span.setAttribute(ATTR.COST_PARTIAL, true);
  recordUsage(span, series, call);

  const context = priceContext(call.context);
  if (context)
    for (const [key, value] of Object.entries(context)) span.setAttribute(ATTR.PRICE_CONTEXT_PREFIX + key, value);

  let cost: number | undefined;
  if (call.usage || call.providerReportedCost !== undefined) {
    const result = rt.pricer.price({
      provider: call.provider,
      model: call.responseModel,
      requestModel: call.requestModel,
      usage: call.usage ?? { inputTokens: 0, outputTokens: 0 },
      providerReportedCost: call.providerReportedCost,
      context, // no time: the pricer takes now, and only for the models whose prices depend on it
    });
    recordPrice(span, series, rt, callLabels[rt.attribution.keys.customer], result, call);
    if (result.priced) cost = result.cost;
  } else if (!call.errorType || call.partial) {
    // A completed (or partly consumed) call without usage cost money we cannot know: say so, never 0.
    markUnpriced(span, series, 'no_usage');
  }

  // A deferred span (a batch result, a background response fetched later) does not time the provider's work.
  if (call.deferred) {
    span.setAttribute(ATTR.DEFERRED, true);
    return cost;
  }
  series.duration(call.durationSeconds, call.errorType && rt.limiter.limit(ATTR.ERROR_TYPE, call.errorType));
  if (call.timeToFirstChunkSeconds !== undefined) series.timeToFirstChunk(call.timeToFirstChunkSeconds);
  return cost;
}
