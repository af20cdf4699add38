import type { AttributeValue } from '@opentelemetry/api';
import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import { ATTR } from '../../core/names.js';
import type { CallStreamState } from '../shared/stream.js';
import { cacheExclusiveUsage, count as num, samplingAttributes } from '../shared/usage.js';

/** The parts of the Anthropic Messages wire format we read (loose: fields differ across SDK versions). */
export interface AnthropicUsageWire {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
  output_tokens_details?: { thinking_tokens?: number | null } | null;
  /** Server tools the model ran: web searches are billed per search; web fetches only by their tokens. */
  server_tool_use?: { web_search_requests?: number | null; web_fetch_requests?: number | null } | null;
  /** The tier that served the request: `standard`, `priority` or `batch` (Message Batches results). */
  service_tier?: string | null;
  /** The inference speed mode used: `standard` or `fast`. */
  speed?: string | null;
}

export interface AnthropicMessageWire {
  id?: string;
  model?: string;
  stop_reason?: string | null;
  content?: unknown;
  usage?: AnthropicUsageWire | null;
}

export interface AnthropicStreamEventWire {
  type?: string;
  message?: AnthropicMessageWire;
  delta?: { stop_reason?: string | null; type?: string; text?: string };
  usage?: AnthropicUsageWire | null;
  content_block?: { type?: string; to?: { model?: string } };
}

/**
 * Anthropic usage -> provider-neutral usage. Anthropic's `input_tokens` EXCLUDES cache reads and cache
 * writes: all input = input_tokens + cache_read_input_tokens + cache_creation_input_tokens (the semconv
 * gen_ai.usage.input_tokens). `cache_creation` splits writes into 5m and 1h TTLs (priced apart). Thinking
 * tokens are already part of output_tokens (`output_tokens_details.thinking_tokens` says how many).
 * `server_tool_use.web_search_requests` are searches (a fee per 1,000 where the price data has
 * `web_searches_kcount`); `web_fetch_requests` cost nothing beyond the tokens of the fetched content.
 */
export function toTokenUsage(u: AnthropicUsageWire | null | undefined): TokenUsage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const raw = num(u.input_tokens);
  const output = num(u.output_tokens);
  if (raw === undefined && output === undefined) return undefined;
  const usage = cacheExclusiveUsage(
    raw,
    output,
    num(u.cache_read_input_tokens),
    num(u.cache_creation_input_tokens),
    num(u.cache_creation?.ephemeral_1h_input_tokens),
  );
  const thinking = num(u.output_tokens_details?.thinking_tokens);
  if (thinking && output) usage.reasoningTokens = Math.min(thinking, output);
  const searches = num(u.server_tool_use?.web_search_requests);
  if (searches) usage.webSearches = searches;
  return usage;
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the caller passed
export type RequestBody = Record<string, any>;

export function requestAttributes(body: RequestBody): Record<string, AttributeValue | undefined> {
  const attributes = samplingAttributes(body.max_tokens, body.temperature, body.top_p);
  attributes['gen_ai.request.top_k'] = typeof body.top_k === 'number' ? body.top_k : undefined;
  attributes['gen_ai.request.stream'] = body.stream === true ? true : undefined;
  return attributes;
}

/**
 * The price context of an Anthropic tier: `batch` (a Message Batches result) is `processing: batch`, any other
 * served tier is `service_tier` (`standard`, `priority`). Used for our spans and for the SDK's own span
 * (attribute `anthropic.response.service_tier`).
 */
export function tierContext(tier: unknown): Record<string, string> {
  if (typeof tier !== 'string' || tier === '') return {};
  return tier === 'batch' ? { processing: 'batch' } : { service_tier: tier };
}

/** usage.service_tier and usage.speed (`fast` only: standard speed has standard prices) -> price context. */
export function usageContext(
  u: AnthropicUsageWire | null | undefined,
): Pick<LlmCallOutcome, 'priceContext' | 'attributes'> {
  const context: Record<string, string> = tierContext(u?.service_tier);
  if (u?.speed === 'fast') context.speed = 'fast';
  const tier = typeof u?.service_tier === 'string' && u.service_tier !== '' ? u.service_tier : undefined;
  return {
    priceContext: Object.keys(context).length ? (context as PriceContext) : undefined,
    attributes: tier ? { [ATTR.ANTHROPIC_RESPONSE_SERVICE_TIER]: tier } : undefined,
  };
}

export function messageOutcome(msg: AnthropicMessageWire): LlmCallOutcome {
  return {
    responseModel: msg?.model,
    responseId: msg?.id,
    finishReasons: typeof msg?.stop_reason === 'string' ? [msg.stop_reason] : undefined,
    usage: toTokenUsage(msg?.usage),
    ...usageContext(msg?.usage),
    outputContent: msg?.content,
  };
}

/**
 * Accumulates a Messages stream: message_start has the input usage (and a placeholder output count),
 * message_delta the final (cumulative) usage and the stop reason.
 */
export class MessageStreamState implements CallStreamState<AnthropicStreamEventWire> {
  private id: string | undefined;
  private model: string | undefined;
  private stop: string | undefined;
  private usage: AnthropicUsageWire = {};
  private sawDelta = false;
  private text = '';

  /** Text deltas carry content (time to first chunk); message_start and pings do not. */
  isContent(event: AnthropicStreamEventWire): boolean {
    return event?.type === 'content_block_delta';
  }

  onItem(event: AnthropicStreamEventWire): void {
    if (!event || typeof event !== 'object') return;
    switch (event.type) {
      case 'message_start':
        this.id = event.message?.id;
        this.model = event.message?.model;
        this.usage = { ...event.message?.usage };
        break;
      case 'content_block_start':
        if (event.content_block?.type === 'fallback' && event.content_block.to?.model)
          this.model = event.content_block.to.model;
        break;
      case 'content_block_delta':
        if (event.delta?.type === 'text_delta' && typeof event.delta.text === 'string') this.text += event.delta.text;
        break;
      case 'message_delta':
        this.sawDelta = true;
        if (event.delta?.stop_reason) this.stop = event.delta.stop_reason;
        for (const [key, value] of Object.entries(event.usage ?? {})) {
          if (value !== null && value !== undefined) (this.usage as Record<string, unknown>)[key] = value;
        }
        break;
    }
  }

  outcome(abandoned: boolean): LlmCallOutcome {
    // Before message_delta the output count is a placeholder: price what is known (input) and say it is partial.
    const usage = this.sawDelta ? this.usage : { ...this.usage, output_tokens: 0, output_tokens_details: null };
    return {
      responseModel: this.model,
      responseId: this.id,
      finishReasons: this.stop ? [this.stop] : undefined,
      usage: this.id ? toTokenUsage(usage) : undefined,
      // message_start's usage has the tier and speed; message_delta does not repeat them.
      ...usageContext(this.usage),
      partial: abandoned || !this.sawDelta || undefined,
      outputContent: this.text || undefined,
    };
  }
}
