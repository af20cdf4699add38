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
import { ERROR_TYPE_VALUE_OTHER } from '@opentelemetry/semantic-conventions';
import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import { attributionForContext } from '../attribution/resolve.js';
import { AttributionError, missingDimensions } from '../attribution/strict.js';
import type { BudgetState } from '../budgets/enforcer.js';
import type { LlmMetrics, LlmSeries } from './metrics.js';
import { ATTR } from './names.js';
import { callCustomer, callSeries, recordFinishedCall } from './record.js';
import { defaultRuntime, type LlmCostRuntime } from './runtime.js';

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
  /**
   * The span describes a call the provider ran earlier or elsewhere, priced when its usage arrives: a batch
   * result, a background response retrieved later. Cost, tokens and the cost counter are recorded as usual; the
   * duration and time-to-first-chunk metrics are not (they would time the download, not the call).
   */
  deferred?: boolean;
}

export interface LlmCallOutcome {
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  /** Provider-neutral usage, subsets included in totals (see @otel-llm-cost/pricing TokenUsage). */
  usage?: TokenUsage;
  /** Cost the provider itself reported (USD), e.g. OpenRouter usage.cost. */
  providerReportedCost?: number;
  /**
   * What the response says about how it is billed (genai-prices price context): the tier the provider SERVED
   * (`service_tier`; never a requested `auto`), `processing: 'batch'`, `speed: 'fast'`.
   */
  priceContext?: PriceContext;
  /** Response attributes for the span (e.g. `openai.response.service_tier`); undefined values are skipped. */
  attributes?: Record<string, AttributeValue | undefined>;
  /** The stream was abandoned or aborted: usage/cost cover only what was seen. */
  partial?: boolean;
  outputContent?: unknown;
}

/** Where a call's telemetry goes, and the runtime that prices and attributes it (default: the default runtime). */
export interface LlmTelemetry {
  tracer: Tracer;
  metrics: LlmMetrics;
  runtime?: LlmCostRuntime;
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
  return ERROR_TYPE_VALUE_OTHER;
}

export class LlmCall {
  readonly span: Span;
  /** The context with this call's span active (for work done on behalf of the call). */
  readonly context: Context;
  private readonly startTime = performance.now();
  private firstChunkTime: number | undefined;
  private ended = false;
  /** The budgets this call falls under, set by the budget check (budgets/enforce.ts); its cost adds to them. */
  budgets: BudgetState[] | undefined;

  constructor(
    /** Where this call's metric points go: its capped labels in the runtime's table or the instruments (callSeries). */
    private readonly series: LlmSeries,
    /** The runtime that prices and attributes this call (its warnings are where internal errors go). */
    readonly runtime: LlmCostRuntime,
    private readonly start: LlmCallStart,
    span: Span,
    /** The context the call was made in. */
    parent: Context,
    /** The call's attribution (scope > ancestors > baggage), under the runtime's keys; read only. */
    readonly attribution: Record<string, AttributeValue>,
  ) {
    this.span = span;
    this.context = trace.setSpan(parent, span);
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
      this.runtime.warnings.internalError('recording an LLM call', e);
    } finally {
      try {
        this.span.end();
      } catch (e) {
        this.runtime.warnings.internalError('ending an LLM span', e);
      }
    }
  }

  private record(outcome: LlmCallOutcome, error: unknown): void {
    const span = this.span;
    if (outcome.responseModel) span.setAttribute(ATTR.RESPONSE_MODEL, outcome.responseModel);
    if (outcome.responseId) span.setAttribute(ATTR.RESPONSE_ID, outcome.responseId);
    if (outcome.finishReasons?.length) span.setAttribute(ATTR.FINISH_REASONS, outcome.finishReasons);
    const extra = outcome.attributes;
    if (extra) {
      for (const key in extra) {
        const value = extra[key];
        if (value !== undefined) span.setAttribute(key, value);
      }
    }
    if (this.runtime.options.captureContent) {
      const out = contentAttr(outcome.outputContent);
      if (out) span.setAttribute(ATTR.OUTPUT_MESSAGES, out);
    }
    let type: string | undefined;
    if (error) {
      type = errorType(error);
      span.setAttribute(ATTR.ERROR_TYPE, type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      if (error instanceof Error) span.recordException(error);
    }
    const cost = recordFinishedCall(span, this.series, this.runtime, callCustomer(this.attribution, this.runtime), {
      provider: this.start.provider,
      requestModel: this.start.requestModel,
      responseModel: outcome.responseModel,
      usage: outcome.usage,
      providerReportedCost: outcome.providerReportedCost,
      context: outcome.priceContext,
      partial: outcome.partial,
      deferred: this.start.deferred,
      errorType: type,
      durationSeconds: (performance.now() - this.startTime) / 1000,
      timeToFirstChunkSeconds:
        this.start.streaming && this.firstChunkTime !== undefined
          ? (this.firstChunkTime - this.startTime) / 1000
          : undefined,
    });
    // Spend under budgets: this call's (a stream or a retried call is one call, recorded here once).
    const budgets = this.runtime.budgets;
    if (cost !== undefined && cost > 0 && budgets) {
      const states = this.budgets ?? budgets.match(this.attribution);
      if (states) budgets.addSpend(states, cost);
    }
  }
}

/**
 * Starts the span of one LLM call in the active context. Throws AttributionError only in strict `throw` mode
 * (a development aid, before any request is sent); every other failure is swallowed and logged.
 */
export function startLlmCall(telemetry: LlmTelemetry, start: LlmCallStart): LlmCall {
  const rt = telemetry.runtime ?? defaultRuntime();
  const active = context.active();
  const attribution = attributionForContext(active, rt);
  const missing = missingDimensions(attribution, rt);
  if (missing.length > 0 && rt.options.strict?.mode === 'throw')
    throw new AttributionError(missing, `${start.operation} ${start.requestModel ?? ''}`.trim());
  // After the strict check: a refused call takes no label value into the caps.
  const series = callSeries(rt.metricsFor(telemetry.metrics), start, attribution, rt);
  for (const key of missing) series.attributionMissing(key);
  // Set one by one (each store is one inline-cached transition), not as a literal with computed keys.
  const attributes: Record<string, AttributeValue> = {};
  attributes[ATTR.OPERATION] = start.operation;
  attributes[ATTR.PROVIDER] = start.provider;
  if (start.requestModel) attributes[ATTR.REQUEST_MODEL] = start.requestModel;
  if (start.serverAddress) attributes[ATTR.SERVER_ADDRESS] = start.serverAddress;
  if (start.serverPort) attributes[ATTR.SERVER_PORT] = start.serverPort;
  const extra = start.attributes;
  if (extra) {
    for (const key in extra) {
      const value = extra[key];
      if (value !== undefined) attributes[key] = value;
    }
  }
  if (rt.options.captureContent) {
    const input = contentAttr(start.inputContent);
    if (input) attributes[ATTR.INPUT_MESSAGES] = input;
  }
  for (const key in attribution) attributes[key] = attribution[key]!;
  const name = start.requestModel ? `${start.operation} ${start.requestModel}` : start.operation;
  // The span processor's onStart would resolve the same attribution again for this span: it is on the span already.
  rt.startingCall = active;
  let span: Span;
  try {
    span = telemetry.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
  } finally {
    rt.startingCall = undefined;
  }
  return new LlmCall(series, rt, start, span, active, attribution);
}
