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
import type { HeaderTokenCounts } from './token-headers.js';

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
  // Nova: inferenceConfig; Titan: textGenerationConfig; Llama: max_gen_len; Cohere: p.
  const c = body?.inferenceConfig ?? body?.textGenerationConfig;
  return {
    [ATTR.REQUEST_MAX_TOKENS]: n(body?.max_tokens) ?? n(c?.maxTokens) ?? n(c?.maxTokenCount) ?? n(body?.max_gen_len),
    [ATTR.REQUEST_TEMPERATURE]: n(body?.temperature) ?? n(c?.temperature),
    [ATTR.REQUEST_TOP_P]: n(body?.top_p) ?? n(c?.topP) ?? n(body?.p),
  };
}

/**
 * Usage of an InvokeModel response body, where the family reports one: Anthropic Messages, Amazon Nova, Meta
 * Llama (`prompt_token_count` / `generation_token_count`), Amazon Titan Text (`inputTextTokenCount`, output =
 * the sum of `results[].tokenCount`) and Titan Embeddings (`inputTextTokenCount`). Mistral and Cohere bodies
 * have no token counts: undefined.
 */
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
  const titanInput = num(body.inputTextTokenCount);
  if (titanInput !== undefined) {
    let output = 0;
    if (Array.isArray(body.results)) for (const r of body.results) output += num(r?.tokenCount) ?? 0;
    return { inputTokens: titanInput, outputTokens: output };
  }
  return undefined;
}

/** Bedrock's own counts (InvokeModel headers, stream invocation metrics) as usage; undefined when it has none. */
function bedrockCountsUsage(input: unknown, output: unknown): TokenUsage | undefined {
  const i = num(input);
  const o = num(output);
  if (i === undefined && o === undefined) return undefined;
  return { inputTokens: i ?? 0, outputTokens: o ?? 0 };
}

/**
 * The finish reasons of an InvokeModel body or stream event, in each family's field: `stop_reason` (Anthropic,
 * Llama), `stopReason` (Nova), `outputs[].stop_reason` / `choices[].stop_reason` (Mistral), `finish_reason` /
 * `generations[].finish_reason` (Cohere), `results[].completionReason` / `completionReason` (Titan).
 */
export function invokeFinishReasons(body: Input | undefined): string[] | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const single = body.stop_reason ?? body.stopReason ?? body.finish_reason ?? body.completionReason;
  if (typeof single === 'string') return [single];
  const list = body.outputs ?? body.choices ?? body.generations ?? body.results;
  if (!Array.isArray(list)) return undefined;
  const reasons: string[] = [];
  for (const item of list) {
    const r = item?.stop_reason ?? item?.finish_reason ?? item?.completionReason;
    if (typeof r === 'string') reasons.push(r);
  }
  return reasons.length ? reasons : undefined;
}

/**
 * InvokeModel outcome. Usage: the body's counts where the family reports them, else Bedrock's
 * `x-amzn-bedrock-*-token-count` headers (token-headers.ts). The body wins when both exist: its counts are the
 * same totals for the same call, and only the body carries the breakdown that is priced apart (Anthropic and
 * Nova cache reads and writes, the 1-hour TTL), which the two headers do not.
 */
export function invokeOutcome(
  out: { body?: unknown; $metadata?: { requestId?: string } },
  model: string | undefined,
  headers?: HeaderTokenCounts,
): LlmCallOutcome {
  const body = decodeBody(out?.body) as Input | undefined;
  return {
    responseModel: model,
    responseId: typeof body?.id === 'string' ? body.id : out?.$metadata?.requestId,
    finishReasons: invokeFinishReasons(body),
    usage: invokeBodyUsage(body) ?? bedrockCountsUsage(headers?.inputTokens, headers?.outputTokens),
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
 * InvokeModelWithResponseStream: each `chunk.bytes` is one event of the model's own stream format (Anthropic
 * Messages SSE events for Claude; `{ generation, ... }` for Llama, `{ outputText, ... }` for Titan, ...). The last
 * one carries `amazon-bedrock-invocationMetrics`. Usage: Anthropic's own events where complete (they carry the
 * cache breakdown), else the invocation metrics (the final counts Bedrock bills; the other families' events
 * have none, or running counts only), else for a stream left early the running counts seen (Llama
 * `prompt_token_count` / `generation_token_count`, Titan `inputTextTokenCount` / `totalOutputTextTokenCount`).
 */
export class InvokeStreamState implements CallStreamState<{ chunk?: { bytes?: Uint8Array } }> {
  private readonly anthropic = new MessageStreamState();
  private sawAnthropic = false;
  private metrics: InvocationMetricsWire | undefined;
  private finish: string[] | undefined;
  private runningInput: number | undefined;
  private runningOutput: number | undefined;

  constructor(private readonly model: string | undefined) {}

  onItem(chunk: { chunk?: { bytes?: Uint8Array } }): void {
    const event = decodeBody(chunk?.chunk?.bytes) as (AnthropicStreamEventWire & Input) | undefined;
    if (!event || typeof event !== 'object') return;
    const metrics = event['amazon-bedrock-invocationMetrics'];
    if (metrics && typeof metrics === 'object') this.metrics = metrics;
    if (typeof event.type === 'string') {
      this.sawAnthropic = true;
      this.anthropic.onItem(event);
      return;
    }
    this.finish = invokeFinishReasons(event) ?? this.finish;
    this.runningInput ??= num(event.prompt_token_count) ?? num(event.inputTextTokenCount);
    this.runningOutput =
      num(event.generation_token_count) ?? num(event.totalOutputTextTokenCount) ?? this.runningOutput;
  }

  outcome(abandoned: boolean): LlmCallOutcome {
    const base = this.sawAnthropic
      ? this.anthropic.outcome(abandoned)
      : { partial: abandoned || undefined, finishReasons: this.finish };
    let usage = base.usage;
    if (this.metrics && (!usage || base.partial)) {
      usage = converseUsage({
        inputTokens: this.metrics.inputTokenCount,
        outputTokens: this.metrics.outputTokenCount,
        cacheReadInputTokens: this.metrics.cacheReadInputTokenCount,
        cacheWriteInputTokens: this.metrics.cacheWriteInputTokenCount,
      });
    }
    usage ??= bedrockCountsUsage(this.runningInput, this.runningOutput);
    return {
      ...base,
      responseModel: this.model,
      usage,
      partial: abandoned || (!this.metrics && base.partial) || undefined,
    };
  }
}
