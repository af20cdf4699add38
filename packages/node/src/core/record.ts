import type { AttributeValue, Span } from '@opentelemetry/api';
import type { PriceContext, PriceResult, TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmMetrics, LlmSeries } from './metrics.js';
import { ATTR, type TOKEN_TYPES } from './names.js';
import type { LlmCostRuntime } from './runtime.js';
import type { SeriesKey } from './series-index.js';

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

/**
 * The series a call's points go to: its labels capped (per label, across instruments), found from the raw values
 * by the runtime's index once the tuple was seen (so a call builds no label object).
 */
export function callSeries(
  m: LlmMetrics,
  call: SeriesKey,
  attribution: Record<string, AttributeValue>,
  rt: LlmCostRuntime,
): LlmSeries {
  const index = rt.seriesIndex(m);
  let series = index.find(call, attribution);
  if (!series) {
    series = m.series(rt.limiter.limitAttributes(metricLabels(call, attribution, rt)));
    index.remember(call, attribution, series);
  }
  return series;
}

/** The customer a call bills (the attribution's own id, not its capped label), for the markup. */
export function callCustomer(
  attribution: Record<string, AttributeValue>,
  rt: LlmCostRuntime,
): AttributeValue | undefined {
  const customer = attribution[rt.attribution.keys.customer];
  return customer === '' ? undefined : customer;
}

function recordUsage(span: Span, series: LlmSeries, call: FinishedCall) {
  const usage = call.usage;
  if (!usage) return;
  const usageAttributes = call.setUsageAttributes !== false;
  if (usageAttributes) {
    span.setAttribute(ATTR.INPUT_TOKENS, usage.inputTokens);
    span.setAttribute(ATTR.OUTPUT_TOKENS, usage.outputTokens);
  }
  // input and output are counted even when 0; every other count only when it is not.
  if (usage.inputTokens !== undefined) series.tokens('input', usage.inputTokens);
  if (usage.outputTokens !== undefined) series.tokens('output', usage.outputTokens);
  // One pass over the fields the usage has (a chat call: two or three), not over every field there is.
  for (const field in usage) {
    const spec = USAGE_FIELDS[field as CountField];
    const n = usage[field as CountField];
    if (!spec || !n) continue;
    if (spec.attribute && (usageAttributes || !spec.usageAttribute)) span.setAttribute(spec.attribute, n);
    if (spec.tokenType) series.tokens(spec.tokenType, n);
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

/** The gen_ai.usage.* subsets the span gets unless its instrumentation wrote them (setUsageAttributes: false). */
const USAGE_ATTRIBUTES: Partial<Record<CountField, string>> = {
  cacheReadTokens: ATTR.CACHE_READ_TOKENS,
  cacheWriteTokens: ATTR.CACHE_CREATION_TOKENS,
  reasoningTokens: ATTR.REASONING_TOKENS,
};

/** The modality parts of usage, the usage that is not tokens, and their span attributes (written only when non-zero). */
const MODALITY_ATTRIBUTES: Partial<Record<CountField, string>> = {
  cacheWrite1hTokens: ATTR.CACHE_CREATION_1H_TOKENS,
  inputAudioTokens: ATTR.AUDIO_INPUT_TOKENS,
  inputImageTokens: ATTR.IMAGE_INPUT_TOKENS,
  inputVideoTokens: ATTR.VIDEO_INPUT_TOKENS,
  cacheReadAudioTokens: ATTR.CACHE_READ_AUDIO_TOKENS,
  outputAudioTokens: ATTR.AUDIO_OUTPUT_TOKENS,
  outputImageTokens: ATTR.IMAGE_OUTPUT_TOKENS,
  inputAudioSeconds: ATTR.INPUT_AUDIO_SECONDS,
  outputAudioSeconds: ATTR.OUTPUT_AUDIO_SECONDS,
  inputCharacters: ATTR.INPUT_CHARACTERS,
  webSearches: ATTR.WEB_SEARCHES,
  images: ATTR.IMAGES,
  outputVideoSeconds: ATTR.OUTPUT_VIDEO_SECONDS,
  cacheStorageTokenHours: ATTR.CACHE_STORAGE_TOKEN_HOURS,
};

/** What a non-zero usage field other than input and output records: its span attribute, its token-type count. */
interface UsageFieldRecord {
  attribute?: string;
  /** A gen_ai.usage.* subset (see USAGE_ATTRIBUTES). */
  usageAttribute: boolean;
  tokenType?: string;
}

const USAGE_FIELDS: Partial<Record<CountField, UsageFieldRecord>> = (() => {
  const out: Partial<Record<CountField, UsageFieldRecord>> = {};
  const entry = (field: CountField) => {
    out[field] ??= { usageAttribute: false };
    return out[field];
  };
  for (const [type, field] of Object.entries(TOKEN_TYPE_FIELDS) as [string, CountField][]) {
    if (type !== 'input' && type !== 'output') entry(field).tokenType = type;
  }
  for (const [field, attribute] of Object.entries(USAGE_ATTRIBUTES) as [CountField, string][]) {
    Object.assign(entry(field), { attribute, usageAttribute: true });
  }
  for (const [field, attribute] of Object.entries(MODALITY_ATTRIBUTES) as [CountField, string][]) {
    entry(field).attribute = attribute;
  }
  return out;
})();

/** The context as the pricer gets it: string values only, undefined when empty. */
function priceContext(context: PriceContext | undefined): PriceContext | undefined {
  if (!context) return undefined;
  let any = false;
  let clean = true;
  for (const key in context) {
    const value = context[key];
    if (typeof value === 'string' && value !== '') any = true;
    else clean = false;
  }
  if (!any) return undefined;
  if (clean) return context; // already the pricer's shape (a shared tier context, say): handed on as it is
  const out: Record<string, string> = {};
  for (const key in context) {
    const value = context[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  return out;
}

/** `llmcost.price.context.<key>`, built once per context key (a handful: service_tier, processing, speed). */
const contextAttributes = new Map<string, string>();
function contextAttribute(key: string): string {
  let attribute = contextAttributes.get(key);
  if (attribute === undefined) {
    attribute = ATTR.PRICE_CONTEXT_PREFIX + key;
    if (contextAttributes.size < 64) contextAttributes.set(key, attribute);
  }
  return attribute;
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

/**
 * Records a finished call on its span and in `series` (callSeries: the call's capped labels; the labels each
 * instrument adds are closed sets (token type, cost source, unpriced reason), except error.type, capped here).
 * `customer` is the attribution's own customer id (callCustomer), which the markup bills. Returns the call's cost
 * in USD when it was priced (budgets add it to their spend).
 */
export function recordFinishedCall(
  span: Span,
  series: LlmSeries,
  rt: LlmCostRuntime,
  customer: AttributeValue | undefined,
  call: FinishedCall,
): number | undefined {
  span.setAttribute(ATTR.PRICED_BY, 'sdk');
  span.setAttribute(ATTR.SDK_METRICS, true);
  if (call.partial) span.setAttribute(ATTR.COST_PARTIAL, true);
  recordUsage(span, series, call);

  const context = priceContext(call.context);
  if (context) {
    for (const key in context) {
      const value = context[key];
      if (value !== undefined) span.setAttribute(contextAttribute(key), value);
    }
  }

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
    recordPrice(span, series, rt, customer, result, call);
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
