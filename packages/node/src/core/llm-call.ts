import {
  type AttributeValue,
  type Context,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { PriceResult, TokenUsage } from '@otel-llm-cost/pricing';
import { resolveAttribution } from '../attribution/resolve.js';
import { AttributionError, missingDimensions } from '../attribution/strict.js';
import type { LlmMetrics } from './metrics.js';
import { ATTR } from './names.js';
import { getRuntime, type LlmCostRuntime } from './runtime.js';
import { internalError, warnOnce } from './warn.js';

/**
 * The provider-neutral core every instrumentation calls: start a CLIENT span for one LLM call, then end it
 * with what the provider returned. Pricing, cost attributes, attribution and metrics all happen here, so an
 * instrumentation only maps its provider's payloads to LlmCallStart / LlmCallOutcome.
 */

export interface LlmCallStart {
  /** gen_ai.provider.name */
  provider: string;
  /** gen_ai.operation.name: chat, embeddings, generate_content, ... */
  operation: string;
  requestModel?: string;
  serverAddress?: string;
  serverPort?: number;
  /** More request attributes (gen_ai.request.max_tokens, ...). */
  attributes?: Record<string, AttributeValue | undefined>;
  streaming?: boolean;
  /** Prompt content; recorded only with captureContent. */
  inputContent?: unknown;
}

export interface LlmCallOutcome {
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  /** Provider-neutral usage, subsets included in totals (see @otel-llm-cost/pricing TokenUsage). */
  usage?: TokenUsage;
  /** Cost the provider itself reported (USD), e.g. OpenRouter usage.cost. */
  providerReportedCost?: number;
  /** The stream was abandoned or aborted: usage/cost cover only what was seen. */
  partial?: boolean;
  outputContent?: unknown;
}

export interface LlmTelemetry {
  tracer: Tracer;
  metrics: LlmMetrics;
}

const MAX_CONTENT = 16_384;

function contentAttr(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  try {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    return text.length > MAX_CONTENT ? `${text.slice(0, MAX_CONTENT)}…` : text;
  } catch {
    return undefined;
  }
}

function errorType(error: unknown): string {
  if (error && typeof error === 'object') {
    const name = (error as { constructor?: { name?: string } }).constructor?.name;
    if (name && name !== 'Object') return name;
  }
  return '_OTHER';
}

export class LlmCall {
  readonly span: Span;
  /** The context with this call's span active (for work done on behalf of the call). */
  readonly context: Context;
  private readonly startTime = performance.now();
  private firstChunkTime: number | undefined;
  private ended = false;

  constructor(
    private readonly telemetry: LlmTelemetry,
    private readonly rt: LlmCostRuntime,
    private readonly start: LlmCallStart,
    /** Metric labels common to every instrument (before cardinality caps). */
    private readonly labels: Record<string, AttributeValue>,
    span: Span,
  ) {
    this.span = span;
    this.context = trace.setSpan(context.active(), span);
  }

  /** Marks the first streamed chunk (for time-to-first-chunk). */
  firstChunk(): void {
    this.firstChunkTime ??= performance.now();
  }

  succeed(outcome: LlmCallOutcome): void {
    this.finish(outcome, undefined);
  }

  fail(error: unknown, outcome: LlmCallOutcome = {}): void {
    this.finish(outcome, error ?? new Error('unknown error'));
  }

  private finish(outcome: LlmCallOutcome, error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.record(outcome, error);
    } catch (e) {
      internalError('recording an LLM call', e);
    } finally {
      try {
        this.span.end();
      } catch (e) {
        internalError('ending an LLM span', e);
      }
    }
  }

  private record(outcome: LlmCallOutcome, error: unknown): void {
    const span = this.span;
    const { metrics } = this.telemetry;
    const limit = (instrument: string, attrs: Record<string, AttributeValue>) =>
      this.rt.limiter.limitAttributes(instrument, attrs);
    const labels = this.labels;

    if (outcome.responseModel) span.setAttribute(ATTR.RESPONSE_MODEL, outcome.responseModel);
    if (outcome.responseId) span.setAttribute(ATTR.RESPONSE_ID, outcome.responseId);
    if (outcome.finishReasons?.length) span.setAttribute(ATTR.FINISH_REASONS, outcome.finishReasons);
    if (outcome.partial) span.setAttribute(ATTR.COST_PARTIAL, true);
    if (this.rt.options.captureContent) {
      const out = contentAttr(outcome.outputContent);
      if (out) span.setAttribute(ATTR.OUTPUT_MESSAGES, out);
    }
    span.setAttribute(ATTR.PRICED_BY, 'sdk');
    span.setAttribute(ATTR.SDK_METRICS, true);

    const usage = outcome.usage;
    if (usage) {
      span.setAttribute(ATTR.INPUT_TOKENS, usage.inputTokens);
      span.setAttribute(ATTR.OUTPUT_TOKENS, usage.outputTokens);
      if (usage.cacheReadTokens) span.setAttribute(ATTR.CACHE_READ_TOKENS, usage.cacheReadTokens);
      if (usage.cacheWriteTokens) span.setAttribute(ATTR.CACHE_CREATION_TOKENS, usage.cacheWriteTokens);
      if (usage.cacheWrite1hTokens) span.setAttribute(ATTR.CACHE_CREATION_1H_TOKENS, usage.cacheWrite1hTokens);
      if (usage.reasoningTokens) span.setAttribute(ATTR.REASONING_TOKENS, usage.reasoningTokens);

      const tokenTypes: [string, number | undefined][] = [
        ['input', usage.inputTokens],
        ['output', usage.outputTokens],
        ['cache_read', usage.cacheReadTokens],
        ['cache_creation', usage.cacheWriteTokens],
        ['reasoning', usage.reasoningTokens],
      ];
      for (const [type, count] of tokenTypes) {
        if (count === undefined || (count === 0 && type !== 'input' && type !== 'output')) continue;
        metrics.tokens.add(count, limit('llmcost.tokens', { ...labels, [ATTR.LLMCOST_TOKEN_TYPE]: type }));
      }
      metrics.tokenUsage.record(
        usage.inputTokens,
        limit('gen_ai.client.token.usage', { ...labels, [ATTR.TOKEN_TYPE]: 'input' }),
      );
      metrics.tokenUsage.record(
        usage.outputTokens,
        limit('gen_ai.client.token.usage', { ...labels, [ATTR.TOKEN_TYPE]: 'output' }),
      );
    }

    if (usage || outcome.providerReportedCost !== undefined) {
      const result = this.rt.pricer.price({
        provider: this.start.provider,
        model: outcome.responseModel,
        requestModel: this.start.requestModel,
        usage: usage ?? { inputTokens: 0, outputTokens: 0 },
        providerReportedCost: outcome.providerReportedCost,
        time: new Date(),
      });
      this.recordPrice(result, limit);
    } else if (!error || outcome.partial) {
      // A completed (or partially consumed) call without usage cost money we cannot know: say so, never 0.
      span.setAttribute(ATTR.UNPRICED, true);
      span.setAttribute(ATTR.UNPRICED_REASON, 'no_usage');
      metrics.unpriced.add(1, limit('llmcost.unpriced.requests', { ...labels, [ATTR.UNPRICED_REASON]: 'no_usage' }));
    }

    const seconds = (performance.now() - this.startTime) / 1000;
    if (error) {
      const type = errorType(error);
      span.setAttribute(ATTR.ERROR_TYPE, type);
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      if (error instanceof Error) span.recordException(error);
      metrics.duration.record(
        seconds,
        limit('gen_ai.client.operation.duration', { ...labels, [ATTR.ERROR_TYPE]: type }),
      );
    } else {
      metrics.duration.record(seconds, limit('gen_ai.client.operation.duration', labels));
    }
    if (this.start.streaming && this.firstChunkTime !== undefined) {
      metrics.timeToFirstChunk.record(
        (this.firstChunkTime - this.startTime) / 1000,
        limit('gen_ai.client.operation.time_to_first_chunk', labels),
      );
    }
  }

  private recordPrice(
    result: PriceResult,
    limit: (i: string, a: Record<string, AttributeValue>) => Record<string, AttributeValue>,
  ): void {
    const span = this.span;
    const { metrics } = this.telemetry;
    span.setAttribute(ATTR.PRICE_DATA_VERSION, result.priceDataVersion);
    if (result.priced) {
      span.setAttribute(ATTR.COST, result.cost);
      span.setAttribute(ATTR.COST_INPUT, result.inputCost);
      span.setAttribute(ATTR.COST_OUTPUT, result.outputCost);
      span.setAttribute(ATTR.COST_SOURCE, result.source);
      span.setAttribute(ATTR.PRICING_PROVIDER, result.pricingProvider);
      span.setAttribute(ATTR.PRICING_MODEL, result.pricingModel);
      metrics.cost.add(result.cost, limit('llmcost.cost', { ...this.labels, [ATTR.COST_SOURCE]: result.source }));
      metrics.requestCost.record(result.cost, limit('llmcost.request.cost', this.labels));
      if (result.cacheSavings > 0) {
        metrics.cacheSavings.add(result.cacheSavings, limit('llmcost.cache.savings', this.labels));
      }
    } else {
      span.setAttribute(ATTR.UNPRICED, true);
      span.setAttribute(ATTR.UNPRICED_REASON, result.reason);
      metrics.unpriced.add(
        1,
        limit('llmcost.unpriced.requests', { ...this.labels, [ATTR.UNPRICED_REASON]: result.reason }),
      );
      warnOnce(`unpriced:${this.start.provider}:${this.start.requestModel}`, result.message);
    }
  }
}

