import type { AttributeValue } from '@opentelemetry/api';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
import { samplingAttributes } from '../shared/usage.js';
import type { ChatCompletionWire, RequestBody } from './types.js';
import { reportedCost, servedTier, tierOutcome, toTokenUsage } from './usage.js';

/** Chat completions: request attributes, response and stream mapping. */

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** gen_ai.request.* sampling attributes; undefined when the request sets none (no object to build or walk). */
export function requestAttributes(body: RequestBody): Record<string, AttributeValue | undefined> | undefined {
  const max = num(body.max_completion_tokens) ?? num(body.max_tokens) ?? num(body.max_output_tokens);
  if (max === undefined && num(body.temperature) === undefined && num(body.top_p) === undefined) return undefined;
  return samplingAttributes(max, body.temperature, body.top_p);
}

function finishReasons(choices: ChatCompletionWire['choices']): string[] | undefined {
  if (!Array.isArray(choices)) return undefined;
  let reasons: string[] | undefined;
  for (const c of choices) {
    const reason = c?.finish_reason;
    if (typeof reason !== 'string') continue;
    if (reasons) reasons.push(reason);
    else reasons = [reason];
  }
  return reasons;
}

/** The outcome of a chat completion; the messages (outputContent) only when content is captured. */
export function chatOutcome(resp: ChatCompletionWire, captureContent = true): LlmCallOutcome {
  const tier = tierOutcome(resp?.service_tier);
  return {
    responseModel: resp?.model,
    responseId: resp?.id,
    finishReasons: finishReasons(resp?.choices),
    usage: toTokenUsage(resp?.usage),
    providerReportedCost: reportedCost(resp?.usage),
    priceContext: tier.priceContext,
    attributes: tier.attributes,
    outputContent: captureContent && Array.isArray(resp?.choices) ? resp.choices.map((c) => c?.message) : undefined,
  };
}

/**
 * Accumulates what a chat completion stream told us. Per chunk it allocates nothing: the text is kept only when
 * content is captured (it is only ever the recorded output), and the choices are walked with a plain loop.
 */
export class ChatStreamState implements CallStreamState<ChatCompletionWire> {
  private model: string | undefined;
  private id: string | undefined;
  private readonly reasons = new Map<number, string>();
  private usage: ChatCompletionWire['usage'];
  /** Every chunk carries the served tier; the last one seen wins. */
  private tier: string | undefined;
  private text = '';

  /**
   * `injectedUsage`: we asked for the usage chunk, so the caller does not get it. `captureContent`: the output
   * text is recorded (the runtime's captureContent), so it is accumulated.
   */
  constructor(
    private readonly injectedUsage = false,
    protected readonly captureContent = true,
  ) {}

  onItem(chunk: ChatCompletionWire): void {
    if (!chunk || typeof chunk !== 'object') return;
    this.model ??= chunk.model;
    this.id ??= chunk.id;
    if (chunk.usage) this.usage = chunk.usage;
    this.tier = servedTier(chunk.service_tier) ?? this.tier;
    const choices = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (let i = 0; i < choices.length; i++) {
      const c = choices[i];
      const index = (c as { index?: number } | undefined)?.index ?? i;
      if (typeof c?.finish_reason === 'string') this.reasons.set(index, c.finish_reason);
      if (this.captureContent) {
        const content = (c?.delta as { content?: unknown } | undefined)?.content;
        if (typeof content === 'string') this.text += content;
      }
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
