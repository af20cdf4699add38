import type { AttributeValue } from '@opentelemetry/api';
import type { TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import { ATTR } from '../../core/names.js';
import {
  type AnthropicStreamEventWire,
  toTokenUsage as anthropicUsage,
  MessageStreamState,
} from '../anthropic/usage.js';
import type { CallStreamState } from '../shared/stream.js';
import { cacheExclusiveUsage, count as num, samplingAttributes } from '../shared/usage.js';

/** Bedrock Converse `TokenUsage` (and the same shape in ConverseStream `metadata` events). */
export interface ConverseUsageWire {
  inputTokens?: number;
  outputTokens?: number;
  totalTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
  cacheDetails?: { ttl?: string; inputTokens?: number }[];
}

/**
 * Converse usage -> provider-neutral usage. Bedrock's `inputTokens` EXCLUDES cache reads and writes
 * (AWS Bedrock user guide, "Prompt caching": totalTokens = inputTokens + cacheReadInputTokens +
 * cacheWriteInputTokens + outputTokens), so all input = inputTokens + cacheRead + cacheWrite.
 * `cacheDetails` gives the writes per TTL (5m / 1h).
 */
export function converseUsage(u: ConverseUsageWire | undefined): TokenUsage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const input = num(u.inputTokens);
  const output = num(u.outputTokens);
  if (input === undefined && output === undefined) return undefined;
  let oneHour = 0;
  for (const d of u.cacheDetails ?? []) if (d?.ttl === '1h') oneHour += num(d.inputTokens) ?? 0;
  return cacheExclusiveUsage(input, output, num(u.cacheReadInputTokens), num(u.cacheWriteInputTokens), oneHour);
}

/** An inference profile ARN or a model ARN -> the model / profile id (`us.anthropic.claude-...`). */
export function modelIdOf(modelId: unknown): string | undefined {
  if (typeof modelId !== 'string' || modelId === '') return undefined;
  if (modelId.startsWith('arn:')) return modelId.slice(modelId.lastIndexOf('/') + 1);
  return modelId;
}

// biome-ignore lint/suspicious/noExplicitAny: command inputs are whatever the caller passed
export type Input = Record<string, any>;

export function converseAttributes(input: Input): Record<string, AttributeValue | undefined> {
  const c = input?.inferenceConfig ?? {};
  return samplingAttributes(c.maxTokens, c.temperature, c.topP);
}

export interface ConverseOutputWire {
  stopReason?: string;
  usage?: ConverseUsageWire;
  output?: { message?: unknown };
  $metadata?: { requestId?: string };
}

export function converseOutcome(out: ConverseOutputWire, model: string | undefined): LlmCallOutcome {
  return {
    responseModel: model,
    responseId: out?.$metadata?.requestId,
    finishReasons: typeof out?.stopReason === 'string' ? [out.stopReason] : undefined,
    usage: converseUsage(out?.usage),
    outputContent: out?.output?.message,
  };
}

export interface ConverseStreamEventWire {
  messageStop?: { stopReason?: string };
  metadata?: { usage?: ConverseUsageWire };
  contentBlockDelta?: { delta?: { text?: string } };
}

export class ConverseStreamState implements CallStreamState<ConverseStreamEventWire> {
  private stop: string | undefined;
  private usage: ConverseUsageWire | undefined;

  constructor(
    private readonly model: string | undefined,
    private readonly requestId: string | undefined,
  ) {}

  /** Text deltas carry content (time to first chunk). */
  isContent(event: ConverseStreamEventWire): boolean {
    return !!event?.contentBlockDelta;
  }

  onItem(event: ConverseStreamEventWire): void {
    if (!event || typeof event !== 'object') return;
    if (event.messageStop?.stopReason) this.stop = event.messageStop.stopReason;
    if (event.metadata?.usage) this.usage = event.metadata.usage;
  }

  outcome(abandoned: boolean): LlmCallOutcome {
    return {
      responseModel: this.model,
      responseId: this.requestId,
      finishReasons: this.stop ? [this.stop] : undefined,
      usage: converseUsage(this.usage),
      partial: abandoned || !this.usage || undefined,
    };
  }
}

// --- InvokeModel bodies -------------------------------------------------------------------------

