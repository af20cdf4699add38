import type { AttributeValue } from '@opentelemetry/api';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
import { samplingAttributes } from '../shared/usage.js';
import type { ChatCompletionWire, RequestBody } from './types.js';
import { reportedCost, servedTier, tierOutcome, toTokenUsage } from './usage.js';

/** Chat completions: request attributes, response and stream mapping. */

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

export function requestAttributes(body: RequestBody): Record<string, AttributeValue | undefined> {
  const max = num(body.max_completion_tokens) ?? num(body.max_tokens) ?? num(body.max_output_tokens);
  return samplingAttributes(max, body.temperature, body.top_p);
}

function finishReasons(choices: ChatCompletionWire['choices']): string[] | undefined {
  if (!Array.isArray(choices)) return undefined;
  const reasons = choices.map((c) => c?.finish_reason).filter((r): r is string => typeof r === 'string');
  return reasons.length ? reasons : undefined;
}

export function chatOutcome(resp: ChatCompletionWire): LlmCallOutcome {
  return {
    responseModel: resp?.model,
    responseId: resp?.id,
    finishReasons: finishReasons(resp?.choices),
    usage: toTokenUsage(resp?.usage),
    providerReportedCost: reportedCost(resp?.usage),
    ...tierOutcome(resp?.service_tier),
    outputContent: Array.isArray(resp?.choices) ? resp.choices.map((c) => c?.message) : undefined,
  };
}

/** Accumulates what a chat completion stream told us. */
export class ChatStreamState implements CallStreamState<ChatCompletionWire> {
  private model: string | undefined;
  private id: string | undefined;
  private readonly reasons = new Map<number, string>();
  private usage: ChatCompletionWire['usage'];
  /** Every chunk carries the served tier; the last one seen wins. */
  private tier: string | undefined;
  private text = '';

  /** `injectedUsage`: we asked for the usage chunk, so the caller does not get it. */
  constructor(private readonly injectedUsage = false) {}

  onItem(chunk: ChatCompletionWire): void {
    if (!chunk || typeof chunk !== 'object') return;
    this.model ??= chunk.model;
    this.id ??= chunk.id;
    if (chunk.usage) this.usage = chunk.usage;
    this.tier = servedTier(chunk.service_tier) ?? this.tier;
    if (Array.isArray(chunk.choices)) {
      chunk.choices.forEach((c, i) => {
        const index = (c as { index?: number }).index ?? i;
        if (typeof c?.finish_reason === 'string') this.reasons.set(index, c.finish_reason);
        const content = (c?.delta as { content?: unknown } | undefined)?.content;
        if (typeof content === 'string') this.text += content;
      });
    }
  }

  /** A usage-only final chunk (choices empty), which exists only because include_usage was set. */
  static isUsageOnly(chunk: ChatCompletionWire): boolean {
    return !!chunk?.usage && Array.isArray(chunk.choices) && chunk.choices.length === 0;
  }

  hide(chunk: ChatCompletionWire): boolean {
    return this.injectedUsage && ChatStreamState.isUsageOnly(chunk);
  }

  outcome(partial: boolean): LlmCallOutcome {
    return {
      responseModel: this.model,
      responseId: this.id,
      finishReasons: this.reasons.size ? [...this.reasons.values()] : undefined,
      usage: toTokenUsage(this.usage),
      providerReportedCost: reportedCost(this.usage),
      ...tierOutcome(this.tier),
      partial: partial || undefined,
      outputContent: this.text || undefined,
    };
  }
}