function metricLabels(
  start: LlmCallStart,
  attribution: Record<string, AttributeValue>,
  rt: LlmCostRuntime,
): Record<string, AttributeValue> {
  const keys = rt.attribution.keys;
  const labels: Record<string, AttributeValue> = {
    [ATTR.PROVIDER]: start.provider,
    [ATTR.OPERATION]: start.operation,
  };
  if (start.requestModel) labels[ATTR.REQUEST_MODEL] = start.requestModel;
  if (rt.options.environment) labels[ATTR.ENVIRONMENT] = rt.options.environment;
  const dims = [keys.feature, keys.team, keys.customer, keys.route];
  if (rt.options.metrics?.includeUserId) dims.push(keys.user, keys.session);
  for (const key of dims) {
    const v = attribution[key];
    if (v !== undefined && v !== '') labels[key] = v;
  }
  return labels;
}

/**
 * Starts the span of one LLM call in the active context. Throws AttributionError only in strict `throw` mode
 * (a development aid, before any request is sent); every other failure is swallowed and logged.
 */
export function startLlmCall(telemetry: LlmTelemetry, start: LlmCallStart): LlmCall {
  const rt = getRuntime();
  const active = context.active();
  const attribution = resolveAttribution(active, rt);
  const labels = metricLabels(start, attribution, rt);
  const missing = missingDimensions(attribution, rt);
  if (missing.length > 0) {
    if (rt.options.strict?.mode === 'throw')
      throw new AttributionError(missing, `${start.operation} ${start.requestModel ?? ''}`.trim());
    for (const key of missing) {
      telemetry.metrics.attributionMissing.add(
        1,
        rt.limiter.limitAttributes('llmcost.attribution.missing', { ...labels, [ATTR.DIMENSION]: key }),
      );
    }
  }
  const attributes: Record<string, AttributeValue> = {
    [ATTR.OPERATION]: start.operation,
    [ATTR.PROVIDER]: start.provider,
  };
  if (start.requestModel) attributes[ATTR.REQUEST_MODEL] = start.requestModel;
  if (start.serverAddress) attributes[ATTR.SERVER_ADDRESS] = start.serverAddress;
  if (start.serverPort) attributes[ATTR.SERVER_PORT] = start.serverPort;
  for (const [k, v] of Object.entries(start.attributes ?? {})) if (v !== undefined) attributes[k] = v;
  if (rt.options.captureContent) {
    const input = contentAttr(start.inputContent);
    if (input) attributes[ATTR.INPUT_MESSAGES] = input;
  }
  Object.assign(attributes, attribution);
  const name = start.requestModel ? `${start.operation} ${start.requestModel}` : start.operation;
  const span = telemetry.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
  return new LlmCall(telemetry, rt, start, labels, span);
}