export function decodeBody(body: unknown): unknown {
  try {
    const text =
      typeof body === 'string' ? body : body instanceof Uint8Array ? new TextDecoder().decode(body) : undefined;
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export function invokeAttributes(input: Input): Record<string, AttributeValue | undefined> {
  const body = decodeBody(input?.body) as Input | undefined;
  const n = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    [ATTR.REQUEST_MAX_TOKENS]: n(body?.max_tokens) ?? n(body?.inferenceConfig?.maxTokens) ?? n(body?.max_gen_len),
    [ATTR.REQUEST_TEMPERATURE]: n(body?.temperature) ?? n(body?.inferenceConfig?.temperature),
    [ATTR.REQUEST_TOP_P]: n(body?.top_p) ?? n(body?.inferenceConfig?.topP),
  };
}

/** Usage of an InvokeModel response body: Anthropic Messages, Amazon Nova, Meta Llama / Mistral, Titan / Cohere embeddings. */
export function invokeBodyUsage(body: Input | undefined): TokenUsage | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const u = body.usage;
  if (u && (u.input_tokens !== undefined || u.output_tokens !== undefined)) return anthropicUsage(u);
  if (u && (u.inputTokens !== undefined || u.outputTokens !== undefined)) {
    // Amazon Nova: cache counts reported apart from inputTokens, like Converse.
    return converseUsage({
      inputTokens: u.inputTokens,
      outputTokens: u.outputTokens,
      cacheReadInputTokens: u.cacheReadInputTokenCount,
      cacheWriteInputTokens: u.cacheWriteInputTokenCount,
    });
  }
  const prompt = num(body.prompt_token_count);
  const generation = num(body.generation_token_count);
  if (prompt !== undefined || generation !== undefined)
    return { inputTokens: prompt ?? 0, outputTokens: generation ?? 0 };
  const embedInput = num(body.inputTextTokenCount);
  if (embedInput !== undefined) return { inputTokens: embedInput, outputTokens: 0 };
  return undefined;
}

export function invokeOutcome(
  out: { body?: unknown; $metadata?: { requestId?: string } },
  model: string | undefined,
): LlmCallOutcome {
  const body = decodeBody(out?.body) as Input | undefined;
  const stop =
    typeof body?.stop_reason === 'string'
      ? body.stop_reason
      : typeof body?.stopReason === 'string'
        ? body.stopReason
        : undefined;
  return {
    responseModel: model,
    responseId: typeof body?.id === 'string' ? body.id : out?.$metadata?.requestId,
    finishReasons: stop ? [stop] : undefined,
    usage: invokeBodyUsage(body),
    outputContent: body?.content ?? body?.output,
  };
}

interface InvocationMetricsWire {
  inputTokenCount?: number;
  outputTokenCount?: number;
  cacheReadInputTokenCount?: number;
  cacheWriteInputTokenCount?: number;
}

/**
 * InvokeModelWithResponseStream: each `chunk.bytes` is one event of the model's own stream format
 * (Anthropic Messages SSE events for Claude). The last one carries `amazon-bedrock-invocationMetrics`,
 * used when the body's own events have no usage.
 */
export class InvokeStreamState implements CallStreamState<{ chunk?: { bytes?: Uint8Array } }> {
  private readonly anthropic = new MessageStreamState();
  private sawAnthropic = false;
  private metrics: InvocationMetricsWire | undefined;

  constructor(private readonly model: string | undefined) {}

  onItem(chunk: { chunk?: { bytes?: Uint8Array } }): void {
    const event = decodeBody(chunk?.chunk?.bytes) as (AnthropicStreamEventWire & Input) | undefined;
    if (!event || typeof event !== 'object') return;
    const metrics = event['amazon-bedrock-invocationMetrics'];
    if (metrics && typeof metrics === 'object') this.metrics = metrics;
    if (typeof event.type === 'string') {
      this.sawAnthropic = true;
      this.anthropic.onItem(event);
    }
  }

  outcome(abandoned: boolean): LlmCallOutcome {
    const base = this.sawAnthropic ? this.anthropic.outcome(abandoned) : { partial: abandoned || undefined };
    let usage = base.usage;
    if (this.metrics && (!usage || base.partial)) {
      usage = converseUsage({
        inputTokens: this.metrics.inputTokenCount,
        outputTokens: this.metrics.outputTokenCount,
        cacheReadInputTokens: this.metrics.cacheReadInputTokenCount,
        cacheWriteInputTokens: this.metrics.cacheWriteInputTokenCount,
      });
    }
    return {
      ...base,
      responseModel: this.model,
      usage,
      partial: abandoned || (!this.metrics && base.partial) || undefined,
    };
  }
}
